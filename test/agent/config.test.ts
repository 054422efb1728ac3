import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  ConfigError,
  orderUnits,
  parseAgentConfig,
  parseDuration,
  type UnitConfig,
  unitNameFromPath,
  validateConfig,
} from "../../agent/config.ts";
import { nextDelay } from "../../agent/schedule.ts";

const unit = (name: string, dependsOn: string[] = []): UnitConfig => ({
  name,
  path: name,
  prune: false,
  wait: false,
  timeoutMs: 1,
  intervalMs: 1,
  dependsOn,
  allowEmpty: false,
  pruneCrdsAndNamespaces: false,
  deleteBudget: 0.5,
});

describe("agent configuration", () => {
  for (const [text, ms] of [
    ["30s", 30_000],
    ["5m", 300_000],
    ["1h30m", 5_400_000],
    ["250ms", 250],
    ["1.5s", 1500],
  ] as const) {
    test(`duration ${text} is ${ms}ms`, () => assert.equal(parseDuration(text, "x"), ms));
  }
  for (const bad of ["", "5", "5 m", "m5", "5d", "1h-3m"]) {
    test(`duration "${bad}" is refused`, () =>
      assert.throws(() => parseDuration(bad, "interval"), ConfigError));
  }

  for (const [path, name] of [
    ["clusters/edge-1/apps", "clusters-edge-1-apps"],
    ["./infra/", "infra"],
    ["Apps_V2", "apps-v2"],
    [".", "root"],
  ] as const) {
    test(`unit name of ${path} is ${name}`, () => assert.equal(unitNameFromPath(path), name));
  }

  test("units are ordered after their dependencies", () => {
    const ordered = orderUnits([unit("apps", ["infra"]), unit("infra", ["crds"]), unit("crds")]);
    assert.deepEqual(
      ordered.map((u) => u.name),
      ["crds", "infra", "apps"],
    );
  });

  test("a dependency cycle is reported with its path", () => {
    assert.throws(
      () => orderUnits([unit("a", ["b"]), unit("b", ["c"]), unit("c", ["a"])]),
      /dependency cycle: a -> b -> c -> a/,
    );
  });

  test("a dependency on a unit that does not exist is reported", () => {
    assert.throws(
      () => orderUnits([unit("a", ["ghost"])]),
      /depends on "ghost", which is not a unit/,
    );
  });

  test("two units with one name are refused", () => {
    assert.throws(() => orderUnits([unit("a"), unit("a")]), /two units are named "a"/);
  });

  test("a full file parses, with defaults applied and units ordered", () => {
    const config = validateConfig(
      parseAgentConfig(`
namespace: edge
git: {url: "https://git.example/fleet.git", branch: prod}
interval: 2m
prune: true
units:
  - {name: apps, path: clusters/c1/apps, dependsOn: [infra], wait: true, timeout: 3m}
  - {name: infra, path: clusters/c1/infra, prune: false, targetNamespace: infra}
`),
    );
    assert.equal(config.namespace, "edge");
    assert.equal(config.git.branch, "prod");
    assert.deepEqual(
      config.units.map((u) => [
        u.name,
        u.prune,
        u.wait,
        u.intervalMs,
        u.timeoutMs,
        u.targetNamespace,
      ]),
      [
        ["infra", false, false, 120_000, 300_000, "infra"],
        ["apps", true, true, 120_000, 180_000, undefined],
      ],
    );
  });

  for (const [yaml, message] of [
    ["units: [{path: a, prnue: true}]", /unknown field "prnue"/],
    ["units: [{name: a}]", /units\[0\]\.path is required/],
    ["units: [{path: a, name: Bad_Name}]", /use lowercase letters/],
    ["units: [{path: a, prune: 'yes'}]", /prune: expected boolean/],
    ["gitt: {}", /unknown field "gitt"/],
    ["units: [{path: a}]\nunits: []", /not valid YAML/],
    // YAML 1.2's core schema (js-yaml reads the file as `yaml` did): yes is a string.
    ["units: [{path: a, prune: yes}]", /prune: expected boolean/],
    ["units: [{path: a}]\n---\nunits: [{path: b}]", /not valid YAML: one document expected/],
    [
      "git: {url: x}\nunits:\n  - path: a\n    prnue: true",
      /config\.yaml:4: units\[0\]: unknown field "prnue"/,
    ],
    ["decryption: {provider: vault}", /decryption\.provider: expected "sops"/],
    ["decryption: {provider: sops, secretRef: {}}", /decryption\.secretRef\.name is required/],
    ["decryption: {provider: sops, keys: x}", /decryption: unknown field "keys"/],
  ] as const) {
    test(`a bad file is refused: ${message}`, () =>
      assert.throws(() => parseAgentConfig(yaml, "config.yaml"), message));
  }

  test("anchors and aliases read as YAML does; True is a boolean in the core schema", () => {
    const config = parseAgentConfig(
      "units:\n  - {path: a, prune: True, targetNamespace: &ns edge}\n  - {path: b, targetNamespace: *ns}\n",
    );
    assert.deepEqual(
      config.units.map((u) => [u.path, u.prune, u.targetNamespace]),
      [
        ["a", true, "edge"],
        ["b", false, "edge"],
      ],
    );
  });

  test("decryption names a Secret in the agent's namespace (Flux's spec.decryption shape)", () => {
    const config = parseAgentConfig(
      "decryption: {provider: sops, secretRef: {name: sops-keys}}\nunits: [{path: a}]",
    );
    assert.deepEqual(config.decryption, { provider: "sops", secretRef: { name: "sops-keys" } });
    assert.equal(parseAgentConfig("units: [{path: a}]").decryption, undefined);
  });

  test("a configuration without a URL or units is refused", () => {
    assert.throws(() => validateConfig(parseAgentConfig("units: [{path: a}]")), /no Git URL/);
    assert.throws(() => validateConfig(parseAgentConfig("git: {url: x}")), /no units/);
  });
});

describe("agent schedule", () => {
  test("after success the next run is the interval, with at most 10% jitter", () => {
    assert.equal(
      nextDelay(60_000, 0, () => 0.5),
      60_000,
    );
    assert.equal(
      nextDelay(60_000, 0, () => 0),
      54_000,
    );
    assert.equal(
      nextDelay(60_000, 0, () => 1),
      66_000,
    );
  });
  test("after failures the retry doubles from 5s, capped at the interval", () => {
    const delays = [1, 2, 3, 4, 5, 6].map((n) => nextDelay(60_000, n, () => 0.5));
    assert.deepEqual(delays, [5_000, 10_000, 20_000, 40_000, 60_000, 60_000]);
  });
});
