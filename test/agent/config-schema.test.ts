// The agent's configuration file is checked against its schema (agent/config-schema.ts)
// before anything else: every unknown key and wrong type is named at its file:line, the
// command exits 2 (refused input) and nothing is applied. The schema's check is Ajv's
// standalone code, kept in agent/config-validator.ts: it must match the schema.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { validatorSource } from "../../.ci/config-validator.ts";
import { ConfigError, parseAgentConfig, validateConfig } from "../../agent/config.ts";
import { AGENT_CONFIG_SCHEMA } from "../../agent/config-schema.ts";
import { TestRepo } from "../helpers/git-repo.ts";
import { exists } from "../helpers/kubectl.ts";
import { tether } from "../helpers/tether.ts";

describe("agent configuration schema", () => {
  test("agent/config-validator.ts is the code Ajv generates for the schema (node .ci/config-validator.ts)", () => {
    const committed = readFileSync(
      new URL("../../agent/config-validator.ts", import.meta.url),
      "utf8",
    );
    assert.equal(committed, validatorSource(AGENT_CONFIG_SCHEMA));
  });

  test("the shipped example configuration passes", () => {
    const text = readFileSync(new URL("../../agent/install/config.yaml", import.meta.url), "utf8");
    const config = validateConfig(parseAgentConfig(text, "config.yaml"));
    assert.deepEqual(
      config.units.map((u) => u.name),
      ["infra", "apps"],
    );
  });

  test("every problem of the file is named at once, each at its line", () => {
    const text = [
      "git:", //                 1
      "  url: https://git.example/fleet.git",
      "  brnch: main", //        3
      "units:",
      "  - path: a",
      "    prune: 'yes'", //     6
      "  - path: b",
      "    dependsOn: [1]", //   8
      "  - name: c", //          9 (no path)
      "interval: 5", //          10
    ].join("\n");
    let error: unknown;
    try {
      parseAgentConfig(text, "agent.yaml");
    } catch (e) {
      error = e;
    }
    assert.ok(error instanceof ConfigError, String(error));
    const lines = error.message.split("\n").map((l) => l.trim());
    assert.equal(lines[0], "configuration: 5 problems:");
    assert.deepEqual(lines.slice(1).sort(), [
      "agent.yaml:10: interval: expected string, got number 5",
      'agent.yaml:3: git: unknown field "brnch"',
      'agent.yaml:6: units[0].prune: expected boolean, got string "yes"',
      "agent.yaml:8: units[1].dependsOn[0]: expected string, got number 1",
      "agent.yaml:9: units[2].path is required",
    ]);
  });

  for (const [yaml, message] of [
    ["git: [x]", /configuration: f:1: git: expected a mapping, got a list$/],
    ["units: {path: a}", /configuration: f:1: units: expected a list, got a mapping$/],
    [
      "git: {url: x, verifyMode: head}",
      /configuration: f:1: git\.verifyMode: expected "HEAD", "Tag" or "TagAndHEAD", got "head"$/,
    ],
    ["cluster: 3", /configuration: f:1: cluster: expected string, got number 3$/],
  ] as const) {
    test(`refused: ${yaml}`, () => assert.throws(() => parseAgentConfig(yaml, "f"), message));
  }

  test("a key without a value is not set, as before", () => {
    const config = parseAgentConfig("git:\n  url: x\n  branch:\nunits:\n  - path: a\n    wait:\n");
    assert.equal(config.git.branch, undefined);
    assert.equal(config.units[0]?.wait, false);
  });
});

describe("a bad configuration file on the command line", () => {
  const id = randomBytes(3).toString("hex");
  const ns = `cfgschema-${id}`;
  let repo: TestRepo;
  let dir: string;

  before(async () => {
    repo = await TestRepo.create("cfgschema");
    repo.write("apps/ns.yaml", `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${ns}}\n`);
    await repo.push("a namespace");
    dir = mkdtempSync(join(tmpdir(), "tether-cfgschema-"));
  });
  after(() => {
    repo?.cleanup();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const file = (extra: string) => {
    const path = join(dir, `config-${randomBytes(3).toString("hex")}.yaml`);
    writeFileSync(
      path,
      `namespace: tether-cfg-${id}\ngit:\n  url: ${repo.url}\nunits:\n  - path: apps\n${extra}`,
    );
    return path;
  };

  for (const [what, extra, message] of [
    ["an unknown key", "    prnue: true\n", /:6: units\[0\]: unknown field "prnue"/],
    [
      "a wrong type",
      "    prune: 'yes'\n",
      /:6: units\[0\]\.prune: expected boolean, got string "yes"/,
    ],
  ] as const) {
    test(`${what}: tether sync exits 2 naming the field, and applies nothing`, async () => {
      const config = file(extra);
      const result = await tether(
        ["sync", "--once", "--config", config, "--cache-dir", join(dir, "cache")],
        { exit: 2 },
      );
      assert.match(result.stderr, message);
      assert.ok(result.stderr.includes(config), result.stderr);
      assert.equal(await exists("namespace", ns), false);
    });
  }

  test("the same file without the mistake applies (the test can fail)", async () => {
    const config = file("    prune: true\n");
    await tether(["sync", "--once", "--config", config, "--cache-dir", join(dir, "cache")], {
      exit: 0,
    });
    assert.equal(await exists("namespace", ns), true);
  });
});
