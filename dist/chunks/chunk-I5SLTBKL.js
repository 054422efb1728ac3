#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  AGENT_NAMESPACE
} from "./chunk-75EKFM34.js";
import {
  require_dist
} from "./chunk-HPGUIRHG.js";
import {
  __toESM
} from "./chunk-3IQPLNQJ.js";

// agent/bootstrap/folder.ts
var import_yaml = __toESM(require_dist(), 1);

// agent/bootstrap/install-files.ts
var INSTALL_FILES = {
  "namespace.yaml": "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: tether-system\n",
  "rbac.yaml": '# Two sets of rights, kept apart (see README "Security"):\n#\n# - tether-agent-own (ClusterRole) and tether-agent-records (Role in tether-system):\n#   what the agent needs for itself, whatever the repository holds: its records\n#   (two ConfigMaps per unit, Events, the image-automation Lease, the decryption Secret)\n#   in its namespace, the Flux and Helm CRDs it serves, the status of Flux objects, and\n#   impersonating ServiceAccounts (a Kustomization\'s serviceAccountName, the lockdown\'s\n#   default ServiceAccount).\n# - tether-agent-apply (an aggregated ClusterRole): what it may apply, prune and\n#   health-check. By default it aggregates tether-agent-apply-all, every kind in every\n#   namespace, because the repository is trusted as a cluster admin is (Flux\'s\n#   kustomize-controller is bound to cluster-admin the same way). Delete\n#   tether-agent-apply-all and label ClusterRoles of your own with\n#   `tether.dev/aggregate-to-apply: "true"` to grant only the kinds your repository\n#   holds (Flux objects also need `get` on the Secrets and ConfigMaps they reference).\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: tether-agent\n  namespace: tether-system\nautomountServiceAccountToken: true\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: tether-agent-own\nrules:\n  # The namespace of its records (created when missing).\n  - apiGroups: [""]\n    resources: ["namespaces"]\n    verbs: ["get", "create"]\n  # The Flux and Helm CRDs it serves on a cluster without Flux.\n  - apiGroups: ["apiextensions.k8s.io"]\n    resources: ["customresourcedefinitions"]\n    verbs: ["get", "list", "watch", "create", "patch", "update"]\n  # The Flux objects it reconciles: read them, write their status.\n  - apiGroups:\n      - kustomize.toolkit.fluxcd.io\n      - source.toolkit.fluxcd.io\n      - source.extensions.fluxcd.io\n      - helm.toolkit.fluxcd.io\n      - image.toolkit.fluxcd.io\n    resources: ["*"]\n    verbs: ["get", "list", "watch"]\n  - apiGroups:\n      - kustomize.toolkit.fluxcd.io\n      - source.toolkit.fluxcd.io\n      - source.extensions.fluxcd.io\n      - helm.toolkit.fluxcd.io\n      - image.toolkit.fluxcd.io\n    resources: ["*/status"]\n    verbs: ["get", "update", "patch"]\n  # Acting as a Kustomization\'s ServiceAccount.\n  - apiGroups: [""]\n    resources: ["serviceaccounts"]\n    verbs: ["impersonate"]\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: tether-agent-own\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: tether-agent-own\nsubjects:\n  - kind: ServiceAccount\n    name: tether-agent\n    namespace: tether-system\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: tether-agent-records\n  namespace: tether-system\nrules:\n  - apiGroups: [""]\n    resources: ["configmaps", "events"]\n    verbs: ["get", "list", "watch", "create", "update", "patch"]\n  - apiGroups: ["coordination.k8s.io"]\n    resources: ["leases"]\n    verbs: ["get", "list", "watch", "create", "update", "patch"]\n  # The decryption Secret named by `decryption.secretRef` (read only).\n  - apiGroups: [""]\n    resources: ["secrets"]\n    verbs: ["get"]\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: tether-agent-records\n  namespace: tether-system\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: Role\n  name: tether-agent-records\nsubjects:\n  - kind: ServiceAccount\n    name: tether-agent\n    namespace: tether-system\n---\n# What the agent applies: the union of every ClusterRole labelled\n# tether.dev/aggregate-to-apply. No `rules` here: the API server\'s aggregation\n# controller owns them (a server-side apply that named them would conflict).\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: tether-agent-apply\naggregationRule:\n  clusterRoleSelectors:\n    - matchLabels:\n        tether.dev/aggregate-to-apply: "true"\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: tether-agent-apply\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: tether-agent-apply\nsubjects:\n  - kind: ServiceAccount\n    name: tether-agent\n    namespace: tether-system\n---\n# The broad default, explicit and separate: every verb on every kind in every\n# namespace (the repository is trusted as a cluster admin is; `escalate` and `bind`\n# let it apply RBAC, including this file when the agent applies its own install).\n# Remove it to narrow what is applied; an admin then applies this folder.\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: tether-agent-apply-all\n  labels:\n    tether.dev/aggregate-to-apply: "true"\nrules:\n  - apiGroups: ["*"]\n    resources: ["*"]\n    verbs: ["*"]\n',
  "deployment.yaml": `apiVersion: apps/v1
kind: Deployment
metadata:
  name: tether-agent
  namespace: tether-system
spec:
  replicas: 1
  strategy:
    type: Recreate # one writer per cluster
  selector:
    matchLabels:
      app.kubernetes.io/name: tether-agent
  template:
    metadata:
      labels:
        app.kubernetes.io/name: tether-agent
    spec:
      serviceAccountName: tether-agent
      securityContext:
        runAsNonRoot: true
        runAsUser: 65532
        runAsGroup: 65532
        fsGroup: 65532
        seccompProfile:
          type: RuntimeDefault
      containers:
        - name: agent
          image: ghcr.io/tether-gitops/tether-agent:0.1.0
          # Node's flags, each with the figure that justifies it (test/bench/sync.ts, RSS of
          # the agent five seconds after a pass; V8 flags such as --no-opt are refused in
          # NODE_OPTIONS, hence the command):
          # --max-old-space-size=128: garbage is collected before the heap nears the 256Mi
          #   limit (renders are capped at 8 MiB of manifests; see README "Limits").
          # --max-semi-space-size=1: a 1 MiB young generation instead of up to 16 MiB;
          #   after a pass of 1,000 objects 110 -> 96 MiB.
          # --no-opt --no-maglev: no optimizing compilers; their code and output are not
          #   paged in. One-object unit 80 -> 70 MiB, after 1,000 objects 92 -> 78 MiB;
          #   the agent waits on the network, its passes took as long.
          # --optimize-for-size: V8 gives the heap back after a pass instead of keeping
          #   its peak. After 1,000 objects 78.5 -> 69.7 MiB (idle with a one-object
          #   unit 69.3 -> 68.0 MiB); passes took as long. (--lite-mode does the same but
          #   also turns off every compiler: three times slower loops.)
          command:
            - node
            - --max-old-space-size=128
            - --max-semi-space-size=1
            - --no-opt
            - --no-maglev
            - --optimize-for-size
            - /opt/tether/cli.js
          args:
            - agent
            - --config=/etc/tether/config.yaml
            - --cache-dir=/var/cache/tether
            - --port=9797
          env:
            - name: HOME
              value: /tmp
            # glibc's malloc keeps one arena per thread that allocates (Node's main,
            # libuv's and V8's threads); two are enough for the agent. One-object unit,
            # anonymous RSS 22.4 -> 21.7 MiB (medians of four, test/bench/sync.ts).
            - name: MALLOC_ARENA_MAX
              value: "2"
          ports:
            - name: http
              containerPort: 9797
          livenessProbe:
            httpGet: {path: /healthz, port: http}
            periodSeconds: 30
          readinessProbe:
            httpGet: {path: /readyz, port: http}
            periodSeconds: 10
          resources:
            requests: {cpu: 20m, memory: 64Mi}
            limits: {cpu: 500m, memory: 256Mi}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities:
              drop: ["ALL"]
          volumeMounts:
            - {name: config, mountPath: /etc/tether, readOnly: true}
            - {name: git, mountPath: /etc/tether/git, readOnly: true}
            - {name: cache, mountPath: /var/cache/tether}
            - {name: tmp, mountPath: /tmp}
      volumes:
        - name: config
          configMap:
            name: tether-agent-config
        - name: git
          secret:
            secretName: tether-git
            optional: true
        - name: cache
          emptyDir: {}
        - name: tmp
          emptyDir: {}
`
};

