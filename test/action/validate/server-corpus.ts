// The corpus of the differential test (server-differential.test.ts): one valid object of
// each hand-written kind, and variants of it, each one change away, some still valid and
// most not. Nothing here says what the verdict should be: the local API server decides.
type Obj = Record<string, unknown>;

export interface Case {
  /** Unique, file-name safe: `<kind>-<what changed>`. */
  id: string;
  object: Obj;
}

export const NAMESPACE = "tether-diff";
export const CRD_GROUP = "diff.tether.test";

const pod = (containers: unknown[] = [{ name: "app", image: "nginx:1.27" }]) => ({
  containers,
});

const template = (labels: Obj = { app: "web" }, spec: Obj = pod()) => ({
  metadata: { labels },
  spec,
});

const BASES: Record<string, Obj> = {
  configmap: {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "settings", labels: { app: "web" } },
    data: { "app.properties": "a=b", LOG_LEVEL: "info" },
  },
  secret: {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: "creds" },
    type: "Opaque",
    data: { password: "c2VjcmV0" },
  },
  service: {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: "web" },
    spec: { selector: { app: "web" }, ports: [{ name: "http", port: 80, targetPort: 8080 }] },
  },
  deployment: {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web", labels: { app: "web" } },
    spec: { replicas: 2, selector: { matchLabels: { app: "web" } }, template: template() },
  },
  statefulset: {
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    metadata: { name: "db" },
    spec: {
      serviceName: "db",
      selector: { matchLabels: { app: "db" } },
      template: template({ app: "db" }),
    },
  },
  daemonset: {
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: { name: "agent" },
    spec: { selector: { matchLabels: { app: "agent" } }, template: template({ app: "agent" }) },
  },
  job: {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { name: "migrate" },
    spec: {
      template: {
        spec: { restartPolicy: "Never", containers: [{ name: "m", image: "busybox" }] },
      },
    },
  },
  cronjob: {
    apiVersion: "batch/v1",
    kind: "CronJob",
    metadata: { name: "report" },
    spec: {
      schedule: "*/5 * * * *",
      jobTemplate: {
        spec: {
          template: {
            spec: { restartPolicy: "OnFailure", containers: [{ name: "r", image: "busybox" }] },
          },
        },
      },
    },
  },
  ingress: {
    apiVersion: "networking.k8s.io/v1",
    kind: "Ingress",
    metadata: { name: "web" },
    spec: {
      rules: [
        {
          host: "shop.example.com",
          http: {
            paths: [
              {
                path: "/",
                pathType: "Prefix",
                backend: { service: { name: "web", port: { number: 80 } } },
              },
            ],
          },
        },
      ],
    },
  },
  hpa: {
    apiVersion: "autoscaling/v2",
    kind: "HorizontalPodAutoscaler",
    metadata: { name: "web" },
    spec: {
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "web" },
      minReplicas: 1,
      maxReplicas: 5,
      metrics: [
        {
          type: "Resource",
          resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 80 } },
        },
      ],
    },
  },
  pdb: {
    apiVersion: "policy/v1",
    kind: "PodDisruptionBudget",
    metadata: { name: "web" },
    spec: { minAvailable: 1, selector: { matchLabels: { app: "web" } } },
  },
  networkpolicy: {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { name: "web" },
    spec: {
      podSelector: { matchLabels: { app: "web" } },
      policyTypes: ["Ingress"],
      ingress: [
        {
          from: [{ podSelector: { matchLabels: { role: "front" } } }],
          ports: [{ protocol: "TCP", port: 8080 }],
        },
      ],
    },
  },
  role: {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "Role",
    metadata: { name: "reader" },
    rules: [{ apiGroups: [""], resources: ["pods"], verbs: ["get", "list"] }],
  },
  clusterrole: {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "ClusterRole",
    metadata: { name: "tether-diff-reader" },
    rules: [{ apiGroups: [""], resources: ["pods"], verbs: ["get"] }],
  },
  rolebinding: {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "RoleBinding",
    metadata: { name: "reader" },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "reader" },
    subjects: [{ kind: "ServiceAccount", name: "app" }],
  },
  clusterrolebinding: {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "ClusterRoleBinding",
    metadata: { name: "tether-diff-reader" },
    roleRef: {
      apiGroup: "rbac.authorization.k8s.io",
      kind: "ClusterRole",
      name: "tether-diff-reader",
    },
    subjects: [{ kind: "ServiceAccount", name: "app", namespace: NAMESPACE }],
  },
  namespace: {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: { name: "tether-diff-new" },
  },
  serviceaccount: {
    apiVersion: "v1",
    kind: "ServiceAccount",
    metadata: { name: "app" },
  },
  pvc: {
    apiVersion: "v1",
    kind: "PersistentVolumeClaim",
    metadata: { name: "data" },
    spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } },
  },
  storageclass: {
    apiVersion: "storage.k8s.io/v1",
    kind: "StorageClass",
    metadata: { name: "fast" },
    provisioner: "example.com/fast",
    reclaimPolicy: "Delete",
    volumeBindingMode: "WaitForFirstConsumer",
  },
  widget: {
    apiVersion: `${CRD_GROUP}/v1`,
    kind: "Widget",
    metadata: { name: "w" },
    spec: { replicas: 2, maxReplicas: 3, mode: "auto", size: "1Gi", url: "https://example.com" },
  },
};

