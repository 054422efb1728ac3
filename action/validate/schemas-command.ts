// `tether schemas export DIR [--kubernetes-version V]`: the schemas `tether validate`
// bundles, written as standalone JSON Schema files in kubeconform's layout
// (DIR/<kind><suffix>.json), so kubeconform users can validate offline against the same
// schema content: `kubeconform -schema-location 'DIR/{{ .ResourceKind }}{{ .KindSuffix }}.json'`.
// Exit codes (shared/command.ts): 0 written, 1 the folder cannot be written, 2 usage
// (e.g. a version that is not bundled).
import { resolve } from "node:path";
import type { Command } from "commander";
import { type CommandIo, type Outcome, runner, UsageError } from "../../shared/command.ts";

export interface SchemasExportFlags {
  kubernetesVersion?: string;
  /** false with --no-strict. */
  strict?: boolean;
}

/** Writes the schemas; a version that is not bundled is a usage error. */
export async function schemasExportCommand(
  io: CommandIo,
  dir: string,
  flags: SchemasExportFlags,
): Promise<Outcome> {
  // The schema data loads only here, so other commands start small.
  const { kubeconformSchemaLocation, writeSchemas } = await import(
    "../../shared/validate/export.ts"
  );
  const { UnsupportedKubernetesVersionError } = await import("../../shared/validate/versions.ts");
  const target = resolve(io.cwd, dir);
  let written: Awaited<ReturnType<typeof writeSchemas>>;
  try {
    written = await writeSchemas(target, {
      ...(flags.kubernetesVersion !== undefined && { kubernetesVersion: flags.kubernetesVersion }),
      strict: flags.strict ?? true,
    });
  } catch (error) {
    if (error instanceof UnsupportedKubernetesVersionError) throw new UsageError(error.message);
    throw error;
  }
  for (const s of written.shadowed) {
    io.err(`note: ${s.apiVersion} ${s.kind} not written: ${s.file} is ${s.by}'s\n`);
  }
  io.out(
    `wrote ${written.files.length} schemas (Kubernetes ${written.kubernetesVersion}${written.strict ? ", strict" : ""}) to ${dir}\n` +
      `kubeconform -schema-location '${kubeconformSchemaLocation(dir)}'\n`,
  );
  return "success";
}

export function registerSchemasCommand(program: Command): Command {
  const schemas = program
    .command("schemas")
    .description("the Kubernetes and Flux schemas tether validates against");
  schemas
    .command("export")
    .description(
      "write the bundled schemas as JSON Schema files in kubeconform's layout (DIR/<kind><suffix>.json)",
    )
    .argument("<dir>", "folder to write into (created if needed)")
    .option(
      "--kubernetes-version <version>",
      "Kubernetes version of the schemas (default: newest bundled)",
    )
    .option("--no-strict", "leave out additionalProperties: false (kubeconform without -strict)")
    .action(runner(schemasExportCommand));
  return schemas;
}
