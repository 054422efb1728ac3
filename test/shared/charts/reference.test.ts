// What a HelmRelease's chart reference says in messages: never a URL's credentials.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  type ChartReference,
  chartReferenceOf,
  describeChartReference,
} from "../../../shared/charts/reference.ts";

const SECRETS = ["tok3n", "q5ecret"];

test("a description carries no user info nor query value of a URL", () => {
  const cases: [ChartReference, string][] = [
    [
      {
        from: "url",
        url: "https://user:tok3n@charts.example.com/?token=q5ecret",
        chart: "app",
        version: "1.0",
      },
      "app@1.0 from https://***@charts.example.com/?token=***",
    ],
    [
      {
        from: "git",
        url: "https://user:tok3n@git.example.com/r.git",
        path: "charts/app",
        ref: "v1",
      },
      "charts/app from https://***@git.example.com/r.git@v1",
    ],
    [
      { from: "OCIRepository", spec: { url: "oci://user:tok3n@ghcr.io/acme/app" } },
      "oci://***@ghcr.io/acme/app",
    ],
    // Not a URL at all: what looks like user info still goes.
    [
      { from: "url", url: "https://user:tok3n@bad host/", chart: "app" },
      "app@* from https://***@bad host/",
    ],
  ];
  for (const [ref, expected] of cases) {
    const text = describeChartReference(ref);
    assert.equal(text, expected);
    for (const secret of SECRETS) assert.ok(!text.includes(secret), text);
  }
});

test("a Flux v1 HelmRelease with credentials in its repository URL is described without them", () => {
  const ref = chartReferenceOf({
    apiVersion: "helm.fluxcd.io/v1",
    kind: "HelmRelease",
    metadata: { name: "demo", namespace: "apps" },
    spec: { chart: { repository: "https://bot:tok3n@charts.example.com/", name: "app" } },
  });
  assert.equal(describeChartReference(ref), "app@* from https://***@charts.example.com/");
});
