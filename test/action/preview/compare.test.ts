// The pure part of the preview: the comparison of two renders (compare.ts) and the
// Markdown of the comment (format.ts), table by table, without Git or a cluster.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { compareRenders, fieldDiff, imagesOf } from "../../../action/preview/compare.ts";
import { commentMarkdown, formatJson, formatMarkdown } from "../../../action/preview/format.ts";
import {
  type ClusterRender,
  type RenderedObject,
  sameRepo,
} from "../../../action/preview/render.ts";
import type { KubeObject } from "../../../shared/manifests/object.ts";

const unit = { name: "clusters/a", prune: true };
const obj = (
  object: Partial<KubeObject> & { kind: string; name: string; ns?: string },
  owner = unit,
): RenderedObject => {
  const { kind, name, ns, ...rest } = object;
  return {
    object: {
      apiVersion: kind === "Deployment" ? "apps/v1" : "v1",
      kind,
      metadata: { name, ...(ns ? { namespace: ns } : {}) },
      ...rest,
    } as KubeObject,
    source: { file: "x.yaml" },
    owner,
  };
};
const render = (...objects: RenderedObject[]): ClusterRender => ({
  exists: true,
  objects,
  notes: [],
  secretValues: [],
});

test("sameRepo: one repository however its URL is written", () => {
  const same = [
    ["https://github.com/acme/fleet", "ssh://git@github.com/acme/fleet.git"],
    ["git@github.com:acme/fleet.git", "https://x-access-token:t@github.com/Acme/Fleet/"],
    ["https://github.com:443/acme/fleet", "http://github.com/acme/fleet.git"],
  ];
  for (const [a, b] of same) assert.ok(sameRepo(a as string, b as string), `${a} ${b}`);
  assert.ok(!sameRepo("https://github.com/acme/fleet", "https://github.com/acme/apps"));
  assert.ok(!sameRepo("https://github.com/acme/fleet", "https://gitlab.com/acme/fleet"));
});

describe("fieldDiff", () => {
  const cases: [string, unknown, unknown, string[]][] = [
    ["equal", { a: 1 }, { a: 1 }, []],
    ["changed scalar", { a: 1 }, { a: 2 }, ["~ a: 1 → 2"]],
    ["added and removed", { a: 1 }, { b: "x" }, ["- a: 1", '+ b: "x"']],
    [
      "lists of named items by name, whatever their order",
      {
        c: [
          { name: "x", v: 1 },
          { name: "y", v: 1 },
        ],
      },
      {
        c: [
          { name: "y", v: 2 },
          { name: "x", v: 1 },
        ],
      },
      ["~ c[y].v: 1 → 2"],
    ],
    ["lists by index", { l: [1, 2] }, { l: [1, 3] }, ["~ l[1]: 2 → 3"]],
    ["lists of another length, whole", { l: [1] }, { l: [1, 2] }, ["~ l: [1] → [1,2]"]],
    ["long values cut", { a: "x".repeat(300) }, { a: "y" }, [`~ a: "${"x".repeat(196)}... → "y"`]],
  ];
  for (const [name, old, now, want] of cases) {
    test(name, () => assert.deepEqual(fieldDiff(old, now), want));
  }
});

test("imagesOf: containers of every list, anywhere in the object", () => {
  const cron = {
    spec: {
      jobTemplate: {
        spec: {
          template: {
            spec: {
              initContainers: [{ name: "i", image: "a:1" }],
              containers: [{ name: "c", image: "b:1" }],
            },
          },
        },
      },
    },
  };
  assert.deepEqual([...imagesOf(cron).values()], ["a:1", "b:1"]);
});

