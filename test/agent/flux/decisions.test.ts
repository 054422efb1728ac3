// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Flux variables are written ${like_this}.
// Pure Flux decisions: postBuild substitution, Flux's status conditions and inventory
// ids, revisions, durations and repository URL comparison.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { AppliedChange } from "../../../agent/apply.ts";
import { type CopyOperation, planCopy } from "../../../agent/flux/artifacts.ts";
import { prepareFluxRender } from "../../../agent/flux/bootstrap.ts";
import { deletionAction } from "../../../agent/flux/deletion.ts";
import { exprAssessment } from "../../../agent/flux/health-exprs.ts";
import { fluxRevision, parseFluxDuration } from "../../../agent/flux/kinds.ts";
import { mustRecreate } from "../../../agent/flux/kustomization.ts";
import { dueReason, nextDelayFor } from "../../../agent/flux/schedule.ts";
import { inventoryEntry, refOfEntry, statusFor } from "../../../agent/flux/status.ts";
import { substituteObject, substituteText } from "../../../agent/flux/substitute.ts";
import { sameRepository } from "../../../agent/source/git.ts";
import type { KubeClient } from "../../../shared/kube/client.ts";
import type { KubeObject, Manifest } from "../../../shared/manifests/object.ts";

describe("postBuild substitution", () => {
  const vars = { env: "prod", region: "eu-central-1", empty: "" };
  for (const [input, expected] of [
    ["${env}", "prod"],
    ["${missing}", ""],
    ["${missing:=dev}", "dev"],
    ["${empty:=dev}", "dev"],
    ["${empty=dev}", ""],
    ["${missing:-x}", "x"],
    ["${region:0:2}", "eu"],
    ["${region:3}", "central-1"],
    ["${region/central/west}", "eu-west-1"],
    ["$env stays", "$env stays"],
    ["$${env}", "${env}"],
    ["a-${env}-${region}", "a-prod-eu-central-1"],
  ] as const) {
    test(`${input} -> ${expected}`, () => assert.equal(substituteText(input, vars), expected));
  }

  test("numbers become numbers; opted-out objects stay as they are", () => {
    const object = {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "d" },
      spec: { replicas: "${replicas}" },
    } as unknown as KubeObject;
    assert.equal(
      (substituteObject(object, { replicas: "3" }).spec as { replicas: unknown }).replicas,
      3,
    );
    const optOut = {
      ...object,
      metadata: {
        name: "d",
        annotations: { "kustomize.toolkit.fluxcd.io/substitute": "disabled" },
      },
    };
    assert.equal(substituteObject(optOut, { replicas: "3" }), optOut);
  });
});

describe("Flux status", () => {
  const live = {
    apiVersion: "kustomize.toolkit.fluxcd.io/v1",
    kind: "Kustomization",
    metadata: {
      name: "apps",
      namespace: "flux-system",
      generation: 3,
      annotations: { "reconcile.fluxcd.io/requestedAt": "now" },
    },
  } as unknown as KubeObject;

  test("ready: Ready=True ReconciliationSucceeded, revisions, observedGeneration, requestedAt handled", () => {
    const status = statusFor(
      live,
      { kind: "ready", message: "Applied revision: main@sha1:abc" },
      "main@sha1:abc",
    );
    const [ready] = status.conditions as { type: string; status: string; reason: string }[];
    assert.deepEqual(
      [ready?.type, ready?.status, ready?.reason],
      ["Ready", "True", "ReconciliationSucceeded"],
    );
    assert.equal(status.lastAppliedRevision, "main@sha1:abc");
    assert.equal(status.lastAttemptedRevision, "main@sha1:abc");
    assert.equal(status.observedGeneration, 3);
    assert.equal(status.lastHandledReconcileAt, "now");
  });

  test("failed: Ready=False with Flux's reason, Reconciling with retry, no applied revision", () => {
    const status = statusFor(
      live,
      { kind: "failed", reason: "BuildFailed", message: "boom" },
      "main@sha1:def",
    );
    const conditions = status.conditions as { type: string; status: string; reason: string }[];
    assert.deepEqual(
      conditions.map((c) => [c.type, c.status, c.reason]),
      [
        ["Ready", "False", "BuildFailed"],
        ["Reconciling", "True", "ProgressingWithRetry"],
      ],
    );
    assert.equal(status.lastAppliedRevision, undefined);
    assert.equal(status.lastAttemptedRevision, "main@sha1:def");
  });

  test("inventory ids as Flux writes them, and back", () => {
    const deployment = {
      apiVersion: "apps/v1",
      kind: "Deployment",
      namespace: "web",
      name: "podinfo",
    };
    assert.deepEqual(inventoryEntry(deployment), { id: "web_podinfo_apps_Deployment", v: "v1" });
    assert.deepEqual(refOfEntry(inventoryEntry(deployment)), deployment);
    const ns = { apiVersion: "v1", kind: "Namespace", name: "web" };
    assert.deepEqual(inventoryEntry(ns), { id: "_web__Namespace", v: "v1" });
    assert.deepEqual(refOfEntry(inventoryEntry(ns)), ns);
  });
});

