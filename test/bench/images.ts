// Benchmark of registry scanning (prints figures; no assertions). Run:
//   source .testenv/env.sh && node test/bench/images.ts [tags]
// Pushes N tags (over N/100 distinct images) to the open local registry, then times
// an ImagePolicy scan (all tags listed) and a Flux v1 glob scan (creation time of
// every matching tag), and the same glob rescan with the caches.
import { randomBytes } from "node:crypto";
import { automationAccess } from "../../agent/automation/automation.ts";
import type { ImageConfig } from "../../agent/automation/repo-config.ts";
import { scan } from "../../agent/automation/scan.ts";
import { CreatedCache } from "../../shared/registry/created-cache.ts";
import { parseImagePolicy } from "../../shared/tagpolicy/policy.ts";
import { pushImage, pushManifest } from "../helpers/registry.ts";
import { testenv } from "../helpers/testenv.ts";

const count = Number(process.argv[2] ?? 10_000);
const env = testenv();
const name = `bench-${randomBytes(3).toString("hex")}`;
const image = `${env.registry}/${name}`;

let t = performance.now();
const distinct = Math.max(1, Math.floor(count / 100));
const bodies: string[] = [];
for (let i = 0; i < distinct; i++) {
  const day = String((i % 28) + 1).padStart(2, "0");
  const pushed = await pushImage(env.registry, name, {
    tags: [`dev-seed${i}`],
    index: false,
    created: `2026-01-${day}T00:00:00Z`,
  });
  bodies.push(pushed.body);
}
const queue = Array.from({ length: count }, (_, i) => i);
await Promise.all(
  Array.from({ length: 16 }, async () => {
    for (let i = queue.shift(); i !== undefined; i = queue.shift()) {
      const tag =
        i % 2 === 0
          ? `RELEASE.2026-${String((i % 12) + 1).padStart(2, "0")}-01T00-00-${String(i % 60).padStart(2, "0")}Z-${i}`
          : `dev-${i.toString(16).padStart(7, "0")}`;
      await pushManifest(
        env.registry,
        name,
        tag,
        bodies[i % distinct] as string,
        "application/vnd.oci.image.manifest.v1+json",
      );
    }
  }),
);
console.log(
  `# image scan benchmark: ${count} tags (+${distinct} seed tags) over ${distinct} images, pushed in ${((performance.now() - t) / 1000).toFixed(1)}s`,
);

const policy = parseImagePolicy({
  apiVersion: "image.toolkit.fluxcd.io/v1beta2",
  kind: "ImagePolicy",
  metadata: { name: "bench", namespace: "flux-system" },
  spec: {
    imageRepositoryRef: { name: "bench" },
    filterTags: { pattern: "^RELEASE\\.(?P<ts>[^Z]*)Z", extract: "$ts" },
    policy: { alphabetical: { order: "asc" } },
  },
});
const repository = {
  name: "bench",
  namespace: "flux-system",
  image,
  insecure: true,
  exclusionList: ["^.*\\.sig$"],
  file: "bench.yaml",
};
const policyConfig: ImageConfig = {
  repositories: new Map([["flux-system:bench", repository]]),
  policies: new Map([["flux-system:bench", { ...policy, file: "bench.yaml" }]]),
  automations: [],
  gitRepositories: new Map(),
  workloads: [],
  problems: [],
};
const options = { spec: { url: "" }, path: ".", push: false, insecureRegistries: [env.registry] };

t = performance.now();
let outcome = await scan(policyConfig, automationAccess(options, undefined));
console.log(
  `ImagePolicy scan (alphabetical on extracted timestamps): ${(performance.now() - t).toFixed(0)}ms, ${outcome.requests} requests, selected ${outcome.policies[0]?.image?.tag ?? outcome.policies[0]?.error}`,
);

const globConfig: ImageConfig = {
  ...policyConfig,
  policies: new Map(),
  workloads: [
    {
      file: "api.yaml",
      kind: "Deployment",
      name: "api",
      containers: [{ name: "api", image: `${image}:dev-0000000`, filter: "glob:dev-*" }],
    },
  ],
};
const createdCache = new CreatedCache();
const tagTimes = new Map<string, Date | null>();
t = performance.now();
outcome = await scan(globConfig, automationAccess({ ...options, createdCache }, undefined), {
  tagTimes,
});
console.log(
  `Flux v1 glob scan, first (creation time of ${count / 2 + distinct} matching tags): ${(performance.now() - t).toFixed(0)}ms, ${outcome.requests} requests, selected ${outcome.v1[0]?.latest ?? outcome.v1[0]?.error}`,
);
t = performance.now();
outcome = await scan(globConfig, automationAccess({ ...options, createdCache }, undefined), {
  tagTimes,
});
console.log(
  `Flux v1 glob rescan with the caches: ${(performance.now() - t).toFixed(0)}ms, ${outcome.requests} requests`,
);
