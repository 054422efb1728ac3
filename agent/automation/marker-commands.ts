// `tether images mark FILE --policy NS:NAME [--container NAME]`: adds the setter marker
// to a file's image field, silent on success (exit 2 when the file cannot take one).
// `tether images lint PATH`: prints every marker that cannot work, one per line as
// `file:line: marker: why`, exit 1 when there is any.
import { readFile, stat, writeFile } from "node:fs/promises";
import { dirname, relative, resolve, sep } from "node:path";
import type { Command } from "commander";
import { runner, UsageError } from "../../shared/command.ts";
import { listManifestFiles } from "../../shared/manifests/load.ts";
import { SetterError } from "../../shared/tagpolicy/errors.ts";
import { insertMarker, lintMarkers } from "../../shared/tagpolicy/markers.ts";
import { readImageConfig } from "./repo-config.ts";

export function registerImagesMarkers(images: Command): void {
  images
    .command("mark")
    .description(
      "add an image policy marker to the image field of a workload, HelmRelease or kustomization",
    )
    .argument("<file>", "YAML file to edit in place")
    .requiredOption("--policy <namespace:name>", "the ImagePolicy the marker names")
    .option(
      "--container <name>",
      "which image: a container name, a HelmRelease values path (e.g. dockerImage, worker.image) or a kustomize image name",
    )
    .action(
      runner(async (_io, file: string, flags: { policy: string; container?: string }) => {
        const text = await readFile(file, "utf8");
        let marked: string;
        try {
          marked = insertMarker(text, flags.policy, { container: flags.container }).text;
        } catch (error) {
          // The file cannot take the marker as asked: refused input, not a failure.
          if (error instanceof SetterError) throw new UsageError(`${file}: ${error.message}`);
          throw error;
        }
        if (marked !== text) await writeFile(file, marked);
        return "success";
      }),
    );

  images
    .command("lint")
    .description("report image policy markers that cannot work")
    .argument("<path>", "file or folder to check")
    .option(
      "--policies <path>",
      "folder whose ImagePolicies the markers may name (default: the folder checked)",
    )
    .action(
      runner(async (io, path: string, flags: { policies?: string }) => {
        const isDir = (await stat(path)).isDirectory();
        const files = isDir ? await listManifestFiles(resolve(path)) : [resolve(path)];
        const policyRoot = resolve(flags.policies ?? (isDir ? path : dirname(path)));
        const config = await readImageConfig(policyRoot);
        const known = new Set(config.policies.keys());
        let markers = 0;
        let problems = 0;
        for (const abs of files) {
          const text = await readFile(abs, "utf8");
          markers += text.split('"$imagepolicy"').length - 1;
          const name = relative(io.cwd, abs).split(sep).join("/");
          for (const f of lintMarkers(text, known)) {
            problems++;
            io.out(`${name}:${f.line}: ${f.marker === "" ? "" : `${f.marker}: `}${f.message}\n`);
          }
        }
        io.err(
          `${markers} marker(s) in ${files.length} file(s), ${problems} problem(s); ${known.size} ImagePolicy(ies) known\n`,
        );
        return problems > 0 ? "failure" : "success";
      }),
    );
}
