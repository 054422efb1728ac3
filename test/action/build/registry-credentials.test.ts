// Registry credentials are per host, as docker keeps them: TETHER_REGISTRY_USERNAME/
// PASSWORD (the Action's inputs) are for the registry of --image only. Registry B is
// the local environment's open registry behind a small recording proxy that asks for
// Basic auth, so the test sees every Authorization header B is sent (a real registry
// does not show them).
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { imageCommandAccess } from "../../../action/build/registry-access.ts";
import { basic, dockerConfig, pushImage, uniqueRepo } from "../../helpers/registry.ts";
import { type Testenv, testenv } from "../../helpers/testenv.ts";
import { cleanEnv, tether } from "./cli.ts";

let env: Testenv;
let proxy: Server;
let b: string;
let dir: string;
const seen: (string | undefined)[] = [];

before(async () => {
  env = testenv();
  dir = mkdtempSync(join(tmpdir(), "tether-creds-"));
  const [host, port] = env.registry.split(":");
  proxy = createServer((req, res) => {
    seen.push(req.headers.authorization);
    if (!req.headers.authorization) {
      res.writeHead(401, { "www-authenticate": 'Basic realm="b"', "content-type": "text/plain" });
      res.end("auth needed");
      return;
    }
    const headers = { ...req.headers };
    delete headers.authorization;
    const upstream = request(
      { host, port: Number(port), method: req.method, path: req.url, headers },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    req.pipe(upstream);
  });
  await new Promise<void>((done) => proxy.listen(0, "127.0.0.1", done));
  b = `127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});
after(() => {
  proxy.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("registry credentials per host", () => {
  test("imageCommandAccess: the environment's credentials go to --image's registry only; buildah's auth file too", async () => {
    const access = imageCommandAccess({
      insecure: true,
      image: "a.example:5000/x",
      env: {
        TETHER_REGISTRY_USERNAME: "a-user",
        TETHER_REGISTRY_PASSWORD: "a-pass",
        DOCKER_CONFIG: dockerConfig(dir, { "c.example": ["c-user", "c-pass"] }),
      },
    });
    try {
      const file = await access.authFile(["a.example:5000", "b.example", "c.example"]);
      const { readFile } = await import("node:fs/promises");
      const auths = JSON.parse(await readFile(file as string, "utf8")).auths;
      const decode = (h: string) => Buffer.from(auths[h].auth, "base64").toString();
      assert.deepEqual(Object.keys(auths).sort(), ["a.example:5000", "c.example"]);
      assert.equal(decode("a.example:5000"), "a-user:a-pass");
      assert.equal(decode("c.example"), "c-user:c-pass");
    } finally {
      await access.close();
    }
  });

  test("promote A → B with TETHER_REGISTRY_* sends B no Authorization; B's own docker config entry is used", async () => {
    const auth = { authorization: basic(env.registryUser, env.registryPassword) };
    const name = uniqueRepo("creds/src");
    await pushImage(env.registryAuth, name, { tags: ["dev-1234567"], headers: auth });
    const target = `${b}/${uniqueRepo("creds/dst")}`;
    const args = [
      "image",
      "promote",
      "--image",
      `${env.registryAuth}/${name}`,
      "--from",
      "dev-1234567",
      "--to-image",
      target,
      "--to-tag",
      "qa-1234567",
      "--insecure-registry",
    ];
    const fromEnv = {
      TETHER_REGISTRY_USERNAME: env.registryUser,
      TETHER_REGISTRY_PASSWORD: env.registryPassword,
    };
    seen.length = 0;
    const refused = await tether(args, {
      env: cleanEnv({ ...fromEnv, DOCKER_CONFIG: dockerConfig(dir, {}) }),
    });
    assert.equal(refused.code, 1, refused.stderr);
    assert.match(refused.stderr, new RegExp(`needs credentials for ${b}`));
    assert.ok(seen.length > 0, "B was asked");
    assert.deepEqual(
      seen.filter((h) => h !== undefined),
      [],
      "no Authorization header to B",
    );

    seen.length = 0;
    const own = await tether(args, {
      env: cleanEnv({
        ...fromEnv,
        DOCKER_CONFIG: dockerConfig(dir, { [b]: ["b-user", "b-pass"] }),
      }),
    });
    assert.equal(own.code, 0, own.stderr);
    const sent = new Set(seen.filter((h) => h !== undefined));
    assert.deepEqual([...sent], [basic("b-user", "b-pass")]);
  });
});
