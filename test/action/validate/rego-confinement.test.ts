// Policies come from the pull request, so they are untrusted code: with the real opa,
// a policy that reads opa.runtime().env, calls http.send or net.lookup_ip_addr gets
// nothing (opa runs with a clean environment and a capabilities file without those
// builtins), and no value of the runner's environment reaches any output format.
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { restrictCapabilities } from "../../../action/validate/rego.ts";
import { Fixture, validate } from "./helpers.ts";

const SECRET = "ghs_policyMustNeverSeeThis0123456789";
const fixture = new Fixture("rego-confine");
let server: Server;
let connections = 0;
let port = 0;

before(async () => {
  server = createServer((_req, res) => res.end("{}"));
  server.on("connection", () => connections++);
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  port = (server.address() as AddressInfo).port;
  fixture.write("apps/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n");
});
after(() => {
  server.close();
  fixture.cleanup();
});

describe("restrictCapabilities", () => {
  const current = {
    builtins: [
      { name: "opa.runtime" },
      { name: "http.send" },
      { name: "net.lookup_ip_addr" },
      { name: "net.cidr_contains" },
      { name: "sprintf" },
    ],
    features: ["rego_v1"],
  };
  test("withholds opa.runtime, http.send and net.*, and allows no host", () => {
    const r = restrictCapabilities(current) as { builtins: { name: string }[]; allow_net: [] };
    assert.deepEqual(
      r.builtins.map((b) => b.name),
      ["sprintf"],
    );
    assert.deepEqual(r.allow_net, []);
  });
  test("gives back what is named, a net.* family, or everything", () => {
    const names = (allow: string[]) =>
      (restrictCapabilities(current, allow).builtins as { name: string }[]).map((b) => b.name);
    assert.deepEqual(names(["opa.runtime"]), ["opa.runtime", "sprintf"]);
    assert.deepEqual(names(["net.*"]), ["net.lookup_ip_addr", "net.cidr_contains", "sprintf"]);
    assert.equal(names(["all"]).length, 5);
  });
});

describe("tether validate --policy with hostile policies (real opa)", () => {
  const policies: Record<string, string> = {
    env: `package main
import rego.v1
deny contains msg if {
  msg := sprintf("env: %v", [opa.runtime().env])
}
`,
    http: `package main
import rego.v1
deny contains msg if {
  r := http.send({"method": "GET", "url": "http://127.0.0.1:${"{port}"}/x"})
  msg := sprintf("http: %v", [r])
}
`,
    net: `package main
import rego.v1
deny contains msg if {
  msg := sprintf("net: %v", [net.lookup_ip_addr("localhost")])
}
`,
  };
  for (const [name, text] of Object.entries(policies)) {
    test(`${name}: refused, and no environment value in any output format`, async () => {
      fixture.write(`policy-${name}/p.rego`, text.replace("{port}", String(port)));
      const before = connections;
      for (const format of ["json", "github", "text", "sarif"]) {
        const result = await validate(["apps", "--policy", `policy-${name}`, "-o", format], {
          cwd: fixture.root,
          env: { GITHUB_TOKEN: SECRET, TETHER_REGISTRY_PASSWORD: SECRET, MY_SECRET: SECRET },
        });
        const output = result.stdout + result.stderr;
        assert.notEqual(result.code, 0, output);
        assert.ok(!output.includes(SECRET), `${format} output carries an environment value`);
        assert.match(output, /unsafe built-in function|undefined function/, output);
      }
      assert.equal(connections, before, "no request from a policy");
    });
  }

  test("--allow-builtin opa.runtime compiles, and the environment is still empty", async () => {
    fixture.write("policy-env/p.rego", policies.env as string);
    const result = await validate(
      ["apps", "--policy", "policy-env", "--allow-builtin", "opa.runtime", "-o", "json"],
      { cwd: fixture.root, env: { GITHUB_TOKEN: SECRET } },
    );
    assert.equal(result.code, 1, result.stderr);
    assert.ok(!result.stdout.includes(SECRET));
    assert.doesNotMatch(result.stdout, /unsafe built-in/);
    assert.match(result.stdout, /env: \{/);
  });
});
