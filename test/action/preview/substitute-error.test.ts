// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Flux variables are written ${like_this}.
// The preview renders a Kustomization whose postBuild variable (from a Secret of the
// repository) breaks an object's YAML: a RenderError like any render that fails, which
// names the object and the variable, never the Secret's value.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, test } from "node:test";
import { RenderError, renderCluster } from "../../../action/preview/render.ts";

const SECRET = "hunter2";
const dir = mkdtempSync(join(tmpdir(), "tether-preview-substitute-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const write = (path: string, text: string) => {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), text);
};

test("a substituted Secret value that breaks the YAML is a RenderError without the value", async () => {
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
  DB_PASSWORD: ${Buffer.from(`${SECRET}: x`).toString("base64")}
`,
  );
  write(
    "apps/config.yaml",
    "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: db-config, namespace: apps}\ndata:\n  dsn: postgres://app:${DB_PASSWORD}@db/app\n",
  );
  const rendered = renderCluster(dir, "clusters/a", {
    ownUrls: [],
    chartCache: join(dir, "charts"),
    helmReleases: false,
  });
  await assert.rejects(rendered, (error: Error) => {
    assert.ok(error instanceof RenderError, `${error.name}: ${error.message}`);
    assert.match(error.message, /^Kustomization flux-system\/apps: ConfigMap\/apps\/db-config: /);
    assert.match(error.message, /DB_PASSWORD/);
    assert.doesNotMatch(error.message, new RegExp(SECRET));
    return true;
  });
});
