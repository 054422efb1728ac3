// Step outputs for GitHub Actions: when GITHUB_OUTPUT names a file, each command appends
// `tags`, `digest`, `image` and `timestamp` there, so the composite action's steps need
// no parsing of stdout.
import { randomUUID } from "node:crypto";
import { appendFile } from "node:fs/promises";

/** The GITHUB_OUTPUT file format; multi-line values use a delimiter that is not in them. */
export function formatOutputs(
  values: Record<string, string>,
  delimiter = `ghadelimiter_${randomUUID()}`,
): string {
  let out = "";
  for (const [name, value] of Object.entries(values)) {
    if (value.includes("\n") || value.includes("\r")) {
      if (value.includes(delimiter)) throw new Error(`output ${name} contains its own delimiter`);
      out += `${name}<<${delimiter}\n${value}\n${delimiter}\n`;
    } else {
      out += `${name}=${value}\n`;
    }
  }
  return out;
}

export async function writeOutputs(
  values: Record<string, string>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  if (!env.GITHUB_OUTPUT) return;
  await appendFile(env.GITHUB_OUTPUT, formatOutputs(values));
}
