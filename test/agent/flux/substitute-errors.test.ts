// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Flux variables are written ${like_this}.
// A substituted value that breaks the object's YAML (postBuild variables may come from
// Secrets): a SubstituteError naming the object, the line and column, and the variables
// substituted there by name, never the text, which holds their values. The build
// reports it as a build failure like any other.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { buildKustomization } from "../../../agent/flux/build.ts";
import { SubstituteError, substituteObject } from "../../../agent/flux/substitute.ts";
import type { KubeObject } from "../../../shared/manifests/object.ts";

const SECRET = "hunter2";
const vars = { DB_PASSWORD: `${SECRET}: x`, DB_HOST: "db", QUOTE: `"${SECRET}` };

const configMap = (data: Record<string, string>): KubeObject => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name: "db-config", namespace: "apps" },
  data,
});

function substituteError(object: KubeObject): SubstituteError {
  try {
    substituteObject(object, vars);
  } catch (error) {
    assert.ok(error instanceof SubstituteError, String(error));
    return error;
  }
  assert.fail("substituteObject did not fail");
}

describe("a substituted value that breaks the YAML", () => {
  test("names the object, the place and the variables on that line, not their values", () => {
    const error = substituteError(
      configMap({ dsn: "postgres://app:${DB_PASSWORD}@${DB_HOST}/app", host: "${DB_HOST}" }),
    );
    assert.match(error.message, /^ConfigMap\/apps\/db-config: /);
    assert.match(error.message, /no longer parses as YAML after postBuild substitution/);
    assert.match(error.message, /at line \d+, column \d+/);
    assert.match(error.message, /substituted on that line: DB_PASSWORD, DB_HOST\b/);
    assert.doesNotMatch(error.message, new RegExp(SECRET));
    assert.doesNotMatch(error.message, /postgres|\^|\n/);
  });

  test("a break that shows on a later line names every variable of the object", () => {
    const error = substituteError(configMap({ a: "${QUOTE}", b: "${DB_HOST}" }));
    assert.match(error.message, /^ConfigMap\/apps\/db-config: /);
    assert.match(error.message, /substituted in the object: QUOTE, DB_HOST\b/);
    assert.doesNotMatch(error.message, new RegExp(SECRET));
  });

  test("an expression Tether cannot read is named by its variable, not quoted (it may sit in decrypted data)", () => {
    const unsupported = substituteError(configMap({ a: "${DB_HOST^^s3cret-x}" }));
    assert.match(unsupported.message, /unsupported variable expression for DB_HOST/);
    assert.doesNotMatch(unsupported.message, /s3cret/);
    const invalid = substituteError(configMap({ a: "${9s3cret-y}" }));
    assert.match(invalid.message, /invalid variable expression/);
    assert.doesNotMatch(invalid.message, /s3cret/);
  });

  test("values that keep the YAML valid are substituted as before", () => {
    const object = substituteObject(configMap({ dsn: "postgres://${DB_HOST}/app" }), vars);
    assert.deepEqual(object.data, { dsn: "postgres://db/app" });
  });
});

describe("the build", () => {
  const dir = mkdtempSync(join(tmpdir(), "tether-substitute-errors-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test("reports it as BuildFailed, without the value", async () => {
    writeFileSync(
      join(dir, "config.yaml"),
      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: db-config, namespace: apps}\ndata:\n  dsn: postgres://app:${DB_PASSWORD}@db/app\n",
    );
    const built = await buildKustomization({ path: "./" }, dir, {
      name: "apps",
      namespace: "flux-system",
      vars,
    });
    assert.equal(built.ok, false);
    assert.ok(!built.ok);
    assert.equal(built.reason, "BuildFailed");
    assert.match(built.message, /ConfigMap\/apps\/db-config: .*DB_PASSWORD/);
    assert.doesNotMatch(built.message, new RegExp(SECRET));
  });
});
