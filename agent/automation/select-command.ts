// `tether images select --policy FILE --tags FILE`: prints the tag an ImagePolicy file
// selects from a list of tags, or an error on stderr with exit code 1. It runs the same
// selection the agent's image loop runs, without a registry, so a policy can be tried
// against a tag list before it is committed.
import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import { parseAllDocuments } from "yaml";
import { runner } from "../../shared/command.ts";
import { parseImagePolicy, type Selection, selectTag } from "../../shared/tagpolicy/policy.ts";

/** Tags from a file's text: one per line, surrounding whitespace and blank lines ignored. */
export function parseTagList(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "");
}

/** Selects from the texts of a policy file and a tags file; throws on any problem. */
export function selectFromFiles(
  policyYaml: string,
  tagsText: string,
  policyFile = "the policy file",
): Selection {
  const docs = parseAllDocuments(policyYaml);
  const policies = [];
  for (const doc of docs) {
    const error = doc.errors[0];
    if (error !== undefined) {
      const line = error.linePos?.[0].line;
      throw new Error(
        `${policyFile}${line === undefined ? "" : `:${line}`}: not valid YAML: ${error.message.split("\n")[0]}`,
      );
    }
    const value: unknown = doc.toJS();
    if (
      typeof value === "object" &&
      value !== null &&
      (value as { kind?: unknown }).kind === "ImagePolicy"
    ) {
      policies.push(value);
    }
  }
  if (policies.length !== 1) {
    throw new Error(
      policies.length === 0
        ? `${policyFile} holds no ImagePolicy document`
        : `${policyFile} holds ${policies.length} ImagePolicy documents; give a file with exactly one`,
    );
  }
  const policy = parseImagePolicy(policies[0]);
  return selectTag(policy.spec, parseTagList(tagsText));
}

export function registerImagesSelect(images: Command): void {
  images
    .command("select")
    .description("print the tag an ImagePolicy selects from a list of tags (one per line)")
    .requiredOption("--policy <file>", "ImagePolicy YAML (image.toolkit.fluxcd.io/v1beta2 or v1)")
    .requiredOption("--tags <file>", "tags, one per line; blank lines are ignored")
    .action(
      runner(async (io, options: { policy: string; tags: string }) => {
        const [policyYaml, tagsText] = await Promise.all([
          readFile(options.policy, "utf8"),
          readFile(options.tags, "utf8"),
        ]);
        io.out(`${selectFromFiles(policyYaml, tagsText, options.policy).tag}\n`);
        return "success";
      }),
    );
}
