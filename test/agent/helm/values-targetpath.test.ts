// valuesFrom[].targetPath as helm-controller does it (fluxcd/pkg chartutil): the key's
// text is read by Helm's `--set` parser (a list in braces, `\,`, typed scalars; quotes
// force a string), and a value placed at a targetPath wins over spec.values where the
// path runs through spec.values' maps and lists. Pure: composeValues with the objects
// given in a table, no cluster needed.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { ValuesReference } from "../../../agent/helm/spec.ts";
import { composeValues, ValuesError } from "../../../agent/helm/values.ts";

type Data = Record<string, Record<string, string>>;
const reader = (data: Data) => async (kind: string, _ns: string, name: string) =>
  data[`${kind}/${name}`];
const at = (valuesKey: string, targetPath: string): ValuesReference => ({
  kind: "Secret",
  name: "s",
  valuesKey,
  targetPath,
  optional: false,
});
const file: ValuesReference = {
  kind: "ConfigMap",
  name: "base",
  valuesKey: "values.yaml",
  optional: false,
};

/** The value one Secret key `text` gives at `path`, with no other values. */
async function placed(text: string, path = "v"): Promise<unknown> {
  const values = await composeValues(
    [at("k", path)],
    {},
    "apps",
    reader({ "Secret/s": { k: text } }),
  );
  return path === "v" ? values.v : values;
}

test("targetPath wins over spec.values: a list item of the inline values (Flux's precedence case)", async () => {
  const values = await composeValues(
    [at("key", "nested.configuration[0]"), file],
    { nested: { configuration: ["list", "item", "option"] } },
    "apps",
    reader({
      "Secret/s": { key: "value" },
      "ConfigMap/base": {
        "values.yaml": "flat: value\nnested:\n  configuration: [one, two, three]\n",
      },
    }),
  );
  assert.deepEqual(values, {
    flat: "value",
    nested: { configuration: ["value", "item", "option"] },
  });
});

test("targetPath wins over spec.values: a key of an inline map, its other keys kept", async () => {
  const values = await composeValues(
    [at("password", "auth.password")],
    { auth: { user: "app", password: "placeholder" }, replicas: 1 },
    "apps",
    reader({ "Secret/s": { password: "s3cret" } }),
  );
  assert.deepEqual(values, { auth: { user: "app", password: "s3cret" }, replicas: 1 });
});

test("targetPath into a list from a ConfigMap replaces one item (Flux's string array case)", async () => {
  const values = await composeValues(
    [file, at("values.yaml", "nested.configuration[1]")],
    { other: "values" },
    "apps",
    reader({
      "ConfigMap/base": { "values.yaml": "nested:\n  configuration: [list, item, option]\n" },
      "Secret/s": { "values.yaml": "foo" },
    }),
  );
  assert.deepEqual(values, {
    nested: { configuration: ["list", "foo", "option"] },
    other: "values",
  });
});

test("targetPath values are read as `helm --set` reads them", async () => {
  // A list in braces, an escaped comma, booleans and integers typed, the rest strings.
  assert.deepEqual(await placed("{a,b,c}"), ["a", "b", "c"]);
  assert.equal(await placed("value1\\,value2"), "value1,value2");
  assert.equal(await placed("true"), true);
  assert.equal(await placed("FALSE"), false);
  assert.equal(await placed("null"), null);
  assert.equal(await placed("8080"), 8080);
  assert.equal(await placed("-12"), -12);
  assert.equal(await placed("0"), 0);
  assert.equal(await placed("007"), "007");
  assert.equal(await placed("1.5"), "1.5");
  assert.equal(await placed("a=b"), "a=b");
  assert.equal(await placed(""), "");
  // Quotes (single or double) around the whole text force a string, and are removed.
  assert.equal(await placed('"true"'), "true");
  assert.equal(await placed("'8080'"), "8080");
  assert.deepEqual(await placed('"{x,y}"'), ["x", "y"]);
  // The text is used as stored, a trailing newline included (Flux does not trim it).
  assert.equal(await placed("s3cret\n"), "s3cret\n");
  // Paths: `\.` inside a key, an index past the end padded with nulls.
  assert.deepEqual(await placed("master", "nodeSelector.kubernetes\\.io/role"), {
    nodeSelector: { "kubernetes.io/role": "master" },
  });
  assert.deepEqual(await placed("value", "merge.at[2]"), { merge: { at: [null, null, "value"] } });
  assert.deepEqual(await placed("true", "list[1].on"), { list: [null, { on: true }] });
});

test("a targetPath value `--set` cannot read fails without quoting the text", async () => {
  for (const text of ["first,Sup3rS3cret", "{Sup3rS3cret"]) {
    await assert.rejects(placed(text), (error: Error) => {
      assert.ok(error instanceof ValuesError, String(error));
      assert.match(error.message, /^key 'k' in Secret 'apps\/s' cannot be set at targetPath 'v': /);
      assert.doesNotMatch(error.message, /Sup3rS3cret|first/);
      return true;
    });
  }
  // A path through a value that is not a map is refused, as Helm refuses it.
  await assert.rejects(
    composeValues([at("k", "a.b")], { a: "text" }, "apps", reader({ "Secret/s": { k: "x" } })),
    /cannot be set at targetPath 'a\.b': /,
  );
});

test("spec.values is not changed by composing (it is read again on every pass)", async () => {
  const inline = { auth: { user: "app" }, list: ["a", "b"] };
  const copy = structuredClone(inline);
  await composeValues(
    [at("k", "auth.password"), at("k", "list[0]")],
    inline,
    "apps",
    reader({ "Secret/s": { k: "x" } }),
  );
  assert.deepEqual(inline, copy);
});

test("as Flux's merge does, spec.values keeps a top-level key, and a map merged anew before", async () => {
  // The value lands only in the merged copy, not in spec.values' own map, when the key
  // is at the top, or the map was merged from both sides (an earlier valuesFrom entry
  // or an earlier targetPath into it): spec.values, merged last, has the final word.
  const values = await composeValues(
    [
      file,
      at("k", "auth.password"),
      at("k", "message"),
      at("k", "db.user"),
      at("k", "db.password"),
    ],
    { auth: { password: "placeholder" }, message: "inline", db: { password: "placeholder" } },
    "apps",
    reader({
      "ConfigMap/base": { "values.yaml": "auth:\n  user: base\n" },
      "Secret/s": { k: "from-secret" },
    }),
  );
  assert.deepEqual(values, {
    auth: { user: "base", password: "placeholder" },
    message: "inline",
    db: { user: "from-secret", password: "placeholder" },
  });
});

test("a `__proto__` key is set as a key, never as the values' prototype", async () => {
  const values = await placed("x", "__proto__.polluted");
  assert.equal(JSON.stringify(values), '{"__proto__":{"polluted":"x"}}');
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});
