// The decisions behind a GitRepository's sparseCheckout, recurseSubmodules and timeout,
// as tables: which folders, which submodule URLs (and which are refused), where the
// credentials go, which cache folder, which duration. End to end:
// test/agent/flux/git-checkout-options.test.ts.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { DEFAULT_GIT_TIMEOUT, gitCheckoutOptions, gitTimeout } from "../../../agent/flux/source.ts";
import {
  checkoutDir,
  credentialOrigin,
  GitSourceError,
  gitEnvironment,
  insideSparse,
  parseGitmodules,
  SUBMODULE_PROTOCOLS,
  sparseDirectories,
  sparsePatterns,
  submoduleUrl,
} from "../../../agent/source/git.ts";

describe("sparseCheckout", () => {
  test("folders as written become folders of the repository; what is not one is refused", () => {
    const cases: [unknown[], string[]][] = [
      [["./apps"], ["apps"]],
      [
        ["apps/", "./deploy//edge/"],
        ["apps", "deploy/edge"],
      ],
      [["/infra"], ["infra"]],
      [[" ./a b "], ["a b"]],
    ];
    for (const [input, expected] of cases)
      assert.deepEqual(sparseDirectories(input), expected, JSON.stringify(input));
    for (const bad of [[""], ["."], ["./"], [".."], ["apps/../.."], ["a/./b"], [42]])
      assert.throws(() => sparseDirectories(bad), /is not a folder inside the repository/);
  });

  test("patterns hold each folder and what is below it, nothing at the root; globs escaped", () => {
    assert.equal(sparsePatterns(["apps", "deploy/edge"]), "/apps/\n/deploy/edge/\n");
    assert.equal(sparsePatterns(["a*b", "c?[d]", "e\\f"]), "/a\\*b/\n/c\\?\\[d]/\n/e\\\\f/\n");
  });

  test("a submodule is inside the sparse folders when its path is one or below one", () => {
    assert.equal(insideSparse("vendor/x", undefined), true);
    assert.equal(insideSparse("vendor/x", []), true);
    assert.equal(insideSparse("vendor/x", ["vendor"]), true);
    assert.equal(insideSparse("vendor", ["vendor"]), true);
    assert.equal(insideSparse("vendor-old/x", ["vendor"]), false);
    assert.equal(insideSparse("apps/x", ["vendor"]), false);
  });
});

describe("the cache folder", () => {
  const base = { url: "https://git.example/org/mono.git", branch: "main" };
  test("sparse, with submodules and whole checkouts of one URL are apart; the order of folders is not", () => {
    const whole = checkoutDir("/c", base);
    const sparse = checkoutDir("/c", { ...base, sparseCheckout: ["apps"] });
    const other = checkoutDir("/c", { ...base, sparseCheckout: ["infra"] });
    const both = checkoutDir("/c", { ...base, sparseCheckout: ["apps", "infra"] });
    const swapped = checkoutDir("/c", { ...base, sparseCheckout: ["infra", "apps"] });
    const submodules = checkoutDir("/c", { ...base, recurseSubmodules: true });
    assert.equal(new Set([whole, sparse, other, both, submodules]).size, 5);
    assert.equal(both, swapped);
    // A plain checkout keeps the folder it had before these fields were read.
    assert.equal(
      checkoutDir("/c", { ...base, sparseCheckout: [], recurseSubmodules: false }),
      whole,
    );
  });

  test("a timeout does not change the folder", () => {
    const deadline = { signal: new AbortController().signal, label: "5s (spec.timeout)" };
    assert.equal(checkoutDir("/c", { ...base, deadline }), checkoutDir("/c", base));
  });
});

