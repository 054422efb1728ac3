// Fetched charts on disk, named by the sha256 of their package: a chart that was
// fetched once is never downloaded again, and two HelmReleases of the same chart
// version share one file. Writes go to a temporary name and are renamed once the
// digest is known, so a crash never leaves a truncated chart under a real name.
import { createHash } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, rename, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";

export class ChartCache {
  readonly dir: string;
  constructor(cacheDir: string) {
    this.dir = join(cacheDir, "charts");
  }

  pathOf(digest: string): string {
    return join(this.dir, `${digest.replace(":", "-")}.tgz`);
  }

  async has(digest: string): Promise<string | undefined> {
    const path = this.pathOf(digest);
    return (await stat(path).catch(() => undefined))?.isFile() ? path : undefined;
  }

  /** Writes `body` and answers its digest and path. */
  async store(body: Readable): Promise<{ digest: string; path: string }> {
    await mkdir(this.dir, { recursive: true });
    const tmp = join(
      this.dir,
      `.${process.pid}.${Date.now()}.${Math.random().toString(36).slice(2)}`,
    );
    const hash = createHash("sha256");
    body.on("data", (chunk: Buffer) => hash.update(chunk));
    try {
      await pipeline(body, createWriteStream(tmp));
    } catch (error) {
      await rm(tmp, { force: true });
      throw error;
    }
    const digest = `sha256:${hash.digest("hex")}`;
    const path = this.pathOf(digest);
    await rename(tmp, path);
    return { digest, path };
  }
}
