// `tether images select` run as a process: stdout, stderr and exit code are the contract.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { parseTagList } from "../../../agent/automation/select-command.ts";
import { tether } from "../../helpers/tether.ts";

const root = fileURLToPath(new URL("../../..", import.meta.url));
const seedPolicy = `---
apiVersion: image.toolkit.fluxcd.io/v1beta2
kind: ImagePolicy
metadata:
  name: app-demo
  namespace: flux-system
spec:
  filterTags:
    extract: $timestamp
    pattern: ^RELEASE\\.(?P<timestamp>.*)Z$
  imageRepositoryRef:
    name: app-demo
  policy:
    alphabetical:
      order: asc
`;

const semverPolicy = `apiVersion: image.toolkit.fluxcd.io/v1
kind: ImagePolicy
metadata:
  name: podinfo
spec:
  imageRepositoryRef:
    name: podinfo
  policy:
    semver:
      range: ">=1.0.0-0 <2.0.0"
`;

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), "tether-images-select-"));
});
after(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

async function select(policy: string, tags: string) {
  return tether(["images", "select", "--policy", policy, "--tags", tags], {
    // A deadline, not a timing: a backtracking engine would run for hours.
    cwd: root,
    timeoutMs: 30_000,
  });
}

describe("tether images select", () => {
  const ok: { name: string; policy: string; tags: string; want: string }[] = [
    {
      name: "seed 002 policy and RELEASE tags",
      policy: seedPolicy,
      tags: "RELEASE.2022-01-16T05-42-20Z\nRELEASE.2022-02-01T10-00-00Z\nlatest\n",
      want: "RELEASE.2022-02-01T10-00-00Z\n",
    },
    {
      name: "CRLF tag file with blank lines and padding",
      policy: seedPolicy,
      tags: "\r\n  RELEASE.2022-01-16T05-42-20Z  \r\n\r\nRELEASE.2021-01-01T00-00-00Z\r\n",
      want: "RELEASE.2022-01-16T05-42-20Z\n",
    },
    {
      name: "semver with v prefixes and pre-releases",
      policy: semverPolicy,
      tags: "v1.0.0\nv1.4.0-rc.1\n1.3.2\n2.0.0\nlatest",
      want: "v1.4.0-rc.1\n",
    },
  ];
  for (const [i, c] of ok.entries()) {
    test(c.name, async () => {
      const result = await select(file(`ok-${i}.yaml`, c.policy), file(`ok-${i}.txt`, c.tags));
      assert.equal(result.stderr, "");
      assert.equal(result.stdout, c.want);
      assert.equal(result.code, 0);
    });
  }

  test("a pattern that backtracks exponentially finishes on a 60-character tag", async () => {
    const policy = seedPolicy
      .replace("extract: $timestamp", "extract: ''")
      .replace("pattern: ^RELEASE\\.(?P<timestamp>.*)Z$", "pattern: ^([a-z0-9]+-?)+$");
    const started = performance.now();
    const result = await select(
      file("redos.yaml", policy),
      file("redos.txt", `${"a".repeat(59)}!\n`),
    );
    console.log(
      `# tether images select, ReDoS pattern: ${(performance.now() - started).toFixed(0)} ms`,
    );
    assert.match(result.stderr, /none of the 1 tag\(s\) matches filterTags\.pattern/);
    assert.equal(result.code, 1);
  });

  const failing: { name: string; policy: string; tags: string; stderr: RegExp }[] = [
    {
      name: "no tag matches",
      policy: seedPolicy,
      tags: "latest\nv1\n",
      stderr: /^error: none of the 2 tag\(s\) matches filterTags\.pattern/,
    },
    {
      name: "empty tag file",
      policy: seedPolicy,
      tags: "\n\n",
      stderr: /^error: no tags to select from/,
    },
    {
      name: "invalid policy",
      policy: seedPolicy.replace("order: asc", "order: ASC"),
      tags: "RELEASE.2022-01-16T05-42-20Z\n",
      stderr:
        /^error: ImagePolicy flux-system\/app-demo is invalid: spec\.policy\.alphabetical\.order: must be "asc" or "desc"/,
    },
    {
      name: "numerical policy meets a tag that is not a number",
      policy: semverPolicy.replace(
        'semver:\n      range: ">=1.0.0-0 <2.0.0"',
        "numerical:\n      order: asc",
      ),
      tags: "1\n2\nlatest\n",
      stderr: /^error: tag "latest" is not a number/,
    },
    {
      name: "two ImagePolicies in one file",
      policy: `${seedPolicy}---\n${semverPolicy}`,
      tags: "1.0.0\n",
      stderr: /holds 2 ImagePolicy documents/,
    },
    {
      name: "not YAML",
      policy: "kind: [ImagePolicy\n",
      tags: "1.0.0\n",
      stderr: /not valid YAML/,
    },
  ];
  for (const [i, c] of failing.entries()) {
    test(c.name, async () => {
      const result = await select(file(`bad-${i}.yaml`, c.policy), file(`bad-${i}.txt`, c.tags));
      assert.match(result.stderr, c.stderr);
      assert.equal(result.stdout, "");
      assert.equal(result.code, 1);
    });
  }

  test("a missing file is an error", async () => {
    const result = await select(join(dir, "missing.yaml"), file("tags.txt", "1.0.0\n"));
    assert.match(result.stderr, /^error: ENOENT/);
    assert.equal(result.code, 1);
  });
});

describe("parseTagList", () => {
  test("one tag per line; blank lines and surrounding spaces ignored", () => {
    assert.deepEqual(parseTagList("a\r\n\n  b  \n\t\nc"), ["a", "b", "c"]);
  });
});
