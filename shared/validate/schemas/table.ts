// Hand-maintained API lifecycle facts that the generator cannot read from upstream:
// k8s.io/api deletes the Go types of APIs some releases after they stop being served,
// and GA kinds deprecated in favour of another kind say so only in prose. Sources: the
// Kubernetes deprecated API migration guide and release notes. Entries here only fill
// gaps: where k8s.io/api has the same apiVersion + kind, its facts win.
import type { ApiLifecycle } from "./types.ts";

type Entry = Omit<ApiLifecycle, "source">;

const PSA =
  "PodSecurityPolicy has no replacement API; use Pod Security Admission or a policy engine";

export const lifecycleTable: Entry[] = [
  // Removed in 1.16.
  ...["DaemonSet", "Deployment", "ReplicaSet"].map(
    (kind): Entry => ({
      apiVersion: "extensions/v1beta1",
      kind,
      deprecated: "1.9",
      removed: "1.16",
      replacement: { apiVersion: "apps/v1", kind },
    }),
  ),
  {
    apiVersion: "extensions/v1beta1",
    kind: "NetworkPolicy",
    deprecated: "1.9",
    removed: "1.16",
    replacement: { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy" },
  },
  {
    apiVersion: "extensions/v1beta1",
    kind: "PodSecurityPolicy",
    deprecated: "1.10",
    removed: "1.16",
    note: PSA,
  },
  ...["Deployment", "StatefulSet", "ReplicaSet", "ControllerRevision"].flatMap((kind): Entry[] =>
    ["apps/v1beta1", "apps/v1beta2"].map((apiVersion) => ({
      apiVersion,
      kind,
      deprecated: "1.9",
      removed: "1.16",
      replacement: { apiVersion: "apps/v1", kind },
    })),
  ),
  {
    apiVersion: "apps/v1beta2",
    kind: "DaemonSet",
    deprecated: "1.9",
    removed: "1.16",
    replacement: { apiVersion: "apps/v1", kind: "DaemonSet" },
  },
  // Removed in 1.22.
  {
    apiVersion: "extensions/v1beta1",
    kind: "Ingress",
    deprecated: "1.14",
    removed: "1.22",
    replacement: { apiVersion: "networking.k8s.io/v1", kind: "Ingress" },
  },
  ...["Ingress", "IngressClass"].map(
    (kind): Entry => ({
      apiVersion: "networking.k8s.io/v1beta1",
      kind,
      deprecated: "1.19",
      removed: "1.22",
      replacement: { apiVersion: "networking.k8s.io/v1", kind },
    }),
  ),
  ...["MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"].map(
    (kind): Entry => ({
      apiVersion: "admissionregistration.k8s.io/v1beta1",
      kind,
      deprecated: "1.16",
      removed: "1.22",
      replacement: { apiVersion: "admissionregistration.k8s.io/v1", kind },
    }),
  ),
  {
    apiVersion: "apiextensions.k8s.io/v1beta1",
    kind: "CustomResourceDefinition",
    deprecated: "1.16",
    removed: "1.22",
    replacement: { apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition" },
  },
  {
    apiVersion: "apiregistration.k8s.io/v1beta1",
    kind: "APIService",
    deprecated: "1.19",
    removed: "1.22",
    replacement: { apiVersion: "apiregistration.k8s.io/v1", kind: "APIService" },
  },
  {
    apiVersion: "authentication.k8s.io/v1beta1",
    kind: "TokenReview",
    deprecated: "1.19",
    removed: "1.22",
    replacement: { apiVersion: "authentication.k8s.io/v1", kind: "TokenReview" },
  },
  ...[
    "LocalSubjectAccessReview",
    "SelfSubjectAccessReview",
    "SubjectAccessReview",
    "SelfSubjectRulesReview",
  ].map(
    (kind): Entry => ({
      apiVersion: "authorization.k8s.io/v1beta1",
      kind,
      deprecated: "1.19",
      removed: "1.22",
      replacement: { apiVersion: "authorization.k8s.io/v1", kind },
    }),
  ),
  {
    apiVersion: "certificates.k8s.io/v1beta1",
    kind: "CertificateSigningRequest",
    deprecated: "1.19",
    removed: "1.22",
    replacement: { apiVersion: "certificates.k8s.io/v1", kind: "CertificateSigningRequest" },
  },
  {
    apiVersion: "coordination.k8s.io/v1beta1",
    kind: "Lease",
    deprecated: "1.19",
    removed: "1.22",
    replacement: { apiVersion: "coordination.k8s.io/v1", kind: "Lease" },
  },
  ...["ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding"].flatMap((kind): Entry[] =>
    ["rbac.authorization.k8s.io/v1alpha1", "rbac.authorization.k8s.io/v1beta1"].map(
      (apiVersion) => ({
        apiVersion,
        kind,
        deprecated: "1.17",
        removed: "1.22",
        replacement: { apiVersion: "rbac.authorization.k8s.io/v1", kind },
      }),
    ),
  ),
  {
    apiVersion: "scheduling.k8s.io/v1beta1",
    kind: "PriorityClass",
    deprecated: "1.14",
    removed: "1.22",
    replacement: { apiVersion: "scheduling.k8s.io/v1", kind: "PriorityClass" },
  },
  ...(
    [
      ["CSIDriver", "1.19"],
      ["CSINode", "1.17"],
      ["StorageClass", "1.6"],
      ["VolumeAttachment", "1.13"],
    ] as const
  ).map(
    ([kind, deprecated]): Entry => ({
      apiVersion: "storage.k8s.io/v1beta1",
      kind,
      deprecated,
      removed: "1.22",
      replacement: { apiVersion: "storage.k8s.io/v1", kind },
    }),
  ),
  // Removed in 1.25.
  {
    apiVersion: "batch/v1beta1",
    kind: "CronJob",
    deprecated: "1.21",
    removed: "1.25",
    replacement: { apiVersion: "batch/v1", kind: "CronJob" },
  },
  {
    apiVersion: "discovery.k8s.io/v1beta1",
    kind: "EndpointSlice",
    deprecated: "1.21",
    removed: "1.25",
    replacement: { apiVersion: "discovery.k8s.io/v1", kind: "EndpointSlice" },
  },
  {
    apiVersion: "events.k8s.io/v1beta1",
    kind: "Event",
    deprecated: "1.19",
    removed: "1.25",
    replacement: { apiVersion: "events.k8s.io/v1", kind: "Event" },
  },
  {
    apiVersion: "autoscaling/v2beta1",
    kind: "HorizontalPodAutoscaler",
    deprecated: "1.22",
    removed: "1.25",
    replacement: { apiVersion: "autoscaling/v2", kind: "HorizontalPodAutoscaler" },
  },
  {
    apiVersion: "policy/v1beta1",
    kind: "PodDisruptionBudget",
    deprecated: "1.21",
    removed: "1.25",
    replacement: { apiVersion: "policy/v1", kind: "PodDisruptionBudget" },
  },
  {
    apiVersion: "policy/v1beta1",
    kind: "PodSecurityPolicy",
    deprecated: "1.21",
    removed: "1.25",
    note: PSA,
  },
  {
    apiVersion: "node.k8s.io/v1beta1",
    kind: "RuntimeClass",
    deprecated: "1.22",
    removed: "1.25",
    replacement: { apiVersion: "node.k8s.io/v1", kind: "RuntimeClass" },
  },
  // Removed in 1.26.
  {
    apiVersion: "autoscaling/v2beta2",
    kind: "HorizontalPodAutoscaler",
    deprecated: "1.23",
    removed: "1.26",
    replacement: { apiVersion: "autoscaling/v2", kind: "HorizontalPodAutoscaler" },
  },
  ...["FlowSchema", "PriorityLevelConfiguration"].map(
    (kind): Entry => ({
      apiVersion: "flowcontrol.apiserver.k8s.io/v1beta1",
      kind,
      deprecated: "1.23",
      removed: "1.26",
      replacement: { apiVersion: "flowcontrol.apiserver.k8s.io/v1", kind },
    }),
  ),
  // Removed in 1.27.
  {
    apiVersion: "storage.k8s.io/v1beta1",
    kind: "CSIStorageCapacity",
    deprecated: "1.24",
    removed: "1.27",
    replacement: { apiVersion: "storage.k8s.io/v1", kind: "CSIStorageCapacity" },
  },
  // Removed in 1.29 and 1.32.
  ...["FlowSchema", "PriorityLevelConfiguration"].flatMap((kind): Entry[] => [
    {
      apiVersion: "flowcontrol.apiserver.k8s.io/v1beta2",
      kind,
      deprecated: "1.26",
      removed: "1.29",
      replacement: { apiVersion: "flowcontrol.apiserver.k8s.io/v1", kind },
    },
    {
      apiVersion: "flowcontrol.apiserver.k8s.io/v1beta3",
      kind,
      deprecated: "1.29",
      removed: "1.32",
      replacement: { apiVersion: "flowcontrol.apiserver.k8s.io/v1", kind },
    },
  ]),
  // GA kinds deprecated in favour of another kind; the OpenAPI descriptions give the
  // version ("deprecated in v1.33+") but not what to use instead.
  {
    apiVersion: "v1",
    kind: "Endpoints",
    deprecated: "1.33",
    replacement: { apiVersion: "discovery.k8s.io/v1", kind: "EndpointSlice" },
  },
  {
    apiVersion: "v1",
    kind: "ComponentStatus",
    deprecated: "1.19",
    note: "query the components' health endpoints instead",
  },
];