describe("names", () => {
  test("revisions and durations as Flux writes them", () => {
    assert.equal(fluxRevision("main", "abc"), "main@sha1:abc");
    assert.equal(fluxRevision(undefined, "abc"), "sha1:abc");
    assert.equal(parseFluxDuration("1h30m", 0), 5_400_000);
    assert.equal(parseFluxDuration("500ms", 0), 500);
    assert.equal(parseFluxDuration("bogus", 7), 7);
  });

  test("the agent's own repository: credentials, .git and trailing slashes do not matter", () => {
    assert.ok(
      sameRepository("https://user:pw@git.example/org/fleet.git", "https://git.example/org/fleet"),
    );
    assert.ok(
      sameRepository("https://GIT.example/org/fleet/", "https://git.example/org/fleet.git"),
    );
    assert.ok(!sameRepository("https://git.example/org/fleet", "https://git.example/org/other"));
    // One repository whatever the scheme: flux bootstrap writes ssh://, people clone https.
    for (const other of [
      "ssh://git@git.example/org/fleet",
      "ssh://git@git.example:22/org/fleet.git",
      "git@git.example:org/fleet.git",
      "https://git.example:443/org/fleet",
    ]) {
      assert.ok(sameRepository("https://git.example/org/fleet.git", other), other);
    }
    // Another port, another server; another case, another repository on a plain server.
    for (const other of [
      "http://git.example:8080/org/fleet",
      "ssh://git@git.example:2222/org/fleet",
      "https://git.example/org/Fleet",
      "git@other.example:org/fleet",
      "git@git.example:team/fleet",
    ]) {
      assert.ok(!sameRepository("https://git.example/org/fleet", other), other);
    }
    assert.ok(sameRepository("file:///srv/git/fleet.git", "file:///srv/git/fleet"));
  });
});

describe("hand-over from Flux", () => {
  // A stand-in for the API server: a running Flux in the shared test cluster would
  // make every other test's Flux objects refused, so this one answer is faked.
  const withControllers = (replicas: number) =>
    ({
      list: async () => [
        {
          apiVersion: "apps/v1",
          kind: "Deployment",
          metadata: { name: "kustomize-controller", namespace: "flux-system" },
          spec: { replicas },
        },
      ],
    }) as unknown as KubeClient;
  const manifests: Manifest[] = [
    {
      object: {
        apiVersion: "kustomize.toolkit.fluxcd.io/v1",
        kind: "Kustomization",
        metadata: { name: "apps", namespace: "flux-system" },
      },
      source: { file: "clusters/x/apps.yaml" },
    },
  ];

  test("running Flux controllers refuse the pass and say how to hand over", async () => {
    const prepared = await prepareFluxRender(withControllers(1), manifests, true);
    assert.match(prepared.errors[0] ?? "", /refused: flux-system\/kustomize-controller running/);
    assert.match(prepared.errors[0] ?? "", /scale deployment --all --replicas=0/);
  });

  test("controllers scaled to zero are handed over", async () => {
    const prepared = await prepareFluxRender(withControllers(0), manifests, true);
    assert.deepEqual(prepared.errors, []);
  });
});

