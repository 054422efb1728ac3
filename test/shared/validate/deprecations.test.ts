import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { kubernetesData } from "../../../shared/validate/data.ts";
import { checkApiVersion } from "../../../shared/validate/deprecations.ts";
import {
  supportedKubernetesVersions,
  UnsupportedKubernetesVersionError,
} from "../../../shared/validate/versions.ts";

const versions = supportedKubernetesVersions();

function served(minor: string, apiVersion: string, kind: string): boolean {
  return kubernetesData().versions[minor]?.kinds[apiVersion]?.[kind] !== undefined;
}

describe("removed APIs (errors on every bundled version)", () => {
  const removed: Array<{
    apiVersion: string;
    kind: string;
    removedIn: string;
    deprecatedIn?: string;
    replacement?: string;
    message: RegExp;
  }> = [
    {
      apiVersion: "extensions/v1beta1",
      kind: "Ingress",
      deprecatedIn: "1.14",
      removedIn: "1.22",
      replacement: "networking.k8s.io/v1 Ingress",
      message:
        /extensions\/v1beta1 Ingress is not served by Kubernetes 1\.\d+ \(deprecated in v1\.14, removed in v1\.22\); use networking\.k8s\.io\/v1 Ingress/,
    },
    {
      apiVersion: "networking.k8s.io/v1beta1",
      kind: "Ingress",
      deprecatedIn: "1.19",
      removedIn: "1.22",
      replacement: "networking.k8s.io/v1 Ingress",
      message: /removed in v1\.22/,
    },
    {
      apiVersion: "extensions/v1beta1",
      kind: "Deployment",
      removedIn: "1.16",
      replacement: "apps/v1 Deployment",
      message: /use apps\/v1 Deployment/,
    },
    {
      apiVersion: "apps/v1beta2",
      kind: "StatefulSet",
      deprecatedIn: "1.9",
      removedIn: "1.16",
      replacement: "apps/v1 StatefulSet",
      message: /apps\/v1beta2 StatefulSet/,
    },
    {
      apiVersion: "policy/v1beta1",
      kind: "PodSecurityPolicy",
      deprecatedIn: "1.21",
      removedIn: "1.25",
      message: /PodSecurityPolicy has no replacement API; use Pod Security Admission/,
    },
    {
      apiVersion: "policy/v1beta1",
      kind: "PodDisruptionBudget",
      deprecatedIn: "1.21",
      removedIn: "1.25",
      replacement: "policy/v1 PodDisruptionBudget",
      message: /use policy\/v1 PodDisruptionBudget/,
    },
    {
      apiVersion: "batch/v1beta1",
      kind: "CronJob",
      deprecatedIn: "1.21",
      removedIn: "1.25",
      replacement: "batch/v1 CronJob",
      message: /use batch\/v1 CronJob/,
    },
    {
      apiVersion: "autoscaling/v2beta2",
      kind: "HorizontalPodAutoscaler",
      deprecatedIn: "1.23",
      removedIn: "1.26",
      replacement: "autoscaling/v2 HorizontalPodAutoscaler",
      message: /use autoscaling\/v2 HorizontalPodAutoscaler/,
    },
    {
      apiVersion: "autoscaling/v2beta1",
      kind: "HorizontalPodAutoscaler",
      removedIn: "1.25",
      replacement: "autoscaling/v2 HorizontalPodAutoscaler",
      message: /removed in v1\.25/,
    },
    {
      apiVersion: "storage.k8s.io/v1beta1",
      kind: "CSIStorageCapacity",
      deprecatedIn: "1.24",
      removedIn: "1.27",
      replacement: "storage.k8s.io/v1 CSIStorageCapacity",
      message: /removed in v1\.27/,
    },
    // v1beta1's own replacement (v1beta3) is gone too: the advice follows through to v1.
    {
      apiVersion: "flowcontrol.apiserver.k8s.io/v1beta1",
      kind: "FlowSchema",
      deprecatedIn: "1.23",
      removedIn: "1.26",
      replacement: "flowcontrol.apiserver.k8s.io/v1 FlowSchema",
      message: /use flowcontrol\.apiserver\.k8s\.io\/v1 FlowSchema/,
    },
    {
      apiVersion: "flowcontrol.apiserver.k8s.io/v1beta2",
      kind: "PriorityLevelConfiguration",
      removedIn: "1.29",
      replacement: "flowcontrol.apiserver.k8s.io/v1 PriorityLevelConfiguration",
      message: /removed in v1\.29/,
    },
    {
      apiVersion: "flowcontrol.apiserver.k8s.io/v1beta3",
      kind: "FlowSchema",
      deprecatedIn: "1.29",
      removedIn: "1.32",
      replacement: "flowcontrol.apiserver.k8s.io/v1 FlowSchema",
      message: /removed in v1\.32/,
    },
    {
      apiVersion: "apiextensions.k8s.io/v1beta1",
      kind: "CustomResourceDefinition",
      removedIn: "1.22",
      replacement: "apiextensions.k8s.io/v1 CustomResourceDefinition",
      message: /use apiextensions\.k8s\.io\/v1 CustomResourceDefinition/,
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1beta1",
      kind: "ClusterRoleBinding",
      removedIn: "1.22",
      replacement: "rbac.authorization.k8s.io/v1 ClusterRoleBinding",
      message: /removed in v1\.22/,
    },
  ];
  for (const c of removed) {
    for (const version of versions) {
      test(`${c.apiVersion} ${c.kind} on ${version}`, () => {
        const findings = checkApiVersion(c.apiVersion, c.kind, version);
        assert.equal(findings.length, 1, JSON.stringify(findings));
        const [f] = findings;
        assert.equal(f?.severity, "error");
        assert.equal(f?.rule, "removed-api");
        assert.equal(f?.path, "apiVersion");
        assert.equal(f?.removedIn, c.removedIn);
        if (c.deprecatedIn) assert.equal(f?.deprecatedIn, c.deprecatedIn);
        assert.equal(
          f?.replacement && `${f.replacement.apiVersion} ${f.replacement.kind}`,
          c.replacement,
        );
        assert.match(f?.message ?? "", c.message);
      });
    }
  }

  test("an unknown kind in an apiVersion that is gone entirely is still reported", () => {
    const [f] = checkApiVersion("extensions/v1beta1", "PodPreset", versions[0]);
    assert.equal(f?.rule, "removed-api");
    assert.equal(f?.severity, "error");
    assert.match(f?.message ?? "", /extensions\/v1beta1 is not served by Kubernetes/);
  });
});

