// Fixture repositories shaped like seed 004 (kustomize/base plus one overlay per
// environment, Rego policies beside them) and a runner for the real command.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { RunResult } from "../../helpers/run.ts";
import { cleanEnv, tether } from "../../helpers/tether.ts";

export { cleanEnv };

/** Runs `tether validate ARGS` in `cwd` (kustomize and opa from the local environment). */
export function validate(
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; input?: string; exit?: number },
): Promise<RunResult> {
  return tether(["validate", ...args], {
    cwd: options.cwd,
    timeoutMs: 120_000,
    ...(options.env ? { env: options.env } : {}),
    ...(options.input !== undefined ? { input: options.input } : {}),
    exit: options.exit,
  });
}

export class Fixture {
  readonly root: string;
  constructor(prefix = "validate") {
    this.root = mkdtempSync(join(tmpdir(), `tether-${prefix}-`));
  }
  write(path: string, text: string): this {
    mkdirSync(dirname(join(this.root, path)), { recursive: true });
    writeFileSync(join(this.root, path), text);
    return this;
  }
  writeAll(files: Record<string, string>): this {
    for (const [path, text] of Object.entries(files)) this.write(path, text);
    return this;
  }
  exists(path: string): boolean {
    return existsSync(join(this.root, path));
  }
  path(path: string): string {
    return join(this.root, path);
  }
  cleanup(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

/** 1-based line of the first line of `text` containing `needle` (to keep tests readable). */
export function lineOf(text: string, needle: string, from = 1): number {
  const lines = text.split("\n");
  for (let i = from - 1; i < lines.length; i++) if (lines[i]?.includes(needle)) return i + 1;
  throw new Error(`"${needle}" not found`);
}

export const WEB = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  labels: {app: web}
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: registry.example.com/web:1.4.0
          ports:
            - containerPort: 8080
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
  labels: {app: web}
spec:
  selector: {app: web}
  ports:
    - port: 80
      targetPort: 8080
`;

export const WIDGET_CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  names: {kind: Widget, plural: widgets, singular: widget, listKind: WidgetList}
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              required: [size]
              properties:
                size: {type: integer, minimum: 1}
                color: {type: string, enum: [red, blue]}
`;

/**
 * A clean repository as seed 004 lays it out: kustomize/base with the shared objects,
 * kustomize/dev and kustomize/prd patching it, plus a Flux HelmRelease and a custom
 * resource backed by a CRD in the same tree.
 */
export function seed004(fixture: Fixture): Fixture {
  return fixture.writeAll({
    "kustomize/base/kustomization.yaml": `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - namespace.yaml
  - web.yaml
  - crds/widgets.yaml
  - widget.yaml
  - helmreleases/cache.yaml
`,
    "kustomize/base/namespace.yaml":
      "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels: {team: shop}\n",
    "kustomize/base/web.yaml": WEB,
    "kustomize/base/crds/widgets.yaml": WIDGET_CRD,
    "kustomize/base/widget.yaml": `apiVersion: example.com/v1
kind: Widget
metadata:
  name: gear
  namespace: shop
  labels: {app: web}
spec:
  size: 3
  color: red
`,
    "kustomize/base/helmreleases/cache.yaml": `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: cache
  namespace: shop
  labels: {app: cache}
spec:
  interval: 10m
  chart:
    spec:
      chart: redis
      version: "18.x"
      sourceRef:
        kind: HelmRepository
        name: bitnami
  values:
    replica:
      replicaCount: 1
`,
    "kustomize/dev/kustomization.yaml": `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - ../base
patches:
  - path: web-patch.yaml
`,
    "kustomize/dev/web-patch.yaml": `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  replicas: 1
`,
    "kustomize/prd/kustomization.yaml": `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - ../base
patches:
  - patch: |-
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
        namespace: shop
      spec:
        replicas: 4
`,
  });
}