/** A copy of `base` with the value at a dotted path ("spec.ports.0.port") set, or removed. */
function change(base: Obj, path: string, value: unknown): Obj {
  const copy = structuredClone(base);
  const keys = path.split(".");
  let node: Record<string, unknown> | unknown[] = copy;
  for (const key of keys.slice(0, -1)) {
    const next = Array.isArray(node) ? node[Number(key)] : node[key];
    node = next as Record<string, unknown>;
  }
  const last = keys[keys.length - 1] ?? "";
  if (Array.isArray(node)) {
    if (value === undefined) node.splice(Number(last), 1);
    else node[Number(last)] = value;
  } else if (value === undefined) delete node[last];
  else node[last] = value;
  return copy;
}

/** [what, path, value] variants per base. */
const VARIANTS: Record<string, [string, string, unknown][]> = {
  configmap: [
    ["name-uppercase", "metadata.name", "Bad_Name"],
    ["name-dots", "metadata.name", "app.settings.v1"],
    ["name-254", "metadata.name", "a".repeat(254)],
    ["name-253", "metadata.name", "a".repeat(253)],
    ["name-trailing-dash", "metadata.name", "settings-"],
    ["label-value-spaces", "metadata.labels", { team: "has spaces" }],
    ["label-value-64", "metadata.labels", { team: "a".repeat(64) }],
    ["label-value-63", "metadata.labels", { team: "a".repeat(63) }],
    ["label-value-empty", "metadata.labels", { team: "" }],
    ["label-value-dots", "metadata.labels", { version: "1.2.3_rc-1" }],
    ["label-key-prefix", "metadata.labels", { "app.kubernetes.io/name": "web" }],
    ["label-key-bad-prefix", "metadata.labels", { "Example.com/name": "web" }],
    ["label-key-two-slashes", "metadata.labels", { "a/b/c": "web" }],
    ["label-key-empty-name", "metadata.labels", { "example.com/": "web" }],
    ["label-key-64", "metadata.labels", { ["k".repeat(64)]: "v" }],
    ["label-value-leading-dash", "metadata.labels", { team: "-web" }],
    ["annotation-key-bad", "metadata.annotations", { "bad key": "x" }],
    ["annotation-key-uppercase", "metadata.annotations", { "Example.COM/Note": "x" }],
    ["annotation-value-free", "metadata.annotations", { note: "anything at all: {}" }],
    ["annotation-too-large", "metadata.annotations", { big: "x".repeat(262_145) }],
    ["data-key-space", "data", { "bad key": "x" }],
    ["data-key-dot", "data", { ".": "x" }],
    ["data-key-dotdot-prefix", "data", { "..hidden": "x" }],
    ["data-key-dotfile", "data", { ".env": "x" }],
    ["binary-not-base64", "binaryData", { blob: "not base64!" }],
    ["binary-duplicate-key", "binaryData", { LOG_LEVEL: "aW5mbw==" }],
    ["binary-ok", "binaryData", { blob: "aGVsbG8=" }],
    ["namespace-bad", "metadata.namespace", "Bad_NS"],
    ["no-name", "metadata.name", undefined],
  ],
  secret: [
    ["data-not-base64", "data", { password: "not base64!" }],
    ["data-key-bad", "data", { "pass word": "c2VjcmV0" }],
    ["string-data", "stringData", { username: "admin" }],
    ["string-data-key-bad", "stringData", { "user name": "admin" }],
    ["tls-missing-key", "type", "kubernetes.io/tls"],
    ["basic-auth-empty", "type", "kubernetes.io/basic-auth"],
    ["ssh-auth-missing", "type", "kubernetes.io/ssh-auth"],
    ["dockerconfigjson-missing", "type", "kubernetes.io/dockerconfigjson"],
    ["sa-token-no-annotation", "type", "kubernetes.io/service-account-token"],
    ["custom-type", "type", "example.com/custom"],
    ["name-uppercase", "metadata.name", "Creds"],
  ],
  service: [
    ["name-71", "metadata.name", `web-${"a".repeat(67)}`],
    ["name-63", "metadata.name", `w${"a".repeat(62)}`],
    ["name-starts-digit", "metadata.name", "1web"],
    ["name-dots", "metadata.name", "web.shop"],
    ["port-70000", "spec.ports.0.port", 70000],
    ["port-0", "spec.ports.0.port", 0],
    ["port-65535", "spec.ports.0.port", 65535],
    ["target-port-name", "spec.ports.0.targetPort", "http"],
    ["target-port-name-bad", "spec.ports.0.targetPort", "HTTP_PORT"],
    ["target-port-name-16", "spec.ports.0.targetPort", "a".repeat(16)],
    ["target-port-70000", "spec.ports.0.targetPort", 70000],
    ["protocol-bad", "spec.ports.0.protocol", "HTTP"],
    ["protocol-udp", "spec.ports.0.protocol", "UDP"],
    ["no-ports", "spec.ports", []],
    ["two-ports-unnamed", "spec.ports", [{ port: 80, name: "http" }, { port: 443 }]],
    [
      "two-ports-same-name",
      "spec.ports",
      [
        { port: 80, name: "http" },
        { port: 443, name: "http" },
      ],
    ],
    [
      "two-ports-same-port",
      "spec.ports",
      [
        { port: 80, name: "a" },
        { port: 80, name: "b" },
      ],
    ],
    ["port-name-uppercase", "spec.ports.0.name", "HTTP"],
    ["type-bad", "spec.type", "Internal"],
    ["type-nodeport", "spec.type", "NodePort"],
    ["nodeport-on-clusterip", "spec.ports.0.nodePort", 30080],
    ["selector-bad-value", "spec.selector", { app: "web app" }],
    ["session-affinity-bad", "spec.sessionAffinity", "Sticky"],
    ["cluster-ip-bad", "spec.clusterIP", "not-an-ip"],
    ["headless-no-ports", "spec", { clusterIP: "None", selector: { app: "web" } }],
    ["external-name", "spec", { type: "ExternalName", externalName: "db.example.com" }],
    ["external-name-missing", "spec", { type: "ExternalName" }],
    ["external-name-bad", "spec", { type: "ExternalName", externalName: "DB_HOST" }],
    ["external-traffic-on-clusterip", "spec.externalTrafficPolicy", "Local"],
  ],
  deployment: [
    ["selector-mismatch", "spec.template.metadata.labels", { app: "other" }],
    ["selector-subset", "spec.template.metadata.labels", { app: "web", tier: "front" }],
    ["selector-empty", "spec.selector", {}],
    [
      "selector-expression",
      "spec.selector",
      { matchExpressions: [{ key: "app", operator: "In", values: ["web", "api"] }] },
    ],
    [
      "selector-expression-no-values",
      "spec.selector",
      { matchExpressions: [{ key: "app", operator: "In" }] },
    ],
    [
      "selector-exists-with-values",
      "spec.selector",
      { matchExpressions: [{ key: "app", operator: "Exists", values: ["web"] }] },
    ],
    [
      "selector-bad-operator",
      "spec.selector",
      { matchExpressions: [{ key: "app", operator: "Equals", values: ["web"] }] },
    ],
    [
      "duplicate-containers",
      "spec.template.spec.containers",
      [
        { name: "app", image: "nginx" },
        { name: "app", image: "redis" },
      ],
    ],
    ["container-no-image", "spec.template.spec.containers", [{ name: "app" }]],
    ["container-name-uppercase", "spec.template.spec.containers.0.name", "App"],
    ["container-name-64", "spec.template.spec.containers.0.name", "a".repeat(64)],
    ["no-containers", "spec.template.spec.containers", []],
    ["cpu-lots", "spec.template.spec.containers.0.resources", { requests: { cpu: "lots" } }],
    ["cpu-millis", "spec.template.spec.containers.0.resources", { requests: { cpu: "250m" } }],
    ["cpu-decimal", "spec.template.spec.containers.0.resources", { requests: { cpu: "0.5" } }],
    ["cpu-exponent", "spec.template.spec.containers.0.resources", { limits: { cpu: "1e3m" } }],
    ["cpu-number", "spec.template.spec.containers.0.resources", { limits: { cpu: 2 } }],
    [
      "memory-bad-suffix",
      "spec.template.spec.containers.0.resources",
      { limits: { memory: "1GB" } },
    ],
    [
      "memory-negative",
      "spec.template.spec.containers.0.resources",
      { requests: { memory: "-1Gi" } },
    ],
    [
      "request-above-limit",
      "spec.template.spec.containers.0.resources",
      { requests: { memory: "2Gi" }, limits: { memory: "1Gi" } },
    ],
    [
      "request-equal-limit-units",
      "spec.template.spec.containers.0.resources",
      { requests: { memory: "1024Mi" }, limits: { memory: "1Gi" } },
    ],
    [
      "cpu-request-above-limit",
      "spec.template.spec.containers.0.resources",
      { requests: { cpu: "1" }, limits: { cpu: "500m" } },
    ],
    ["resource-name-bad", "spec.template.spec.containers.0.resources", { limits: { gpu: "1" } }],
    [
      "resource-extended",
      "spec.template.spec.containers.0.resources",
      { limits: { "example.com/gpu": "1" } },
    ],
    ["container-port-0", "spec.template.spec.containers.0.ports", [{ containerPort: 0 }]],
    ["container-port-70000", "spec.template.spec.containers.0.ports", [{ containerPort: 70000 }]],
    [
      "container-port-dup-name",
      "spec.template.spec.containers.0.ports",
      [
        { containerPort: 80, name: "http" },
        { containerPort: 81, name: "http" },
      ],
    ],
    [
      "container-port-name-bad",
      "spec.template.spec.containers.0.ports",
      [{ containerPort: 80, name: "http_port" }],
    ],
    [
      "container-port-name-digits",
      "spec.template.spec.containers.0.ports",
      [{ containerPort: 80, name: "8080" }],
    ],
    [
      "container-port-protocol-bad",
      "spec.template.spec.containers.0.ports",
      [{ containerPort: 80, protocol: "tcp" }],
    ],
    ["pull-policy-bad", "spec.template.spec.containers.0.imagePullPolicy", "Sometimes"],
    ["pull-policy-ok", "spec.template.spec.containers.0.imagePullPolicy", "IfNotPresent"],
    ["restart-never", "spec.template.spec.restartPolicy", "Never"],
    ["restart-always", "spec.template.spec.restartPolicy", "Always"],
    ["dns-policy-bad", "spec.template.spec.dnsPolicy", "Cluster"],
    ["replicas-negative", "spec.replicas", -1],
    ["strategy-bad", "spec.strategy", { type: "BlueGreen" }],
    [
      "strategy-recreate-rolling",
      "spec.strategy",
      { type: "Recreate", rollingUpdate: { maxSurge: 1 } },
    ],
    [
      "rolling-both-zero",
      "spec.strategy",
      { type: "RollingUpdate", rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } },
    ],
    [
      "rolling-percent-over",
      "spec.strategy",
      { type: "RollingUpdate", rollingUpdate: { maxUnavailable: "150%" } },
    ],
    [
      "rolling-percent-ok",
      "spec.strategy",
      { type: "RollingUpdate", rollingUpdate: { maxUnavailable: "25%", maxSurge: "50%" } },
    ],
    [
      "progress-deadline-le-minready",
      "spec",
      {
        replicas: 1,
        minReadySeconds: 30,
        progressDeadlineSeconds: 10,
        selector: { matchLabels: { app: "web" } },
        template: template(),
      },
    ],
    [
      "volume-mount-unknown",
      "spec.template.spec.containers.0.volumeMounts",
      [{ name: "data", mountPath: "/data" }],
    ],
    [
      "volume-duplicate",
      "spec.template.spec.volumes",
      [
        { name: "v", emptyDir: {} },
        { name: "v", emptyDir: {} },
      ],
    ],
    ["volume-no-source", "spec.template.spec.volumes", [{ name: "v" }]],
    ["volume-name-bad", "spec.template.spec.volumes", [{ name: "V_1", emptyDir: {} }]],
    [
      "volume-two-sources",
      "spec.template.spec.volumes",
      [{ name: "v", emptyDir: {}, configMap: { name: "x" } }],
    ],
    [
      "env-value-and-from",
      "spec.template.spec.containers.0.env",
      [{ name: "A", value: "x", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } }],
    ],
    ["env-name-equals", "spec.template.spec.containers.0.env", [{ name: "A=B", value: "x" }]],
    ["env-name-dotted", "spec.template.spec.containers.0.env", [{ name: "my.var", value: "x" }]],
    [
      "env-secret-key-bad",
      "spec.template.spec.containers.0.env",
      [{ name: "A", valueFrom: { secretKeyRef: { name: "s", key: "bad key" } } }],
    ],
    ["template-label-bad", "spec.template.metadata.labels", { app: "web", "bad key": "x" }],
    ["node-selector-bad", "spec.template.spec.nodeSelector", { disk: "fast ssd" }],
    [
      "toleration-bad-effect",
      "spec.template.spec.tolerations",
      [{ key: "k", operator: "Equal", value: "v", effect: "Never" }],
    ],
    [
      "toleration-exists-value",
      "spec.template.spec.tolerations",
      [{ key: "k", operator: "Exists", value: "v" }],
    ],
    ["probe-no-handler", "spec.template.spec.containers.0.livenessProbe", { periodSeconds: 10 }],
    [
      "probe-two-handlers",
      "spec.template.spec.containers.0.readinessProbe",
      { httpGet: { port: 80 }, tcpSocket: { port: 80 } },
    ],
    [
      "liveness-success-2",
      "spec.template.spec.containers.0.livenessProbe",
      { httpGet: { port: 80 }, successThreshold: 2 },
    ],
    [
      "probe-port-name-bad",
      "spec.template.spec.containers.0.readinessProbe",
      { httpGet: { port: "HTTP" } },
    ],
    ["service-account-bad", "spec.template.spec.serviceAccountName", "App_SA"],
    ["active-deadline", "spec.template.spec.activeDeadlineSeconds", 30],
    [
      "init-container-restart-never",
      "spec.template.spec.initContainers",
      [{ name: "init", image: "busybox", restartPolicy: "Never" }],
    ],
    [
      "sidecar",
      "spec.template.spec.initContainers",
      [{ name: "side", image: "busybox", restartPolicy: "Always" }],
    ],
    ["init-same-name", "spec.template.spec.initContainers", [{ name: "app", image: "busybox" }]],
    ["unknown-field", "spec.template.spec.containers.0.imagePolicy", "Always"],
  ],
  statefulset: [
    ["selector-mismatch", "spec.template.metadata.labels", { app: "web" }],
    ["pod-management-bad", "spec.podManagementPolicy", "Fast"],
    ["pod-management-parallel", "spec.podManagementPolicy", "Parallel"],
    ["update-strategy-bad", "spec.updateStrategy", { type: "Recreate" }],
    ["name-dots", "metadata.name", "db.main"],
    ["restart-onfailure", "spec.template.spec.restartPolicy", "OnFailure"],
    [
      "claim-template-no-modes",
      "spec.volumeClaimTemplates",
      [{ metadata: { name: "data" }, spec: { resources: { requests: { storage: "1Gi" } } } }],
    ],
    [
      "claim-template-ok",
      "spec.volumeClaimTemplates",
      [
        {
          metadata: { name: "data" },
          spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } },
        },
      ],
    ],
    ["retention-bad", "spec.persistentVolumeClaimRetentionPolicy", { whenDeleted: "Keep" }],
    ["replicas-negative", "spec.replicas", -3],
  ],
  daemonset: [
    ["selector-mismatch", "spec.template.metadata.labels", { app: "other" }],
    ["update-strategy-bad", "spec.updateStrategy", { type: "Rolling" }],
    [
      "rolling-both-zero",
      "spec.updateStrategy",
      { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 0 } },
    ],
    ["restart-never", "spec.template.spec.restartPolicy", "Never"],
    ["selector-empty", "spec.selector", {}],
  ],
  job: [
    ["restart-always", "spec.template.spec.restartPolicy", "Always"],
    ["restart-unset", "spec.template.spec.restartPolicy", undefined],
    ["restart-onfailure", "spec.template.spec.restartPolicy", "OnFailure"],
    ["backoff-negative", "spec.backoffLimit", -1],
    ["parallelism-negative", "spec.parallelism", -2],
    ["completion-mode-bad", "spec.completionMode", "Sometimes"],
    ["indexed-no-completions", "spec.completionMode", "Indexed"],
    ["selector-without-manual", "spec.selector", { matchLabels: { app: "m" } }],
    ["active-deadline-zero", "spec.activeDeadlineSeconds", 0],
    ["name-64", "metadata.name", "j".repeat(64)],
    ["name-63", "metadata.name", "j".repeat(63)],
    ["ttl", "spec.ttlSecondsAfterFinished", 100],
  ],
  cronjob: [
    ["schedule-bad", "spec.schedule", "not a schedule"],
    ["schedule-hourly", "spec.schedule", "@hourly"],
    ["schedule-every", "spec.schedule", "@every 1h30m"],
    ["schedule-descriptor-bad", "spec.schedule", "@sometimes"],
    ["schedule-names", "spec.schedule", "0 9 * JAN-MAR MON-FRI"],
    ["schedule-minute-60", "spec.schedule", "60 * * * *"],
    ["schedule-range-backwards", "spec.schedule", "0 5-3 * * *"],
    ["schedule-six-fields", "spec.schedule", "0 0 * * * *"],
    ["schedule-question", "spec.schedule", "0 0 ? * *"],
    ["schedule-tz", "spec.schedule", "TZ=UTC 0 0 * * *"],
    ["schedule-step-zero", "spec.schedule", "*/0 * * * *"],
    ["schedule-dow-7", "spec.schedule", "0 0 * * 7"],
    ["schedule-empty", "spec.schedule", ""],
    ["name-52", "metadata.name", "c".repeat(52)],
    ["name-53", "metadata.name", "c".repeat(53)],
    ["concurrency-bad", "spec.concurrencyPolicy", "Never"],
    ["concurrency-forbid", "spec.concurrencyPolicy", "Forbid"],
    ["timezone-ok", "spec.timeZone", "Europe/Paris"],
    ["timezone-bad", "spec.timeZone", "Mars/Olympus"],
    ["history-negative", "spec.successfulJobsHistoryLimit", -1],
    ["restart-always", "spec.jobTemplate.spec.template.spec.restartPolicy", "Always"],
    ["restart-unset", "spec.jobTemplate.spec.template.spec.restartPolicy", undefined],
    ["job-selector", "spec.jobTemplate.spec.selector", { matchLabels: { a: "b" } }],
  ],
  ingress: [
    ["no-path-type", "spec.rules.0.http.paths.0.pathType", undefined],
    ["path-type-bad", "spec.rules.0.http.paths.0.pathType", "Regex"],
    ["path-relative", "spec.rules.0.http.paths.0.path", "shop"],
    ["path-double-slash", "spec.rules.0.http.paths.0.path", "/a//b"],
    ["host-wildcard", "spec.rules.0.host", "*.example.com"],
    ["host-uppercase", "spec.rules.0.host", "Shop.Example.com"],
    ["host-ip", "spec.rules.0.host", "10.0.0.1"],
    ["host-bad-wildcard", "spec.rules.0.host", "shop.*.com"],
    [
      "backend-port-name",
      "spec.rules.0.http.paths.0.backend",
      { service: { name: "web", port: { name: "http" } } },
    ],
    [
      "backend-port-none",
      "spec.rules.0.http.paths.0.backend",
      { service: { name: "web", port: {} } },
    ],
    [
      "backend-port-both",
      "spec.rules.0.http.paths.0.backend",
      { service: { name: "web", port: { name: "http", number: 80 } } },
    ],
    [
      "backend-service-name-bad",
      "spec.rules.0.http.paths.0.backend",
      { service: { name: "Web_Svc", port: { number: 80 } } },
    ],
    [
      "backend-port-70000",
      "spec.rules.0.http.paths.0.backend",
      { service: { name: "web", port: { number: 70000 } } },
    ],
    ["no-rules-no-default", "spec", {}],
    [
      "default-backend-only",
      "spec",
      { defaultBackend: { service: { name: "web", port: { number: 80 } } } },
    ],
    ["no-paths", "spec.rules.0.http.paths", []],
    ["class-bad", "spec.ingressClassName", "Nginx_Class"],
    ["tls-host-bad", "spec.tls", [{ hosts: ["bad host"], secretName: "tls" }]],
  ],
  hpa: [
    ["min-zero", "spec.minReplicas", 0],
    ["max-below-min", "spec.maxReplicas", 0],
    [
      "max-less-than-min",
      "spec",
      {
        scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "web" },
        minReplicas: 5,
        maxReplicas: 3,
      },
    ],
    ["no-target-name", "spec.scaleTargetRef.name", ""],
    ["metric-type-bad", "spec.metrics.0.type", "Memory"],
    ["metric-source-missing", "spec.metrics.0", { type: "Pods" }],
    ["utilization-zero", "spec.metrics.0.resource.target.averageUtilization", 0],
    [
      "average-value",
      "spec.metrics.0.resource.target",
      { type: "AverageValue", averageValue: "500m" },
    ],
    [
      "target-type-bad",
      "spec.metrics.0.resource.target",
      { type: "Percent", averageUtilization: 50 },
    ],
  ],
  pdb: [
    ["both-set", "spec.maxUnavailable", 1],
    ["percent", "spec.minAvailable", "50%"],
    ["percent-over", "spec.minAvailable", "150%"],
    ["negative", "spec.minAvailable", -1],
    ["not-percent", "spec.minAvailable", "half"],
    ["eviction-policy-bad", "spec.unhealthyPodEvictionPolicy", "Never"],
    ["eviction-policy-ok", "spec.unhealthyPodEvictionPolicy", "AlwaysAllow"],
    ["selector-bad", "spec.selector", { matchLabels: { app: "web app" } }],
  ],
  networkpolicy: [
    ["policy-type-bad", "spec.policyTypes", ["Inbound"]],
    ["port-name", "spec.ingress.0.ports.0.port", "http"],
    ["port-70000", "spec.ingress.0.ports.0.port", 70000],
    ["protocol-bad", "spec.ingress.0.ports.0.protocol", "ICMP"],
    ["end-port-ok", "spec.ingress.0.ports.0", { port: 8000, endPort: 9000 }],
    ["end-port-below", "spec.ingress.0.ports.0", { port: 9000, endPort: 8000 }],
    ["end-port-named", "spec.ingress.0.ports.0", { port: "http", endPort: 9000 }],
    [
      "ipblock-ok",
      "spec.ingress.0.from",
      [{ ipBlock: { cidr: "10.0.0.0/8", except: ["10.1.0.0/16"] } }],
    ],
    ["ipblock-bad", "spec.ingress.0.from", [{ ipBlock: { cidr: "10.0.0.0/33" } }]],
    [
      "ipblock-and-selector",
      "spec.ingress.0.from",
      [{ ipBlock: { cidr: "10.0.0.0/8" }, podSelector: {} }],
    ],
    ["peer-empty", "spec.ingress.0.from", [{}]],
    ["selector-bad-key", "spec.podSelector", { matchLabels: { "bad key": "x" } }],
  ],
  role: [
    ["no-verbs", "rules.0.verbs", []],
    ["no-api-groups", "rules.0.apiGroups", undefined],
    ["no-resources", "rules.0.resources", undefined],
    ["non-resource-urls", "rules", [{ nonResourceURLs: ["/healthz"], verbs: ["get"] }]],
    ["name-colon", "metadata.name", "system:reader"],
    ["name-uppercase", "metadata.name", "Reader"],
    ["name-slash", "metadata.name", "a/b"],
  ],
  clusterrole: [
    ["non-resource-urls", "rules", [{ nonResourceURLs: ["/healthz"], verbs: ["get"] }]],
    [
      "non-resource-and-resources",
      "rules",
      [{ nonResourceURLs: ["/healthz"], resources: ["pods"], apiGroups: [""], verbs: ["get"] }],
    ],
    ["aggregation-empty", "aggregationRule", { clusterRoleSelectors: [] }],
    [
      "aggregation-ok",
      "aggregationRule",
      { clusterRoleSelectors: [{ matchLabels: { "example.com/aggregate": "true" } }] },
    ],
    ["name-percent", "metadata.name", "a%b"],
  ],
  rolebinding: [
    ["role-ref-kind-bad", "roleRef.kind", "Group"],
    ["role-ref-api-group-bad", "roleRef.apiGroup", "rbac"],
    ["role-ref-api-group-empty", "roleRef.apiGroup", ""],
    ["subject-kind-bad", "subjects.0.kind", "Robot"],
    [
      "subject-user",
      "subjects",
      [{ kind: "User", name: "alice", apiGroup: "rbac.authorization.k8s.io" }],
    ],
    ["subject-user-no-group", "subjects", [{ kind: "User", name: "alice" }]],
    ["subject-user-wrong-group", "subjects", [{ kind: "User", name: "alice", apiGroup: "v1" }]],
    ["subject-sa-bad-name", "subjects.0.name", "App_SA"],
    ["subject-no-name", "subjects.0.name", ""],
    ["role-ref-cluster-role", "roleRef.kind", "ClusterRole"],
  ],
  clusterrolebinding: [
    ["role-ref-role", "roleRef.kind", "Role"],
    ["sa-no-namespace", "subjects", [{ kind: "ServiceAccount", name: "app" }]],
    ["group", "subjects", [{ kind: "Group", name: "devs", apiGroup: "rbac.authorization.k8s.io" }]],
  ],
  namespace: [
    ["name-dots", "metadata.name", "tether.diff"],
    ["name-64", "metadata.name", "n".repeat(64)],
    ["name-uppercase", "metadata.name", "Tether-Diff"],
    ["label-bad", "metadata.labels", { "team name": "x" }],
  ],
  serviceaccount: [
    ["name-dots", "metadata.name", "app.sa"],
    ["name-bad", "metadata.name", "App SA"],
    ["secret-name-bad", "secrets", [{ name: "Bad_Secret" }]],
    ["automount", "automountServiceAccountToken", false],
  ],
  pvc: [
    ["no-access-modes", "spec.accessModes", []],
    ["access-mode-bad", "spec.accessModes", ["ReadWriteSometimes"]],
    ["rwop-with-other", "spec.accessModes", ["ReadWriteOncePod", "ReadWriteOnce"]],
    ["no-storage", "spec.resources", { requests: {} }],
    ["storage-zero", "spec.resources.requests.storage", "0"],
    ["storage-bad", "spec.resources.requests.storage", "lots"],
    ["storage-decimal", "spec.resources.requests.storage", "1.5Gi"],
    ["volume-mode-bad", "spec.volumeMode", "Raw"],
    ["volume-mode-block", "spec.volumeMode", "Block"],
    ["class-bad", "spec.storageClassName", "Fast_SSD"],
    ["class-empty", "spec.storageClassName", ""],
  ],
  storageclass: [
    ["no-provisioner", "provisioner", undefined],
    ["provisioner-bad", "provisioner", "example.com/fast disk"],
    ["reclaim-bad", "reclaimPolicy", "Recycle"],
    ["reclaim-retain", "reclaimPolicy", "Retain"],
    ["binding-bad", "volumeBindingMode", "Later"],
    ["parameters", "parameters", { type: "ssd", iops: "3000" }],
  ],
  widget: [
    ["replicas-over-max", "spec.replicas", 5],
    ["replicas-equal-max", "spec.replicas", 3],
    ["mode-bad", "spec.mode", "sometimes"],
    ["size-bad", "spec.size", "huge"],
    ["size-too-big", "spec.size", "2Gi"],
    ["url-bad", "spec.url", "not a url"],
    ["url-http", "spec.url", "http://example.com:8080/x"],
    ["name-list-unsorted", "spec.names", ["b", "a"]],
    ["name-list-sorted", "spec.names", ["a", "b"]],
    ["name-list-bad-label", "spec.names", ["a", "B_C"]],
    ["prefix-bad", "spec.prefix", "Foo"],
    ["prefix-ok", "spec.prefix", "foo-bar"],
    ["metadata-name-bad", "metadata.name", "W_1"],
    ["label-bad", "metadata.labels", { "bad key": "x" }],
    ["item-port-bad", "spec.ports", [{ port: 10 }, { port: 70000 }]],
    ["item-port-ok", "spec.ports", [{ port: 10 }, { port: 80 }]],
  ],
};