describe("deprecated but still served", () => {
  test("v1 Endpoints is a warning on every bundled version, pointing to EndpointSlice", () => {
    for (const version of versions) {
      assert.ok(served(version, "v1", "Endpoints"), `Endpoints served in ${version}`);
      const findings = checkApiVersion("v1", "Endpoints", version);
      assert.deepEqual(
        findings.map((f) => [f.severity, f.rule, f.deprecatedIn, f.replacement]),
        [
          [
            "warning",
            "deprecated-api",
            "1.33",
            { apiVersion: "discovery.k8s.io/v1", kind: "EndpointSlice" },
          ],
        ],
      );
      assert.match(
        findings[0]?.message ?? "",
        /v1 Endpoints is deprecated in v1\.33\+; use discovery\.k8s\.io\/v1 EndpointSlice/,
      );
    }
  });

  // networking.k8s.io/v1beta1 IPAddress: deprecated in 1.34, gone in 1.37. Whether it is
  // a warning or an error follows from what each bundled version actually serves.
  for (const version of versions) {
    test(`networking.k8s.io/v1beta1 IPAddress on ${version} follows what ${version} serves`, () => {
      const findings = checkApiVersion("networking.k8s.io/v1beta1", "IPAddress", version);
      assert.equal(findings.length, 1);
      const [f] = findings;
      assert.deepEqual(f?.replacement, { apiVersion: "networking.k8s.io/v1", kind: "IPAddress" });
      if (served(version, "networking.k8s.io/v1beta1", "IPAddress")) {
        assert.equal(f?.severity, "warning");
        assert.equal(f?.rule, "deprecated-api");
        assert.match(
          f?.message ?? "",
          /deprecated in v1\.34\+, unavailable in v1\.37\+; use networking\.k8s\.io\/v1 IPAddress/,
        );
      } else {
        assert.equal(f?.severity, "error");
        assert.equal(f?.rule, "removed-api");
      }
    });
  }

  test("the bundled versions include one where IPAddress v1beta1 is deprecated but served", () => {
    assert.ok(versions.some((v) => served(v, "networking.k8s.io/v1beta1", "IPAddress")));
  });
});

describe("current APIs", () => {
  const current: Array<[string, string]> = [
    ["apps/v1", "Deployment"],
    ["v1", "ConfigMap"],
    ["v1", "Service"],
    ["networking.k8s.io/v1", "Ingress"],
    ["batch/v1", "CronJob"],
    ["autoscaling/v2", "HorizontalPodAutoscaler"],
    ["policy/v1", "PodDisruptionBudget"],
    ["example.com/v1", "Widget"],
    ["helm.toolkit.fluxcd.io/v2", "HelmRelease"],
    ["kustomize.toolkit.fluxcd.io/v1", "Kustomization"],
    ["image.toolkit.fluxcd.io/v1", "ImagePolicy"],
  ];
  for (const [apiVersion, kind] of current) {
    test(`${apiVersion} ${kind} has no findings on any bundled version`, () => {
      for (const version of versions)
        assert.deepEqual(checkApiVersion(apiVersion, kind, version), []);
    });
  }
});

describe("Flux API versions Flux no longer serves", () => {
  const cases: Array<[string, string, string]> = [
    ["image.toolkit.fluxcd.io/v1beta2", "ImagePolicy", "image.toolkit.fluxcd.io/v1"],
    ["image.toolkit.fluxcd.io/v1beta2", "ImageUpdateAutomation", "image.toolkit.fluxcd.io/v1"],
    ["helm.toolkit.fluxcd.io/v2beta1", "HelmRelease", "helm.toolkit.fluxcd.io/v2"],
    ["helm.toolkit.fluxcd.io/v2beta2", "HelmRelease", "helm.toolkit.fluxcd.io/v2"],
    ["kustomize.toolkit.fluxcd.io/v1beta2", "Kustomization", "kustomize.toolkit.fluxcd.io/v1"],
    ["source.toolkit.fluxcd.io/v1beta2", "GitRepository", "source.toolkit.fluxcd.io/v1"],
  ];
  for (const [apiVersion, kind, replacement] of cases) {
    test(`${apiVersion} ${kind} is a warning with ${replacement} as the replacement`, () => {
      const findings = checkApiVersion(apiVersion, kind);
      assert.deepEqual(
        findings.map((f) => [f.severity, f.rule, f.replacement]),
        [["warning", "deprecated-api", { apiVersion: replacement, kind }]],
      );
      assert.match(findings[0]?.message ?? "", /is no longer served by Flux v2\.\d+\.\d+; use/);
    });
  }
});

test("an unsupported Kubernetes version is refused clearly", () => {
  assert.throws(
    () => checkApiVersion("apps/v1", "Deployment", "1.19"),
    UnsupportedKubernetesVersionError,
  );
  assert.throws(
    () => checkApiVersion("apps/v1", "Deployment", "1.19"),
    /Kubernetes 1\.19 is not bundled; bundled schemas cover/,
  );
});
