import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  Authenticator,
  basicAuthorization,
  parseChallenges,
  parseTokenAnswer,
  repositoryScope,
  scopesCover,
  scopesKey,
  TokenRequestError,
  tokenUrl,
} from "../../../shared/registry/auth.ts";

describe("WWW-Authenticate", () => {
  const cases: [string, object[]][] = [
    [
      'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:samalba/my-app:pull,push"',
      [
        {
          scheme: "bearer",
          params: {
            realm: "https://auth.docker.io/token",
            service: "registry.docker.io",
            scope: "repository:samalba/my-app:pull,push",
          },
        },
      ],
    ],
    [
      'Basic realm="tether-test-registry"',
      [{ scheme: "basic", params: { realm: "tether-test-registry" } }],
    ],
    [
      'Basic realm="a, b", Bearer realm="https://t/x",error="insufficient_scope"',
      [
        { scheme: "basic", params: { realm: "a, b" } },
        { scheme: "bearer", params: { realm: "https://t/x", error: "insufficient_scope" } },
      ],
    ],
    [
      'Bearer Realm=https://t/token, Service="s\\"q"',
      [{ scheme: "bearer", params: { realm: "https://t/token", service: 's"q' } }],
    ],
    ["", []],
  ];
  for (const [header, expected] of cases) {
    test(header || "(empty)", () => assert.deepEqual(parseChallenges(header), expected));
  }
});

describe("scopes and the token request", () => {
  const pull = repositoryScope("team/app", "pull");
  const pullPush = repositoryScope("team/app", "pull", "push");
  const other = repositoryScope("team/base", "pull");

  test("a pull,push token covers pull; not the other way round", () => {
    assert.ok(scopesCover([pullPush], [pull]));
    assert.ok(!scopesCover([pull], [pullPush]));
    assert.ok(scopesCover([pullPush, other], [pull, other]));
    assert.ok(!scopesCover([pullPush], [other]));
  });

  test("scope keys ignore order", () => {
    assert.equal(
      scopesKey([other, repositoryScope("team/app", "push", "pull")]),
      scopesKey([pullPush, other]),
    );
  });

  test("one scope parameter per scope, the account, and the service", () => {
    const url = tokenUrl(
      { scheme: "bearer", params: { realm: "https://auth.example/token?x=1", service: "reg" } },
      [pullPush, other],
      "me",
    );
    assert.equal(url.origin + url.pathname, "https://auth.example/token");
    assert.equal(url.searchParams.get("x"), "1");
    assert.equal(url.searchParams.get("service"), "reg");
    assert.deepEqual(url.searchParams.getAll("scope"), [
      "repository:team/app:pull,push",
      "repository:team/base:pull",
    ]);
    assert.equal(url.searchParams.get("account"), "me");
  });

  test("token answers: token or access_token, default lifetime 60s", () => {
    assert.deepEqual(parseTokenAnswer({ token: "t", expires_in: 300 }), {
      token: "t",
      expiresIn: 300,
    });
    assert.deepEqual(parseTokenAnswer({ access_token: "a" }), { token: "a", expiresIn: 60 });
    assert.throws(() => parseTokenAnswer({}), /without a token/);
  });
});

describe("Authenticator", () => {
  const pull = [repositoryScope("app", "pull")];
  const push = [repositoryScope("app", "pull", "push")];

  test("sends Basic before any challenge when it has credentials, nothing without", async () => {
    const noCall = async () => assert.fail("no token request expected");
    assert.equal(
      await new Authenticator({ username: "u", password: "p" }, noCall).header(pull),
      basicAuthorization("u", "p"),
    );
    assert.equal(await new Authenticator(undefined, noCall).header(pull), undefined);
  });

  test("after a Bearer challenge: one token per scope set, reused while it lasts, covering weaker scopes", async () => {
    const asked: string[][] = [];
    let now = 1_000_000;
    const auth = new Authenticator(
      { username: "u", password: "p" },
      async (url, headers) => {
        asked.push(url.searchParams.getAll("scope"));
        assert.equal(headers.authorization, basicAuthorization("u", "p"));
        return Response.json({ token: `t${asked.length}`, expires_in: 60 });
      },
      () => now,
    );
    assert.ok(auth.unauthorized('Bearer realm="http://127.0.0.1:1/token",service="s"', push));
    assert.equal(await auth.header(push), "Bearer t1");
    assert.equal(await auth.header(pull), "Bearer t1", "pull,push covers pull");
    now += 55_000; // past expires_in minus the 10s margin
    assert.equal(await auth.header(pull), "Bearer t2");
    assert.deepEqual(asked, [["repository:app:pull,push"], ["repository:app:pull"]]);
  });

  test("a refused Basic login is not repeated", () => {
    const auth = new Authenticator(
      { username: "u", password: "wrong" },
      async () => new Response(),
    );
    assert.equal(auth.unauthorized('Basic realm="r"', pull), false);
  });

  test("token server errors carry the status and the server's words", async () => {
    const auth = new Authenticator({ username: "u", password: "p" }, async () =>
      Response.json({ details: "incorrect username or password" }, { status: 401 }),
    );
    auth.unauthorized('Bearer realm="http://127.0.0.1:1/token"', pull);
    await assert.rejects(auth.header(pull), (e: Error) => {
      assert.ok(e instanceof TokenRequestError);
      assert.equal(e.status, 401);
      assert.match(e.message, /answered 401: .*incorrect username or password/);
      return true;
    });
  });
});
