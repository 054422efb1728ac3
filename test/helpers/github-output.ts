// The step outputs a command wrote to the file GITHUB_OUTPUT names, as @actions/core
// writes them (name<<DELIMITER, value, DELIMITER) or in the one-line form (name=value).
import { readFileSync } from "node:fs";

export function readOutputs(path: string): Record<string, string> {
  const text = readFileSync(path, "utf8");
  const out: Record<string, string> = {};
  for (const m of text.matchAll(/^([\w-]+)<<(\S+)\n([\s\S]*?)\n\2$/gm))
    out[m[1] as string] = m[3] as string;
  for (const m of text.matchAll(/^([\w-]+)=(.*)$/gm)) out[m[1] as string] = m[2] as string;
  return out;
}
