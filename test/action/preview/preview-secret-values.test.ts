// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Flux variables.
// `tether preview` masks the values of Secrets in the repository wherever they are
// substituted, also as substituted: without their line breaks, as Flux takes them out
// (a Secret made with --from-file ends with one; a PEM key has several).
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, test } from "node:test";
import { compareRenders } from "../../../action/preview/compare.ts";
import { renderCluster } from "../../../action/preview/render.ts";

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function renderWith(secretValue: string) {
  const dir = mkdtempSync(join(tmpdir(), "tether-preview-secret-"));
  dirs.push(dir);
  const write = (p: string, t: string) => {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), t);
  };
  write(
    "clusters/a/apps.yaml",
    `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: apps, namespace: flux-system}
spec:
  interval: 10m
  path: ./apps
  prune: true
  sourceRef: {kind: GitRepository, name: flux-system}
  postBuild:
    substituteFrom:
      - {kind: Secret, name: db-vars}
---
apiVersion: v1
kind: Secret
metadata: {name: db-vars, namespace: flux-system}
data:
  DB_PASSWORD: ${Buffer.from(secretValue).toString("base64")}
`,
  );
  write(
    "apps/config.yaml",
    "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: db-config, namespace: apps}\ndata:\n  dsn: postgres://app:${DB_PASSWORD}@db/app\n",
  );
  return renderCluster(dir, "clusters/a", {
    ownUrls: [],
    chartCache: join(dir, "charts"),
    helmReleases: false,
  });
}

test("a Secret value made with --from-file (trailing newline) is masked in the diff", async () => {
  const base = await renderWith("old-hunter2\n");
  const head = await renderWith("new-hunter2\n");
  const preview = compareRenders("clusters/a", base, head);
  const text = JSON.stringify(preview);
  assert.equal(preview.changed.length, 2); // the Secret and the ConfigMap
  assert.doesNotMatch(text, /hunter2/);
});

test("a multi-line Secret value (PEM) is masked in the diff", async () => {
  const base = await renderWith("-----BEGIN KEY-----\nAAAAold\nBBBB\n-----END KEY-----\n");
  const head = await renderWith("-----BEGIN KEY-----\nAAAAnew\nBBBB\n-----END KEY-----\n");
  const preview = compareRenders("clusters/a", base, head);
  assert.equal(preview.changed.length, 2); // the Secret and the ConfigMap
  assert.doesNotMatch(JSON.stringify(preview), /AAAA/);
});