describe("healthCheckExprs (CEL)", () => {
  const assess = exprAssessment([
    {
      apiVersion: "bitnami.com/v1alpha1",
      kind: "SealedSecret",
      failed: "status.conditions.filter(e, e.type == 'Synced').all(e, e.status == 'False')",
      current: "status.conditions.filter(e, e.type == 'Synced').all(e, e.status == 'True')",
    },
  ]);
  const sealed = (status: string) =>
    ({
      apiVersion: "bitnami.com/v1alpha1",
      kind: "SealedSecret",
      metadata: { name: "s" },
      status: { conditions: [{ type: "Synced", status }] },
    }) as unknown as KubeObject;
  test("current, failed, and a missing field keeps waiting", () => {
    assert.equal(assess(sealed("True")).state, "healthy");
    assert.equal(assess(sealed("False")).state, "failed");
    const noStatus = {
      apiVersion: "bitnami.com/v1alpha1",
      kind: "SealedSecret",
      metadata: { name: "s" },
    };
    assert.equal(assess(noStatus as unknown as KubeObject).state, "progressing");
  });
  test("other kinds keep the built-in assessment", () => {
    const cm = {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "c" },
    } as unknown as KubeObject;
    assert.equal(assess(cm).state, "healthy");
  });
});

describe("ArtifactGenerator copy rules", () => {
  const files = [
    "deploy/frontend/web.yaml",
    "deploy/frontend/nested/assets.yaml",
    "deploy/backend/api.yaml",
    "deploy/backend/README.md",
    "config/prod.yaml",
  ];
  const cases: [CopyOperation, [string, string][]][] = [
    [
      { from: "@repo/deploy/frontend/**", to: "@artifact/" },
      [
        ["deploy/frontend/web.yaml", "web.yaml"],
        ["deploy/frontend/nested/assets.yaml", "nested/assets.yaml"],
      ],
    ],
    [
      { from: "@repo/deploy/backend", to: "@artifact/apps/" },
      [
        ["deploy/backend/api.yaml", "apps/backend/api.yaml"],
        ["deploy/backend/README.md", "apps/backend/README.md"],
      ],
    ],
    [
      { from: "@repo/deploy/**/*.yaml", to: "@artifact/out/", exclude: ["frontend/nested/**"] },
      [
        ["deploy/frontend/web.yaml", "out/deploy/frontend/web.yaml"],
        ["deploy/backend/api.yaml", "out/deploy/backend/api.yaml"],
      ],
    ],
    [
      { from: "@repo/config/prod.yaml", to: "@artifact/env.yaml" },
      [["config/prod.yaml", "env.yaml"]],
    ],
    [
      { from: "@repo/config/prod.yaml", to: "@artifact/envs/" },
      [["config/prod.yaml", "envs/prod.yaml"]],
    ],
    [{ from: "@repo/deploy/*/README.md", to: "@artifact/", exclude: ["**/*.md"] }, []],
    [{ from: "@repo/missing/**", to: "@artifact/", optional: true }, []],
  ];
  for (const [op, expected] of cases) {
    test(`${op.from} -> ${op.to}${op.exclude ? ` (exclude ${op.exclude})` : ""}`, () => {
      if (expected.length === 0 && !op.optional) {
        assert.throws(() => planCopy(op, files), /no files match/);
      } else {
        assert.deepEqual(planCopy(op, files), expected);
      }
    });
  }

  test("a file copied onto a folder the artifact already has goes inside it", () => {
    assert.deepEqual(
      planCopy(
        { from: "@repo/config/prod.yaml", to: "@artifact/deploy" },
        files,
        new Set(["deploy/a.yaml"]),
      ),
      [["config/prod.yaml", "deploy/prod.yaml"]],
    );
  });

  test("refused: a destination outside the artifact, a source without an alias, a missing path", () => {
    assert.throws(
      () => planCopy({ from: "@repo/config/**", to: "@artifact/../x" }, files),
      /within the artifact/,
    );
    assert.throws(
      () => planCopy({ from: "config/**", to: "@artifact/" }, files),
      /@alias\/pattern/,
    );
    assert.throws(
      () => planCopy({ from: "@repo/nope", to: "@artifact/" }, files),
      /does not exist/,
    );
    assert.throws(
      () => planCopy({ from: "@repo/config/**", to: "@artifact/", strategy: "Merge" }, files),
      /not served/,
    );
  });
});

