// Bad input gets a clear error naming the file (and line where there is one), never an
// exception: alias bombs, invalid UTF-8, files and renders over the size limits, deep
// nesting, a malformed kustomization.yaml. The commands print no JavaScript stack.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, describe, test } from "node:test";
import { renderPath } from "../../../shared/render/render.ts";
import { testenv } from "../../helpers/testenv.ts";
import { tether } from "../../helpers/tether.ts";

let root: string;
const write = (path: string, text: string | Buffer) => {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
};

/** A `kind: List` that reuses one anchor `count` times. */
function aliasList(count: number): string {
  const lines = ["apiVersion: v1", "kind: List", "items:", "- &a", "  apiVersion: v1"];
  lines.push("  kind: ConfigMap", "  metadata: {name: x}", "  data: {k: v}");
  for (let i = 0; i < count; i++) lines.push("- *a");
  return `${lines.join("\n")}\n`;
}

/** The classic billion laughs: nine levels of nine aliases each. */
function billionLaughs(): string {
  let text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: lol}\ndata:\n";
  text += '  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
  let previous = "a";
  for (const name of "bcdefghi") {
    text += `  ${name}: &${name} [${Array(9).fill(`*${previous}`).join(",")}]\n`;
    previous = name;
  }
  return text;
}

before(() => {
  root = mkdtempSync(join(tmpdir(), "tether-bad-input-"));
  process.env.PATH = testenv().path;
  write("list-bomb/list.yaml", aliasList(119));
  write("laughs/bomb.yaml", billionLaughs());
  write("kbad/kustomization.yaml", "resources:\n  - a.yaml\n bad: [\n");
  write("kbomb/kustomization.yaml", billionLaughs().replace(/^[\s\S]*?data:\n/, "x:\n"));
  write(
    "utf8/cm.yaml",
    Buffer.concat([
      Buffer.from('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: "'),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('"\n'),
    ]),
  );
  write(
    "deep/cm.yaml",
    `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: d}\nx: ${"[".repeat(5000)}${"]".repeat(5000)}\n`,
  );
  write(
    "big/a.yaml",
    `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata:\n  k: "${"x".repeat(3000)}"\n`,
  );
  write(
    "big/b.yaml",
    `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big2}\ndata:\n  k: "${"x".repeat(3000)}"\n`,
  );
});
after(() => rmSync(root, { recursive: true, force: true }));

const messages = async (path: string, limits = {}) =>
  (await renderPath(root, path, { limits })).errors.map((e) => e.message).join("\n");

describe("bad input is an error with the file, not an exception", () => {
  test("an anchor reused 119 times in a List: the alias limit, with file:line", async () => {
    assert.match(await messages("list-bomb"), /^list-bomb\/list\.yaml:\d+: .*alias/m);
  });
  test("billion laughs", async () => {
    assert.match(await messages("laughs"), /^laughs\/bomb\.yaml:\d+: .*alias/m);
  });
  test("a malformed kustomization.yaml names itself and its line", async () => {
    assert.match(await messages("kbad"), /^kbad\/kustomization\.yaml:3: invalid YAML/m);
  });
  test("an alias bomb in a kustomization.yaml", async () => {
    assert.match(await messages("kbomb"), /^kbomb\/kustomization\.yaml:\d+: .*alias/m);
  });
  test("invalid UTF-8 is an error with its line, as kubeconform reports it", async () => {
    assert.match(await messages("utf8"), /^utf8\/cm\.yaml:4: not valid UTF-8/m);
  });
  test("deep nesting", async () => {
    assert.match(await messages("deep"), /^deep\/cm\.yaml(:\d+)?: .*nest/m);
  });
  test("a file over the per-file limit is refused before it is read", async () => {
    assert.match(
      await messages("big", { maxFileBytes: 1000 }),
      /^big\/a\.yaml: .*larger than the limit of 1000 bytes/m,
    );
  });
  test("a render over the per-render limit is refused", async () => {
    assert.match(
      await messages("big", { maxRenderBytes: 5000 }),
      /^big: .*more than the limit of 5000 bytes/m,
    );
  });
});

describe("tether render and validate exit 1 with the path and no stack", () => {
  for (const path of ["list-bomb", "laughs", "kbad", "kbomb"]) {
    for (const command of ["render", "validate"]) {
      test(`${command} ${path}`, async () => {
        const result = await tether([command, path], { cwd: root });
        assert.equal(result.code, 1, result.stderr + result.stdout);
        const output = result.stderr + result.stdout;
        assert.match(output, new RegExp(`${path}/`));
        assert.doesNotMatch(output, /\n\s+at .*\(.*:\d+:\d+\)/);
      });
    }
  }
});