/** Every case: each base, then its variants. */
export function corpus(): Case[] {
  const cases: Case[] = [];
  for (const [name, base] of Object.entries(BASES)) {
    cases.push({ id: `${name}-valid`, object: base });
    for (const [what, path, value] of VARIANTS[name] ?? []) {
      cases.push({ id: `${name}-${what}`, object: change(base, path, value) });
    }
  }
  return cases;
}

/** The CustomResourceDefinition behind the Widget cases, with CEL rules of each library. */
export const WIDGET_CRD = {
  apiVersion: "apiextensions.k8s.io/v1",
  kind: "CustomResourceDefinition",
  metadata: { name: `widgets.${CRD_GROUP}` },
  spec: {
    group: CRD_GROUP,
    scope: "Namespaced",
    names: { plural: "widgets", singular: "widget", kind: "Widget", listKind: "WidgetList" },
    versions: [
      {
        name: "v1",
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: {
            type: "object",
            properties: {
              spec: {
                type: "object",
                "x-kubernetes-validations": [
                  {
                    rule: "self.replicas <= self.maxReplicas",
                    message: "replicas must not exceed maxReplicas",
                    fieldPath: ".replicas",
                  },
                  {
                    rule: "!has(self.names) || self.names.isSorted()",
                    messageExpression: "'names must be sorted, got ' + self.names.join(', ')",
                  },
                  {
                    rule: "!has(self.size) || quantity(self.size).compareTo(quantity('1Gi')) <= 0",
                    message: "size must be at most 1Gi",
                    reason: "FieldValueForbidden",
                  },
                  {
                    rule: "self.mode != 'auto' || self.replicas >= 1",
                    message: "auto mode needs a replica",
                  },
                  {
                    rule: "oldSelf.mode == self.mode || true",
                    message: "a transition rule, never run on create",
                  },
                ],
                properties: {
                  replicas: { type: "integer" },
                  maxReplicas: { type: "integer", default: 10 },
                  mode: {
                    type: "string",
                    maxLength: 253,
                    "x-kubernetes-validations": [
                      {
                        rule: "self in ['auto', 'manual']",
                        message: "mode must be auto or manual",
                      },
                    ],
                  },
                  size: {
                    type: "string",
                    maxLength: 253,
                    "x-kubernetes-validations": [
                      { rule: "isQuantity(self)", message: "size must be a quantity" },
                    ],
                  },
                  url: {
                    type: "string",
                    maxLength: 253,
                    "x-kubernetes-validations": [
                      {
                        rule: "isURL(self) && url(self).getScheme() in ['http', 'https']",
                        message: "url must be an http(s) URL",
                      },
                    ],
                  },
                  prefix: {
                    type: "string",
                    maxLength: 253,
                    "x-kubernetes-validations": [
                      {
                        rule: "self.matches('^[a-z]+(-[a-z]+)*$') && self.lowerAscii() == self",
                        message: "prefix must be lower-case words",
                      },
                    ],
                  },
                  names: {
                    type: "array",
                    maxItems: 10,
                    items: {
                      type: "string",
                      maxLength: 63,
                      "x-kubernetes-validations": [
                        {
                          rule: "!format.dns1123Label().validate(self).hasValue()",
                          messageExpression: "'not a DNS label: ' + self",
                        },
                      ],
                    },
                  },
                  ports: {
                    type: "array",
                    maxItems: 10,
                    items: {
                      type: "object",
                      properties: { port: { type: "integer" } },
                      "x-kubernetes-validations": [
                        { rule: "self.port > 0 && self.port < 65536", message: "bad port" },
                      ],
                    },
                  },
                },
              },
            },
          },
        },
      },
    ],
  },
};
