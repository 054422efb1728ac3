import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import {
  credentialsFor,
  credentialsFromEnv,
  dockerConfigFromSecret,
  dockerConfigPath,
  loadDockerConfig,
  parseDockerConfig,
  registryKey,
} from "../../../shared/registry/credentials.ts";

const b64 = (s: string) => Buffer.from(s).toString("base64");

describe("Docker config.json", () => {
  const config = parseDockerConfig(
    JSON.stringify({
      auths: {
        "https://index.docker.io/v1/": { auth: b64("hubuser:hub:pass") },
        "ghcr.io": { username: "octo", password: "ghp_x" },
        "http://127.0.0.1:5000/v2/": { auth: b64("local:pw") },
        "registry.example.com": { registrytoken: "tok" },
        "acr.example.io": { identitytoken: "refresh" },
      },
      credsStore: "desktop",
    }),
  );

  const lookups: [string, object | undefined][] = [
    // The password may itself contain ":"; only the first one separates.
    ["docker.io", { username: "hubuser", password: "hub:pass" }],
    ["registry-1.docker.io", { username: "hubuser", password: "hub:pass" }],
    ["ghcr.io", { username: "octo", password: "ghp_x" }],
    ["GHCR.io", { username: "octo", password: "ghp_x" }],
    ["127.0.0.1:5000", { username: "local", password: "pw" }],
    ["127.0.0.1:5001", undefined],
    ["registry.example.com", { registryToken: "tok" }],
    ["acr.example.io", { identityToken: "refresh" }],
  ];
  for (const [registry, expected] of lookups) {
    test(`credentials for ${registry}`, () =>
      assert.deepEqual(credentialsFor(config, registry), expected));
  }

  test("keeps credsStore so callers can say helpers are not run", () => {
    assert.equal(config.credsStore, "desktop");
  });

  test("registry keys are normalized", () => {
    assert.equal(registryKey("https://index.docker.io/v1/"), "docker.io");
    assert.equal(registryKey("HTTP://Reg.IO:443/path"), "reg.io:443");
  });

  test("errors name the file", () => {
    assert.throws(
      () => parseDockerConfig("{", "/x/config.json"),
      /\/x\/config.json is not valid JSON/,
    );
    assert.throws(() => parseDockerConfig('{"auths":[]}', "c.json"), /"auths" is not an object/);
    assert.throws(
      () =>
        parseDockerConfig(
          JSON.stringify({ auths: { "r.io": { auth: b64("nocolon") } } }),
          "c.json",
        ),
      /c.json: auths\["r.io"\]: "auth" is not base64/,
    );
  });

  test("loads from DOCKER_CONFIG; a missing file is empty", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tether-dockercfg-"));
    try {
      assert.equal(dockerConfigPath({ DOCKER_CONFIG: dir }), join(dir, "config.json"));
      assert.deepEqual(await loadDockerConfig(join(dir, "config.json")), { auths: {} });
      writeFileSync(
        join(dir, "config.json"),
        JSON.stringify({ auths: { "r.io": { auth: b64("u:p") } } }),
      );
      const loaded = await loadDockerConfig(dockerConfigPath({ DOCKER_CONFIG: dir }));
      assert.deepEqual(credentialsFor(loaded, "r.io"), { username: "u", password: "p" });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("TETHER_REGISTRY_USERNAME/PASSWORD, only when both are set", () => {
    assert.deepEqual(
      credentialsFromEnv({ TETHER_REGISTRY_USERNAME: "u", TETHER_REGISTRY_PASSWORD: "p" }),
      { username: "u", password: "p" },
    );
    assert.equal(credentialsFromEnv({ TETHER_REGISTRY_USERNAME: "u" }), undefined);
  });
});

describe("kubernetes.io/dockerconfigjson Secrets", () => {
  const json = JSON.stringify({ auths: { "ghcr.io": { auth: b64("bot:s3cret") } } });

  test("data (base64), as the API returns it", () => {
    const secret = {
      apiVersion: "v1",
      kind: "Secret",
      type: "kubernetes.io/dockerconfigjson",
      metadata: { name: "regcred" },
      data: { ".dockerconfigjson": b64(json) },
    };
    assert.deepEqual(credentialsFor(dockerConfigFromSecret(secret), "ghcr.io"), {
      username: "bot",
      password: "s3cret",
    });
  });

  test("stringData, as a manifest may write it", () => {
    const secret = { metadata: { name: "regcred" }, stringData: { ".dockerconfigjson": json } };
    assert.deepEqual(credentialsFor(dockerConfigFromSecret(secret), "ghcr.io"), {
      username: "bot",
      password: "s3cret",
    });
  });

  test("the legacy .dockercfg form", () => {
    const secret = {
      data: { ".dockercfg": b64(JSON.stringify({ "ghcr.io": { auth: b64("a:b") } })) },
    };
    assert.deepEqual(credentialsFor(dockerConfigFromSecret(secret), "ghcr.io"), {
      username: "a",
      password: "b",
    });
  });

  test("a key that is not JSON is named, its content never quoted", () => {
    // Node's own message would quote `..."password":s3cretPASS"...`.
    const malformed = '{"auths":{"ghcr.io":{"username":"bot","password":s3cretPASS"}}}';
    const cases: [Record<string, unknown>, RegExp][] = [
      [
        {
          metadata: { name: "regcred", namespace: "apps" },
          data: { ".dockerconfigjson": b64(malformed) },
        },
        /^Secret apps\/regcred key \.dockerconfigjson is not valid JSON/,
      ],
      [
        {
          metadata: { name: "regcred" },
          stringData: { ".dockercfg": '{"ghcr.io":{"auth":s3cretPASS}}' },
        },
        /^Secret regcred key \.dockercfg is not valid JSON/,
      ],
    ];
    for (const [secret, expected] of cases) {
      assert.throws(
        () => dockerConfigFromSecret(secret),
        (error: Error) => {
          assert.match(error.message, expected);
          assert.doesNotMatch(error.message, /s3cret|PASS|password|bot/);
          return true;
        },
      );
    }
    // A config.json on disk is no different: where, when Node says it, never the text.
    assert.throws(
      () => parseDockerConfig('{"auths":{"r.io":{"password":s3cretPASS"}}}', "/x/config.json"),
      (error: Error) => {
        assert.equal(error.message, "/x/config.json is not valid JSON");
        return true;
      },
    );
    assert.throws(
      () => parseDockerConfig('{"auths":{"r.io":{"password":"s3cretPASS"}}', "/x/config.json"),
      (error: Error) => {
        assert.equal(error.message, "/x/config.json is not valid JSON (at line 1 column 44)");
        return true;
      },
    );
  });

  test("a Secret of another kind says how to make the right one", () => {
    assert.throws(
      () => dockerConfigFromSecret({ metadata: { name: "x" }, data: { token: "abc" } }),
      /Secret x has no .dockerconfigjson key: create it with `kubectl create secret docker-registry`/,
    );
  });
});