describe("the long-running agent's Kustomization schedule", () => {
  const ks = (
    spec: object,
    extra: { annotations?: Record<string, string>; observed?: number } = {},
  ) =>
    ({
      apiVersion: "kustomize.toolkit.fluxcd.io/v1",
      kind: "Kustomization",
      metadata: { name: "k", namespace: "ns", generation: 2, annotations: extra.annotations },
      spec,
      status: { observedGeneration: extra.observed ?? 2, lastAttemptedRevision: "main@sha1:a" },
    }) as unknown as KubeObject;
  const entry = { next: 1000, generation: 2, requestedAt: "t1" };
  test("due: first time, spec edited, requestedAt not handled, new revision, time came", () => {
    assert.equal(dueReason(ks({}), undefined, 0), "first reconcile");
    assert.equal(dueReason(ks({}, { observed: 1 }), entry, 0), "spec changed");
    assert.equal(
      dueReason(ks({}, { annotations: { "reconcile.fluxcd.io/requestedAt": "t2" } }), entry, 0),
      "reconcile requested",
    );
    assert.equal(
      dueReason(ks({}, { annotations: { "reconcile.fluxcd.io/requestedAt": "t1" } }), entry, 0),
      undefined,
    );
    assert.equal(dueReason(ks({}), entry, 0, "main@sha1:b"), "new revision");
    assert.equal(dueReason(ks({}), entry, 0, "main@sha1:a"), undefined);
    assert.equal(dueReason(ks({}), entry, 1000), "interval");
  });
  test("next: interval after success, retryInterval (default: interval) after failure, 30 s for dependencies", () => {
    assert.equal(nextDelayFor(ks({ interval: "5m", retryInterval: "20s" }), "ready"), 300_000);
    assert.equal(nextDelayFor(ks({ interval: "5m", retryInterval: "20s" }), "failed"), 20_000);
    assert.equal(nextDelayFor(ks({ interval: "5m" }), "failed"), 300_000);
    assert.equal(nextDelayFor(ks({ interval: "5m" }), "dependency"), 30_000);
    assert.equal(nextDelayFor(ks({ interval: "1h", retryInterval: "10s" }), "dependency"), 10_000);
  });
});

describe("force", () => {
  const change = (error: string, annotations?: Record<string, string>) =>
    ({
      action: "failed",
      error,
      desired: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c", annotations } },
    }) as unknown as AppliedChange;
  test("recreated only when an immutable field changed and force is asked for", () => {
    const immutable =
      'ConfigMap "c" is invalid: data: Forbidden: field is immutable when `immutable` is set';
    assert.equal(mustRecreate(change(immutable), { force: true }), true);
    assert.equal(mustRecreate(change(immutable), {}), false);
    assert.equal(
      mustRecreate(change(immutable, { "kustomize.toolkit.fluxcd.io/force": "enabled" }), {}),
      true,
    );
    assert.equal(mustRecreate(change("forbidden: cannot patch"), { force: true }), false);
  });
});

describe("deletionPolicy", () => {
  test("MirrorPrune follows prune; Delete, WaitForTermination and Orphan do as named", () => {
    assert.equal(deletionAction(undefined, true), "delete");
    assert.equal(deletionAction("MirrorPrune", false), "orphan");
    assert.equal(deletionAction("Delete", false), "delete");
    assert.equal(deletionAction("WaitForTermination", false), "delete-and-wait");
    assert.equal(deletionAction("Orphan", true), "orphan");
  });
});