describe("submodule URLs", () => {
  const parent = "http://127.0.0.1:8080/org/main.git";
  const url = (declared: string, from = parent) => submoduleUrl(from, { name: "m", url: declared });
  test("relative URLs resolve against the repository's URL, as git resolves them against its remote", () => {
    assert.equal(url("../lib.git"), "http://127.0.0.1:8080/org/lib.git");
    assert.equal(url("../../other/lib"), "http://127.0.0.1:8080/other/lib");
    assert.equal(url("./sub"), "http://127.0.0.1:8080/org/main.git/sub");
    assert.equal(url("../lib.git", "ssh://git@host/org/main.git"), "ssh://git@host/org/lib.git");
    assert.equal(url("../lib.git", "git@host:org/main.git"), "git@host:org/lib.git");
  });

  test("network URLs stand", () => {
    for (const u of [
      "https://github.com/org/lib.git",
      "http://127.0.0.1:8080/lib.git",
      "ssh://git@host/org/lib.git",
      "git@github.com:org/lib.git",
    ])
      assert.equal(url(u), u);
  });

  test("the agent's disk and other transports are refused, naming the submodule", () => {
    for (const u of [
      "/var/lib/tether/cache/abc",
      "file:///etc",
      "file://localhost/srv/git/x.git",
      "C:\\repos\\x",
      "~/x.git",
      "lib",
      "ext::sh -c touch% /tmp/pwned",
      "fd::17",
      "git://host/x.git",
    ])
      assert.throws(
        () => url(u),
        (error: Error) =>
          error instanceof GitSourceError && /^submodule 'm' URL .* refused/.test(error.message),
        u,
      );
    assert.throws(() => url("../../../../x", "git@host:org/main.git"), /refused/);
    assert.throws(() => url("../x", "/srv/git/main.git"), /refused/);
  });

  // `git config --blob HEAD:.gitmodules --null --list`: each entry `key\nvalue\0`.
  const listed = (...entries: string[]) => entries.map((entry) => `${entry}\0`).join("");

  test(".gitmodules as git lists it: names and values as git reads them, whatever they hold", () => {
    const cases: [string, string, { name: string; path: string; url: string }[]][] = [
      [
        "a name with a slash",
        listed("submodule.vendor/lib.path\nvendor/lib", "submodule.vendor/lib.url\n../lib.git"),
        [{ name: "vendor/lib", path: "vendor/lib", url: "../lib.git" }],
      ],
      [
        "a name with dots",
        listed("submodule.a.b.url\nhttps://h/a.b.git", "submodule.a.b.path\ndeps/a.b"),
        [{ name: "a.b", url: "https://h/a.b.git", path: "deps/a.b" }],
      ],
      [
        "`.url ` and `.path ` in a name and in values (a split of lines at the last one took them apart)",
        listed(
          "submodule.x.url y.path\nvendor/x.url z",
          "submodule.x.url y.url\nhttps://h/x.path q.git",
        ),
        [{ name: "x.url y", path: "vendor/x.url z", url: "https://h/x.path q.git" }],
      ],
      [
        "spaces and quotes in a name",
        listed('submodule.my "lib".path\nlib', 'submodule.my "lib".url\nhttps://h/lib'),
        [{ name: 'my "lib"', path: "lib", url: "https://h/lib" }],
      ],
      [
        "other sections and keys are not read; the last of a repeated key wins, as in git",
        listed(
          "core.bare\nfalse",
          "submodule.m.branch\nmain",
          "submodule.m.path\nold",
          "submodule.m.path\nm",
          "submodule.m.url\nhttps://h/m",
        ),
        [{ name: "m", path: "m", url: "https://h/m" }],
      ],
      ["no entries", "", []],
    ];
    for (const [what, output, expected] of cases)
      assert.deepEqual(parseGitmodules(output), expected, what);
  });

  test("a submodule .gitmodules does not fully declare is refused, naming it and .gitmodules: never left out", () => {
    const cases: [string, string, RegExp][] = [
      ["no url", listed("submodule.nourl.path\nx"), /submodule 'nourl' in \.gitmodules has no url/],
      [
        "no path",
        listed("submodule.nopath.url\nhttps://h/x"),
        /submodule 'nopath' in \.gitmodules has no path/,
      ],
      [
        "an empty path",
        listed("submodule.e.path\n", "submodule.e.url\nhttps://h/e"),
        /submodule 'e' in \.gitmodules has no path/,
      ],
      [
        "a key without a value",
        listed("submodule.flag.path", "submodule.flag.url\nhttps://h/x"),
        /submodule 'flag' in \.gitmodules: path has no value/,
      ],
      [
        "a name git refuses (a .. step)",
        listed("submodule.../x.path\nx", "submodule.../x.url\nhttps://h/x"),
        /submodule '\.\.\/x' in \.gitmodules: git refuses its name/,
      ],
      [
        "two submodules at one path",
        listed(
          "submodule.a.path\nsame",
          "submodule.a.url\nhttps://h/a",
          "submodule.b.path\nsame/",
          "submodule.b.url\nhttps://h/b",
        ),
        /submodules 'a' and 'b' in \.gitmodules have one path/,
      ],
      [
        "output not in git's --null form",
        "submodule.m.path m\nsubmodule.m.url https://h/m\n",
        /\.gitmodules cannot be read/,
      ],
    ];
    for (const [what, output, message] of cases)
      assert.throws(
        () => parseGitmodules(output),
        (error: Error) => error instanceof GitSourceError && message.test(error.message),
        what,
      );
  });

  test("a URL git would read as an option is refused", () => {
    for (const u of ["-oProxyCommand=x", "-o@host:x", "git@-oProxyCommand:x", "ssh://-oX/x"])
      assert.throws(() => url(u), /refused/, u);
  });
});

