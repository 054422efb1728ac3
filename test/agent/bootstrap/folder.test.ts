// The install folder bootstrap commits, decided without Git or a cluster: the bundled
// copy of agent/install is current, the image and namespace land where they should,
// and the user's files are never overwritten.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { parse, parseAllDocuments } from "yaml";
import { sshHostOf } from "../../../agent/bootstrap/bootstrap.ts";
import { rolloutState } from "../../../agent/bootstrap/cluster.ts";
import {
  defaultImage,
  installFolderFiles,
  normalizeClusterPath,
} from "../../../agent/bootstrap/folder.ts";
import { INSTALL_FILES } from "../../../agent/bootstrap/install-files.ts";

const install = (name: string) =>
  readFileSync(fileURLToPath(new URL(`../../../agent/install/${name}`, import.meta.url)), "utf8");

const options = {
  gitUrl: "https://git.example/fleet.git",
  branch: "main",
  path: "clusters/edge-1",
  image: "registry.example/tether-agent:0.2.0",
  namespace: "tether-system",
};

describe("the install folder", () => {
  test("the bundled manifests are agent/install's (else run node .ci/install-files.ts)", () => {
    for (const [name, text] of Object.entries(INSTALL_FILES))
      assert.equal(text, install(name), name);
  });

  test("--image's default is the image agent/install pins: this version, by digest once released", () => {
    const { version } = JSON.parse(install("../../package.json"));
    // The release workflow's pull request adds the digest of the index it pushed.
    assert.match(
      defaultImage(),
      new RegExp(`^ghcr\\.io/tether-gitops/tether-agent:${version}(@sha256:[0-9a-f]{64})?$`),
    );
  });

  test("a digest-pinned image is written as given", () => {
    const image = `registry.example/tether-agent:0.2.0@sha256:${"ab".repeat(32)}`;
    const files = installFolderFiles({ ...options, image }, () => undefined);
    assert.equal(
      parse(files["deployment.yaml"] ?? "").spec.template.spec.containers[0].image,
      image,
    );
  });

  test("the image is set in deployment.yaml only, and the unit is the whole cluster folder", () => {
    const files = installFolderFiles(options, () => undefined);
    const deployment = parse(files["deployment.yaml"] ?? "");
    assert.equal(deployment.spec.template.spec.containers[0].image, options.image);
    const config = parse(files["config.yaml"] ?? "");
    assert.deepEqual(config.units, [
      { name: "tether-system", path: "clusters/edge-1", prune: true },
    ]);
    assert.deepEqual(config.git, {
      url: options.gitUrl,
      branch: "main",
      secretDir: "/etc/tether/git",
    });
    assert.equal(
      files["rbac.yaml"]?.replace(/^#.*\n/gm, ""),
      install("rbac.yaml").replace(/^#.*\n/gm, ""),
    );
  });

  test("another namespace is written into every object, and the cluster role is named after it", () => {
    const files = installFolderFiles({ ...options, namespace: "edge" }, () => undefined);
    const rbac = parseAllDocuments(files["rbac.yaml"] ?? "").map((d) => d.toJS());
    const binding = rbac.find(
      (o) => o.kind === "ClusterRoleBinding" && o.metadata.name === "tether-agent-apply-edge",
    );
    assert.equal(binding.roleRef.name, "tether-agent-apply-edge");
    assert.equal(binding.subjects[0].namespace, "edge");
    // Every cluster-scoped name, and the aggregation label, belong to this agent alone.
    const cluster = rbac.filter((o) => o.kind.startsWith("Cluster"));
    assert.ok(cluster.length >= 5);
    for (const o of cluster) assert.match(o.metadata.name, /-edge$/);
    const aggregated = rbac.find(
      (o) => o.metadata.name === "tether-agent-apply-edge" && o.kind === "ClusterRole",
    );
    assert.deepEqual(aggregated.aggregationRule.clusterRoleSelectors[0].matchLabels, {
      "tether.dev/aggregate-to-apply-edge": "true",
    });
    assert.equal(parse(files["namespace.yaml"] ?? "").metadata.name, "edge");
    assert.equal(parse(files["config.yaml"] ?? "").namespace, "edge");
  });

  test("kustomization.yaml and config.yaml are the user's once written; the manifests are rewritten", () => {
    const mine: Record<string, string> = {
      "config.yaml": "# mine\n",
      "kustomization.yaml": "# mine too\n",
      "deployment.yaml": "# edited by hand\n",
    };
    const files = installFolderFiles(options, (name) => mine[name]);
    assert.equal(files["config.yaml"], "# mine\n");
    assert.equal(files["kustomization.yaml"], "# mine too\n");
    assert.notEqual(files["deployment.yaml"], "# edited by hand\n");
  });

  test("the same options give the same files", () => {
    assert.deepEqual(
      installFolderFiles(options, () => undefined),
      installFolderFiles(options, () => undefined),
    );
  });

  test("cluster paths stay inside the repository", () => {
    assert.equal(normalizeClusterPath("./clusters/edge-1/"), "clusters/edge-1");
    assert.throws(() => normalizeClusterPath("clusters/../.."), /inside the repository/);
    assert.throws(() => normalizeClusterPath("/"), /inside the repository/);
  });
});

describe("decisions", () => {
  test("a rollout is done when the new spec is observed and every replica is updated and available", () => {
    const d = (generation: number, status: Record<string, number>) => ({
      metadata: { generation },
      spec: { replicas: 1 },
      status,
    });
    assert.equal(
      rolloutState(
        d(2, { observedGeneration: 1, updatedReplicas: 1, replicas: 1, availableReplicas: 1 }),
      ).done,
      false,
    );
    assert.equal(
      rolloutState(
        d(2, { observedGeneration: 2, updatedReplicas: 1, replicas: 2, availableReplicas: 1 }),
      ).done,
      false,
    );
    assert.equal(
      rolloutState(
        d(2, { observedGeneration: 2, updatedReplicas: 1, replicas: 1, availableReplicas: 0 }),
      ).done,
      false,
    );
    assert.equal(
      rolloutState(
        d(2, { observedGeneration: 2, updatedReplicas: 1, replicas: 1, availableReplicas: 1 }),
      ).done,
      true,
    );
  });

  test("the SSH host of a Git URL", () => {
    assert.deepEqual(sshHostOf("ssh://git@127.0.0.1:2222/x/y.git"), {
      host: "127.0.0.1",
      port: 2222,
    });
    assert.deepEqual(sshHostOf("git@github.com:org/repo.git"), { host: "github.com", port: 22 });
  });
});
