// A valuesFrom key that is not YAML: the message says which key of which object, and
// where (line, column), but never quotes the text, which may be a Secret's. The `yaml`
// library's own messages carry a code frame (the line and a caret), and its warnings
// are printed to stderr by Node: neither may reach a status or a log.
import assert from "node:assert/strict";
import { test } from "node:test";
import { setImmediate } from "node:timers/promises";
import type { ValuesReference } from "../../../agent/helm/spec.ts";
import { composeValues, ValuesError } from "../../../agent/helm/values.ts";

const SECRET = "Sup3rS3cret";

const sources: Record<string, Record<string, string>> = {
  "Secret/db": { "values.yaml": `replicas: 1\nauth:\n  password: @${SECRET}!\n` },
  "ConfigMap/base": { "values.yaml": `image: a\nname: @${SECRET}\n` },
  "Secret/tagged": { "values.yaml": `auth:\n  password: !${SECRET} x\n` },
};
const read = async (kind: string, _ns: string, name: string) => sources[`${kind}/${name}`];
const ref = (kind: "Secret" | "ConfigMap", name: string): ValuesReference => ({
  kind,
  name,
  valuesKey: "values.yaml",
  optional: false,
});

/** The ValuesError composeValues rejects with. */
async function failure(r: ValuesReference): Promise<ValuesError> {
  try {
    await composeValues([r], {}, "apps", read);
  } catch (error) {
    assert.ok(error instanceof ValuesError, String(error));
    return error;
  }
  assert.fail("composeValues did not fail");
}

test("a Secret key that is not YAML: key, Secret, line and column, not the content", async () => {
  const error = await failure(ref("Secret", "db"));
  assert.match(error.message, /^key 'values\.yaml' in Secret 'apps\/db' is not YAML: /);
  assert.match(error.message, /at line 3, column 13/);
  assert.doesNotMatch(error.message, new RegExp(SECRET));
  assert.doesNotMatch(error.message, /password|@|\^|\n/);
});

test("a ConfigMap key is reported the same way", async () => {
  const error = await failure(ref("ConfigMap", "base"));
  assert.match(error.message, /^key 'values\.yaml' in ConfigMap 'apps\/base' is not YAML: /);
  assert.match(error.message, /at line 2, column 7/);
  assert.doesNotMatch(error.message, new RegExp(SECRET));
});

test("a Secret's YAML that only warns (an unknown tag) prints nothing to stderr", async () => {
  const warnings: string[] = [];
  const listen = (w: Error) => warnings.push(w.message);
  process.on("warning", listen);
  try {
    const values = await composeValues([ref("Secret", "tagged")], {}, "apps", read);
    assert.deepEqual(values, { auth: { password: "x" } });
    await setImmediate(); // Node emits warnings on a later tick
  } finally {
    process.off("warning", listen);
  }
  assert.deepEqual(warnings, []);
});
