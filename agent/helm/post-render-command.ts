// `tether helm-post-render FILE`, the post-renderer Helm runs for a release without
// postRenderers (actions.ts): what Helm rendered comes on stdin, goes out on stdout
// with the metadata of FILE (JSON: labels, annotations) on every object (postrender.ts).
// Run by cli/bin.ts before the program loads: a Node start and this module only.
import { readFile } from "node:fs/promises";
import { stampMetadata } from "./postrender.ts";

export async function runHelmPostRender(file: string | undefined): Promise<void> {
  if (!file) throw new Error("usage: tether helm-post-render FILE");
  const metadata = JSON.parse(await readFile(file, "utf8")) as {
    labels: Record<string, string>;
    annotations: Record<string, string>;
  };
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  process.stdout.write(stampMetadata(Buffer.concat(chunks).toString("utf8"), metadata));
}