// agent/bootstrap/folder.ts
var INSTALL_FOLDER = "tether-system";
var SELF_UNIT = "tether-system";
var AGENT_DEPLOYMENT = "tether-agent";
var AGENT_SERVICE_ACCOUNT = "tether-agent";
var GIT_SECRET = "tether-git";
var CLUSTER_NAMES = /^(\s*name: )(tether-agent-(?:own|apply|apply-all))$/gm;
var AGGREGATE_LABEL = "tether.dev/aggregate-to-apply";
var IMAGE_LINE = /^(\s*image:\s*)(\S+)\s*$/m;
function defaultImage() {
  const match = IMAGE_LINE.exec(INSTALL_FILES["deployment.yaml"] ?? "");
  if (!match?.[2]) throw new Error("agent/install/deployment.yaml names no image");
  return match[2];
}
function normalizeClusterPath(path) {
  const clean = path.replace(/^\.?\/+/, "").replace(/\/+$/, "");
  if (!clean || clean.split("/").some((part) => part === ".." || part === "." || part === "")) {
    throw new Error(`--path "${path}": give a folder inside the repository, e.g. clusters/edge-1`);
  }
  return clean;
}
var GENERATED = "# Written by `tether bootstrap` from agent/install; rewritten on every run: change it\n# with patches in kustomization.yaml.\n";
function clusterScoped(rbac, namespace) {
  if (namespace === AGENT_NAMESPACE) return rbac;
  return rbac.replaceAll(CLUSTER_NAMES, `$1$2-${namespace}`).replaceAll(AGGREGATE_LABEL, `${AGGREGATE_LABEL}-${namespace}`);
}
function manifests(options) {
  const file = (name) => (INSTALL_FILES[name] ?? "").replaceAll(`namespace: ${AGENT_NAMESPACE}`, `namespace: ${options.namespace}`).replace(`name: ${AGENT_NAMESPACE}
`, `name: ${options.namespace}
`);
  return {
    "namespace.yaml": GENERATED + file("namespace.yaml"),
    "rbac.yaml": GENERATED + clusterScoped(file("rbac.yaml"), options.namespace),
    "deployment.yaml": GENERATED + file("deployment.yaml").replace(IMAGE_LINE, `$1${options.image}`)
  };
}
function kustomization(options) {
  return [
    "# The Tether agent of this cluster, applied by the agent itself (unit tether-system in",
    "# config.yaml). Written once by `tether bootstrap`; yours to change (patches, labels).",
    "apiVersion: kustomize.config.k8s.io/v1beta1",
    "kind: Kustomization",
    `namespace: ${options.namespace}`,
    "resources:",
    "  - namespace.yaml",
    "  - rbac.yaml",
    "  - deployment.yaml",
    "configMapGenerator:",
    "  - name: tether-agent-config",
    "    files:",
    "      - config.yaml",
    "labels:",
    "  - pairs:",
    "      app.kubernetes.io/name: tether-agent",
    "      app.kubernetes.io/part-of: tether",
    "    includeSelectors: false",
    ""
  ].join("\n");
}
function config(options) {
  const body = (0, import_yaml.stringify)({
    namespace: options.namespace,
    git: { url: options.gitUrl, branch: options.branch, secretDir: "/etc/tether/git" },
    interval: "1m",
    timeout: "5m",
    units: [{ name: SELF_UNIT, path: options.path, prune: true }]
  });
  return [
    "# The Tether agent's configuration (the ConfigMap tether-agent-config, mounted at",
    "# /etc/tether/config.yaml). Written once by `tether bootstrap`; yours to change: the",
    "# agent applies this folder, so a change here rolls it out with the new settings.",
    `# The unit ${SELF_UNIT} is the whole cluster folder, this one included (as Flux's`,
    "# flux-system Kustomization): put manifests or kustomizations beside tether-system/.",
    body
  ].join("\n");
}
function installFolderFiles(options, existing) {
  return {
    ...manifests(options),
    "kustomization.yaml": existing("kustomization.yaml") ?? kustomization(options),
    "config.yaml": existing("config.yaml") ?? config(options)
  };
}

export {
  INSTALL_FOLDER,
  SELF_UNIT,
  AGENT_DEPLOYMENT,
  AGENT_SERVICE_ACCOUNT,
  GIT_SECRET,
  defaultImage,
  normalizeClusterPath,
  installFolderFiles
};