describe("credentials when submodules are fetched", () => {
  const config = (env: NodeJS.ProcessEnv) => {
    const pairs: [string, string][] = [];
    for (let i = 0; i < Number(env.GIT_CONFIG_COUNT); i++)
      pairs.push([env[`GIT_CONFIG_KEY_${i}`] ?? "", env[`GIT_CONFIG_VALUE_${i}`] ?? ""]);
    return pairs;
  };
  const spec = {
    url: "https://git.example:8443/org/main.git",
    credentials: { username: "bot", password: "s3cret" },
  };

  test("the header goes to the repository's origin only, and only network transports are allowed", () => {
    assert.equal(credentialOrigin(spec.url), "https://git.example:8443/");
    assert.equal(credentialOrigin("git@host:org/x.git"), undefined);
    const scoped = config(gitEnvironment(spec, { submodules: true }));
    const header = scoped.find(([k]) => k.endsWith("extraHeader"));
    assert.equal(header?.[0], "http.https://git.example:8443/.extraHeader");
    assert.match(header?.[1] ?? "", /^Authorization: Basic /);
    for (const pair of SUBMODULE_PROTOCOLS)
      assert.ok(scoped.some(([k, v]) => k === pair[0] && v === pair[1]));
    assert.deepEqual(
      SUBMODULE_PROTOCOLS.filter(([, v]) => v === "always").map(([k]) => k),
      ["protocol.https.allow", "protocol.http.allow", "protocol.ssh.allow"],
    );
  });

  test("the repository's own fetch is as before: the header unscoped, no protocol limits", () => {
    const plain = config(gitEnvironment(spec));
    assert.ok(plain.some(([k]) => k === "http.extraHeader"));
    assert.equal(
      plain.some(([k]) => k.startsWith("protocol.")),
      false,
    );
  });
});

describe("spec.timeout", () => {
  test("Flux durations; 60s when not set; anything else refused", () => {
    assert.equal(DEFAULT_GIT_TIMEOUT, "60s");
    assert.deepEqual(gitTimeout(undefined), { ms: 60_000, label: "60s (spec.timeout)" });
    assert.deepEqual(gitTimeout(""), { ms: 60_000, label: "60s (spec.timeout)" });
    assert.equal(gitTimeout("1m30s").ms, 90_000);
    assert.equal(gitTimeout("500ms").ms, 500);
    assert.equal(gitTimeout("1ms").label, "1ms (spec.timeout)");
    for (const bad of ["soon", "10", "-5s", "0s", 30])
      assert.throws(() => gitTimeout(bad), /spec\.timeout .* is not a duration/, String(bad));
  });
});

describe("the checkout fields' types (a cluster without the CRD's validation may hold any)", () => {
  test("a list of folders, a boolean and a duration are read; unset (or null) is none", () => {
    const none = { sparse: [], recurseSubmodules: false, timeout: gitTimeout(undefined) };
    assert.deepEqual(gitCheckoutOptions({}), none);
    assert.deepEqual(
      gitCheckoutOptions({ sparseCheckout: null, recurseSubmodules: null, timeout: null }),
      none,
    );
    assert.deepEqual(gitCheckoutOptions({ sparseCheckout: [], recurseSubmodules: false }), none);
    assert.deepEqual(
      gitCheckoutOptions({ sparseCheckout: ["./apps"], recurseSubmodules: true, timeout: "5s" }),
      {
        sparse: [{ written: "./apps", dir: "apps" }],
        recurseSubmodules: true,
        timeout: { ms: 5000, label: "5s (spec.timeout)" },
      },
    );
  });

  test("a value of another type is refused, never read as none", () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      ...["./apps", "", { apps: true }, 42, true, ["./apps", 42], [null], [["apps"]]].map(
        (value): [Record<string, unknown>, RegExp] => [
          { sparseCheckout: value },
          /spec\.sparseCheckout must be a list of folders/,
        ],
      ),
      ...["true", "false", 1, 0, [], {}].map((value): [Record<string, unknown>, RegExp] => [
        { recurseSubmodules: value },
        /spec\.recurseSubmodules must be true or false/,
      ]),
      ...[30, true, {}, ["5s"], "soon"].map((value): [Record<string, unknown>, RegExp] => [
        { timeout: value },
        /spec\.timeout .* is not a duration/,
      ]),
    ];
    for (const [spec, message] of cases)
      assert.throws(() => gitCheckoutOptions(spec), message, JSON.stringify(spec));
  });
});
