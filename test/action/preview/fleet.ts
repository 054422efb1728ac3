// A fleet repository with two clusters (clusters/a, clusters/b) and two commits, for the
// preview tests. Between base and head: an image bump, a removed file (pruned), a new
// Kustomization, a changed HelmRelease value (chart from the local OCI chart registry),
// a Secret change, a postBuild.substitute value change, and a removed object that is
// annotated to be kept.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { gitEnv } from "../../helpers/git-repo.ts";
import { mustRun } from "../../helpers/run.ts";

export const SECRET_VALUES = ["hunter2-base-only", "s3cret-head-only", "aHVudGVyMi1kYXRh"];

const sync = (cluster: string) => `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: flux-system
  namespace: flux-system
spec:
  interval: 1m
  url: https://git.example.invalid/fleet.git
  ref:
    branch: main
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: flux-system
  namespace: flux-system
spec:
  interval: 10m
  path: ./clusters/${cluster}
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
`;

const apps = (cluster: string, region: string) => `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  interval: 10m
  path: ./apps/base
  prune: true
  targetNamespace: apps
  sourceRef:
    kind: GitRepository
    name: flux-system
  postBuild:
    substitute:
      cluster_name: ${cluster}
      region: ${region}
`;

const deployment = (tag: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: 127.0.0.1:5000/web:${tag}
          env:
            - name: CLUSTER
              value: \${cluster_name}
`;

const secret = (password: string) => `apiVersion: v1
kind: Secret
metadata:
  name: db
stringData:
  password: ${password}
data:
  token: ${password === SECRET_VALUES[0] ? SECRET_VALUES[2] : "bmV3LXRva2Vu"}
`;

const helm = (ociUrl: string, message: string) => `apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata:
  name: charts
  namespace: flux-system
spec:
  type: oci
  insecure: true
  url: ${ociUrl}
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: demo
  namespace: flux-system
spec:
  interval: 5m
  targetNamespace: apps
  chart:
    spec:
      chart: app-demo
      version: ">=0.1.0 <0.2.0"
      sourceRef:
        kind: HelmRepository
        name: charts
  values:
    message: ${message}
`;

export class Fleet {
  readonly root = mkdtempSync(join(tmpdir(), "tether-fleet-"));
  base = "";
  head = "";

  write(path: string, text: string): void {
    mkdirSync(dirname(join(this.root, path)), { recursive: true });
    writeFileSync(join(this.root, path), text);
  }

  remove(path: string): void {
    rmSync(join(this.root, path));
  }

  async git(...args: string[]): Promise<string> {
    return (await mustRun("git", args, { cwd: this.root, env: gitEnv })).trim();
  }

  async commit(message: string): Promise<string> {
    await this.git("add", "-A");
    await this.git("commit", "-q", "-m", message);
    return this.git("rev-parse", "HEAD");
  }

  static async create(ociUrl: string): Promise<Fleet> {
    const f = new Fleet();
    await f.git("init", "-q", "-b", "main");
    for (const c of ["a", "b"]) {
      f.write(`clusters/${c}/flux-system/gotk-sync.yaml`, sync(c));
      f.write(`clusters/${c}/apps.yaml`, apps(c, "eu-1"));
    }
    f.write("clusters/a/helm.yaml", helm(ociUrl, "hello"));
    f.write("apps/base/deployment.yaml", deployment("1.0.0"));
    f.write("apps/base/secret.yaml", secret(SECRET_VALUES[0] as string));
    f.write(
      "apps/base/region.yaml",
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: region\ndata:\n  region: \${region}\n`,
    );
    f.write(
      "apps/base/old.yaml",
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: old\ndata:\n  a: b\n",
    );
    f.write(
      "apps/base/keep.yaml",
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: keep\n  annotations:\n    kustomize.toolkit.fluxcd.io/prune: disabled\ndata:\n  a: b\n",
    );
    f.base = await f.commit("base");

    f.write("apps/base/deployment.yaml", deployment("1.1.0"));
    f.remove("apps/base/old.yaml");
    f.remove("apps/base/keep.yaml");
    f.write("apps/base/secret.yaml", secret(SECRET_VALUES[1] as string));
    f.write("clusters/a/apps.yaml", apps("a", "eu-2"));
    f.write("clusters/a/helm.yaml", helm(ociUrl, "goodbye"));
    f.write(
      "clusters/b/monitoring.yaml",
      `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: monitoring
  namespace: flux-system
spec:
  interval: 10m
  path: ./monitoring
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
`,
    );
    f.write(
      "monitoring/config.yaml",
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: scrape\n  namespace: monitoring\ndata:\n  interval: 30s\n",
    );
    f.head = await f.commit("head");
    return f;
  }

  cleanup(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}
