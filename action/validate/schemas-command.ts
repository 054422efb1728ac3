// `tether schemas export DIR [--kubernetes-version V]`: the schemas `tether validate`
// bundles, written as standalone JSON Schema files in kubeconform's layout
// (DIR/<kind><suffix>.json), so kubeconform users can validate offline against the same
// schema content: `kubeconform -schema-location 'DIR/{{ .ResourceKind }}{{ .KindSuffix }}.json'`.
// Exit codes: 0 written, 1 the folder cannot be written, 2 usage (e.g. a version that is
// not bundled).
import { resolve } from "node:path";
import type { Command } from "commander";

export interface SchemasExportFlags {
  kubernetesVersion?: string;
  /** false with --no-strict. */
  strict?: boolean;
}

interface Io {
  out(text: string): void;
  err(text: string): void;
  cwd: string;
}

const processIo = (): Io => ({
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  cwd: process.cwd(),
});

/** Runs the command; returns the exit code. */
export async function schemasExportCommand(
  dir: string,
  flags: SchemasExportFlags,
  io: Io = processIo(),
): Promise<number> {
  // The schema data loads only here, so other commands start small.
  const { kubeconformSchemaLocation, writeSchemas } = await import(
    "../../shared/validate/export.ts"
  );
  const { UnsupportedKubernetesVersionError } = await import("../../shared/validate/versions.ts");
  const target = resolve(io.cwd, dir);
  try {
    const written = await writeSchemas(target, {
      ...(flags.kubernetesVersion !== undefined && { kubernetesVersion: flags.kubernetesVersion }),
      strict: flags.strict ?? true,
    });
    for (const s of written.shadowed) {
      io.err(`note: ${s.apiVersion} ${s.kind} not written: ${s.file} is ${s.by}'s\n`);
    }
    io.out(
      `wrote ${written.files.length} schemas (Kubernetes ${written.kubernetesVersion}${written.strict ? ", strict" : ""}) to ${dir}\n` +
        `kubeconform -schema-location '${kubeconformSchemaLocation(dir)}'\n`,
    );
    return 0;
  } catch (error) {
    io.err(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    return error instanceof UnsupportedKubernetesVersionError ? 2 : 1;
  }
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
    .exitOverride((error) => {
      process.exit(error.exitCode === 0 ? 0 : 2);
    })
    .action(async (dir: string, flags: SchemasExportFlags) => {
      process.exitCode = await schemasExportCommand(dir, flags);
    });
  return schemas;
}