describe("compareRenders", () => {
  const deploy = (tag: string, name = "web") =>
    obj({
      kind: "Deployment",
      name,
      ns: "apps",
      spec: { template: { spec: { containers: [{ name: "app", image: `r/app:${tag}` }] } } },
    });

  test("added, changed, removed; an image pair once however many objects move it", () => {
    const base = render(
      deploy("1"),
      deploy("1", "worker"),
      obj({ kind: "ConfigMap", name: "gone", ns: "apps" }),
    );
    const head = render(
      deploy("2"),
      deploy("2", "worker"),
      obj({ kind: "ConfigMap", name: "new", ns: "apps" }),
    );
    const p = compareRenders("clusters/a", base, head);
    assert.deepEqual(p.added, [{ kind: "ConfigMap", namespace: "apps", name: "new" }]);
    assert.deepEqual(p.removed, [{ kind: "ConfigMap", namespace: "apps", name: "gone" }]);
    assert.deepEqual(
      p.changed.map((c) => c.name),
      ["web", "worker"],
    );
    assert.deepEqual(p.images, [{ from: "r/app:1", to: "r/app:2" }]);
  });

  test("kept, not removed: prune disabled by annotation, or a Kustomization that does not prune", () => {
    const noPrune = { name: "Kustomization flux-system/apps", prune: false };
    const base = render(
      obj({
        kind: "ConfigMap",
        name: "a",
        metadata: { name: "a", annotations: { "tether.dev/prune": "disabled" } },
      }),
      obj({ kind: "ConfigMap", name: "b" }, noPrune),
    );
    const p = compareRenders("clusters/a", base, render());
    assert.deepEqual(p.removed, []);
    assert.deepEqual(
      p.kept.map((k) => `${k.name}: ${k.reason}`),
      [
        "a: annotated tether.dev/prune: disabled",
        "b: Kustomization flux-system/apps does not prune",
      ],
    );
  });

  test("Secrets: which keys changed, never a value nor its hash", () => {
    const secret = (data: Record<string, string>, stringData?: Record<string, string>) =>
      obj({ kind: "Secret", name: "s", ns: "apps", data, ...(stringData ? { stringData } : {}) });
    const p = compareRenders(
      "clusters/a",
      render(secret({ same: "c2FtZQ==", old: "b2xk", moved: "bW92ZWQ=" })),
      render(secret({ same: "c2FtZQ==", moved: "bmV3", added: "YWRkZWQ=" }, { plain: "hunter2" })),
    );
    assert.equal(
      p.changed[0]?.diff,
      [
        '- data.old: "(hidden)"',
        '~ data.moved: "(hidden)" → "(hidden, changed)"',
        '+ data.added: "(hidden)"',
        '+ stringData: {"plain":"(hidden)"}',
      ].join("\n"),
    );
    const all = JSON.stringify(p);
    for (const value of ["c2FtZQ==", "b2xk", "bW92ZWQ=", "bmV3", "YWRkZWQ=", "hunter2"])
      assert.ok(!all.includes(value));
  });
});

test("a Secret's value substituted into another object is hidden there", () => {
  const cm = (url: string) => obj({ kind: "ConfigMap", name: "db", data: { url } });
  const base = { ...render(cm("postgres://app:old-pass@db")), secretValues: ["old-pass"] };
  const head = { ...render(cm("postgres://app:new-pass@db")), secretValues: ["new-pass"] };
  assert.equal(
    compareRenders("clusters/a", base, head).changed[0]?.diff,
    '~ data.url: "postgres://app:***@db" → "postgres://app:***@db"',
  );
});

describe("formats", () => {
  const report = {
    base: "a".repeat(40),
    head: "b".repeat(40),
    clusters: [
      compareRenders(
        "clusters/a",
        render(obj({ kind: "ConfigMap", name: "c", data: { v: "```\n</details>\n@someone" } })),
        render(obj({ kind: "ConfigMap", name: "c", data: { v: "`````" } })),
      ),
    ],
  };

  test("JSON has only the contract's fields", () => {
    const json = JSON.parse(formatJson(report));
    assert.deepEqual(Object.keys(json.clusters[0]), [
      "path",
      "added",
      "changed",
      "removed",
      "images",
    ]);
  });

  test("a diff cannot close its fenced block", () => {
    const md = formatMarkdown(report);
    assert.match(md, /\n {2}``````diff\n/, "a fence longer than any backtick run inside");
  });

  test("the comment under the limit: diffs out first, then fewer objects, with where the rest is", () => {
    const marker = "<!-- m -->";
    const whole = commentMarkdown(report, marker, "see the artifact");
    assert.equal(whole.shortened, false);
    const limit = whole.body.length - 1;
    const small = commentMarkdown(report, marker, "see the artifact", limit);
    assert.equal(small.shortened, true);
    assert.ok(small.body.length <= limit, `${small.body.length}`);
    assert.match(small.body, /- `ConfigMap c`/, "the object is still listed");
    assert.ok(small.body.startsWith(marker));
    assert.match(small.body, /Shortened to fit a comment: see the artifact\./);
    assert.doesNotMatch(small.body, /```diff/);
  });
});
