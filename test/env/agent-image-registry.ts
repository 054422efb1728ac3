// What test/env/agent-image.sh reads back from the registry it pushed the agent's image
// to, with Tether's own registry client: plain HTTP for the local environment's
// registry, HTTPS with token auth elsewhere (ghcr.io in the release workflow, with
// TETHER_REGISTRY_USERNAME/PASSWORD or a Docker config.json).
//   node test/env/agent-image-registry.ts sizes IMAGE DIGEST
//     one line per platform of the index: "os/arch[/variant] N.N MB compressed (L layers) DIGEST"
//   node test/env/agent-image-registry.ts unpack IMAGE DIGEST DIR
//     the layers of one platform's manifest, unpacked in order into DIR
import { spawn } from "node:child_process";
import { pipeline } from "node:stream/promises";
import { imageCommandAccess } from "../../action/build/registry-access.ts";
import { parseRepository } from "../../shared/registry/reference.ts";

interface Descriptor {
  digest: string;
  size: number;
  platform?: { os: string; architecture: string; variant?: string };
}

const [mode, image, digest, dir] = process.argv.slice(2);
if (!image || !digest || (mode !== "sizes" && mode !== "unpack") || (mode === "unpack" && !dir)) {
  console.error("usage: agent-image-registry.ts sizes IMAGE DIGEST | unpack IMAGE DIGEST DIR");
  process.exit(2);
}
const { registry, repository } = parseRepository(image);
// Only the local environment's registries speak plain HTTP.
const insecure = /^(127\.0\.0\.1|localhost)(:\d+)?$/.test(registry);
const access = imageCommandAccess({ insecure, image });
try {
  const client = await access.client(registry);
  const manifest = async (ref: string) => (await client.getManifest(repository, ref)).json;
  if (mode === "sizes") {
    const index = (await manifest(digest)) as { manifests: Descriptor[] };
    for (const m of index.manifests) {
      const { layers } = (await manifest(m.digest)) as { layers: Descriptor[] };
      const bytes = layers.reduce((sum, l) => sum + l.size, 0);
      const p = m.platform;
      const platform = p ? [p.os, p.architecture, p.variant].filter(Boolean).join("/") : "?";
      console.log(
        `${platform} ${(bytes / 1e6).toFixed(1)} MB compressed (${layers.length} layers) ${m.digest}`,
      );
    }
  } else {
    const { layers } = (await manifest(digest)) as { layers: Descriptor[] };
    for (const layer of layers) {
      const tar = spawn("tar", ["-xzf", "-", "-C", dir as string], {
        stdio: ["pipe", "inherit", "inherit"],
      });
      const exited = new Promise<number | null>((done) => tar.on("close", done));
      await pipeline(await client.openBlob(repository, layer.digest), tar.stdin);
      const code = await exited;
      if (code !== 0) throw new Error(`tar exited ${code} unpacking ${layer.digest}`);
    }
  }
} finally {
  await access.close();
}
