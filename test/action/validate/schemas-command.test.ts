// `tether schemas export DIR [--kubernetes-version V]`: the bundled schemas as files in
// kubeconform's layout, which kubeconform itself (from the local environment) reads with
// -schema-location 'DIR/{{ .ResourceKind }}{{ .KindSuffix }}.json'.
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { exportSchemas } from "../../../shared/validate/export.ts";
import { supportedKubernetesVersions } from "../../../shared/validate/versions.ts";
import { run } from "../../helpers/run.ts";
import { testenv } from "../../helpers/testenv.ts";
import { tether } from "../../helpers/tether.ts";

const oldest = supportedKubernetesVersions().at(-1) as string;
let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), "tether-schemas-export-"));
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe("tether schemas export", () => {
  test("writes one file per kind, named as kubeconform looks them up, for the version asked", async () => {
    const out = join(dir, "schemas");
    const result = await tether(["schemas", "export", out, "--kubernetes-version", oldest], {
      exit: 0,
    });
    const expected = exportSchemas({ kubernetesVersion: oldest });
    const files = readdirSync(out).sort();
    assert.deepEqual(files, expected.schemas.map((s) => s.file).sort());
    assert.ok(files.includes("deployment-apps-v1.json"));
    assert.ok(files.includes("configmap-v1.json"));
    assert.ok(files.includes("helmrelease-helm-v2.json"));
    const deployment = JSON.parse(readFileSync(join(out, "deployment-apps-v1.json"), "utf8"));
    assert.deepEqual(
      deployment,
      expected.schemas.find((s) => s.file === "deployment-apps-v1.json")?.schema,
    );
    assert.match(result.stdout, new RegExp(`Kubernetes ${oldest.replace(".", "\\.")}`));
  });

  test("a version that is not bundled is a usage error (exit 2) and writes nothing", async () => {
    const out = join(dir, "none");
    const result = await tether(["schemas", "export", out, "--kubernetes-version", "1.2"], {
      exit: 2,
    });
    assert.match(result.stderr, /1\.2.*not bundled/);
    assert.equal(existsSync(out), false);
  });

  test("kubeconform validates with the exported folder as its schema location", async () => {
    const out = join(dir, "kc");
    await tether(["schemas", "export", out], { exit: 0 });
    const manifests = join(dir, "manifests.yaml");
    writeFileSync(
      manifests,
      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: good}\ndata: {a: b}\n---\n" +
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bad}\ndatta: {a: b}\n",
    );
    const result = await run(
      "kubeconform",
      [
        "-strict",
        "-summary",
        "-schema-location",
        `${out}/{{ .ResourceKind }}{{ .KindSuffix }}.json`,
        manifests,
      ],
      { env: { ...process.env, PATH: testenv().path } },
    );
    assert.equal(result.code, 1, result.stdout + result.stderr);
    assert.match(result.stdout, /ConfigMap bad is invalid/);
    assert.match(result.stdout, /Valid: 1, Invalid: 1/);
  });
});
