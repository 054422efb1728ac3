// Pod specs, wherever they are: a Pod, and the template of every workload kind.
// Mirrors k8s.io/kubernetes pkg/apis/core/validation/validation.go: ValidatePodSpec,
// validateContainers / validateInitContainers (validateContainerCommon), validateVolumes,
// validateContainerPorts, ValidateEnv, ValidateResourceRequirements, validateProbe,
// validateTolerations, validateRestartPolicy, validateDNSPolicy.
import { type Field, intAt, isObject, listAt, type Obj, objectAt, stringAt } from "./field.ts";
import { checkLabels } from "./meta.ts";
import {
  configKeyErrors,
  dns1123LabelErrors,
  dns1123SubdomainErrors,
  parseQuantity,
  portNameErrors,
  portNumberErrors,
  QUANTITY_ERROR,
  qualifiedNameErrors,
} from "./syntax.ts";

export const RESTART_POLICIES = ["Always", "OnFailure", "Never"];
const PULL_POLICIES = ["Always", "IfNotPresent", "Never"];
const PROTOCOLS = ["TCP", "UDP", "SCTP"];
const DNS_POLICIES = ["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"];
const TERMINATION_MESSAGE_POLICIES = ["File", "FallbackToLogsOnError"];
const TOLERATION_OPERATORS = ["Exists", "Equal"];
const TAINT_EFFECTS = ["NoSchedule", "PreferNoSchedule", "NoExecute"];
const PROBE_HANDLERS = ["exec", "httpGet", "tcpSocket", "grpc"];

/** Resource names a container may ask for without a domain (IsStandardContainerResourceName). */
function isStandardContainerResource(name: string): boolean {
  return ["cpu", "memory", "ephemeral-storage"].includes(name) || name.startsWith("hugepages-");
}

/** validateContainerResourceName: standard names, or extended ones with a domain prefix. */
function resourceNameErrors(name: string): string[] {
  const qualified = qualifiedNameErrors(name);
  if (qualified.length > 0) return qualified;
  if (!name.includes("/")) {
    if (!isStandardContainerResource(name))
      return [
        "must be a standard resource type or fully qualified",
        "must be a standard resource for containers",
      ];
  } else if (name.startsWith("kubernetes.io/") || name.startsWith("requests.")) {
    return ["must be a standard resource for containers"];
  }
  return [];
}

/** A quantity field: decodable (else the server rejects the whole request), not negative. */
export function checkQuantity(value: unknown, at: Field): number | undefined {
  if (value === undefined || value === null) return undefined;
  const parsed = parseQuantity(value);
  if (parsed === undefined) {
    at.invalid(value, QUANTITY_ERROR);
    return undefined;
  }
  if (parsed < 0) at.invalid(value, "must be greater than or equal to 0");
  return parsed;
}

/** ValidateResourceRequirements: names, values, and requests no larger than limits. */
export function checkResources(resources: unknown, at: Field): void {
  const res = objectAt(resources);
  if (!res) return;
  const limits = new Map<string, number>();
  for (const [name, value] of Object.entries(objectAt(res.limits) ?? {})) {
    at.at("limits").key(name).invalidEach(name, resourceNameErrors(name));
    const q = checkQuantity(value, at.at("limits").key(name));
    if (q !== undefined) limits.set(name, q);
  }
  for (const [name, value] of Object.entries(objectAt(res.requests) ?? {})) {
    at.at("requests").key(name).invalidEach(name, resourceNameErrors(name));
    const q = checkQuantity(value, at.at("requests").key(name));
    const limit = limits.get(name);
    if (q !== undefined && limit !== undefined && q > limit) {
      const raw = objectAt(res.limits)?.[name];
      at.at("requests")
        .entry(name)
        .invalid(value, `must be less than or equal to ${name} limit of ${String(raw)}`);
    }
  }
}

/** validateContainerPorts: numbers, unique IANA names, protocols. */
function checkContainerPorts(ports: unknown, at: Field): void {
  const names = new Set<string>();
  listAt(ports).forEach((raw, i) => {
    const port = objectAt(raw);
    if (!port) return;
    const here = at.at(i);
    const name = stringAt(port.name);
    if (name) {
      here.at("name").invalidEach(name, portNameErrors(name));
      if (names.has(name)) here.at("name").duplicate(name);
      names.add(name);
    }
    const containerPort = intAt(port.containerPort);
    if (containerPort === 0) here.at("containerPort").required();
    else if (containerPort !== undefined)
      here.at("containerPort").invalidEach(containerPort, portNumberErrors(containerPort));
    const hostPort = intAt(port.hostPort);
    if (hostPort !== undefined && hostPort !== 0)
      here.at("hostPort").invalidEach(hostPort, portNumberErrors(hostPort));
    here.at("protocol").oneOf(port.protocol, PROTOCOLS);
  });
}

/** ValidateEnv and validateEnvFrom. */
function checkEnv(container: Obj, at: Field): void {
  listAt(container.env).forEach((raw, i) => {
    const env = objectAt(raw);
    if (!env) return;
    const here = at.at("env", i);
    const name = stringAt(env.name);
    if (!name) here.at("name").required();
    else if (!/^[\x20-\x7e]+$/.test(name) || name.includes("="))
      here
        .at("name")
        .invalid(
          name,
          "a valid environment variable name must consist only of printable ASCII characters other than '='",
        );
    const from = objectAt(env.valueFrom);
    if (!from) return;
    if (typeof env.value === "string" && env.value !== "")
      here.at("valueFrom").invalid("", "may not be specified when `value` is not empty");
    const sources = [
      "fieldRef",
      "resourceFieldRef",
      "configMapKeyRef",
      "secretKeyRef",
      "fileKeyRef",
    ];
    const set = sources.filter((s) => from[s] !== undefined && from[s] !== null);
    if (set.length === 0)
      here
        .at("valueFrom")
        .invalid(
          "",
          "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`",
        );
    else if (set.length > 1)
      here.at("valueFrom").invalid("", "may not have more than one field specified at a time");
    for (const kind of ["configMapKeyRef", "secretKeyRef"]) {
      const ref = objectAt(from[kind]);
      if (!ref) continue;
      const refAt = here.at("valueFrom", kind);
      if (!stringAt(ref.name)) refAt.at("name").required();
      const key = stringAt(ref.key);
      if (!key) refAt.at("key").required();
      else refAt.at("key").invalidEach(key, configKeyErrors(key));
    }
  });
  listAt(container.envFrom).forEach((raw, i) => {
    const from = objectAt(raw);
    if (!from) return;
    const here = at.at("envFrom", i);
    const refs = ["configMapRef", "secretRef"].filter((r) => isObject(from[r]));
    if (refs.length > 1) here.invalid("", "may not have more than one field specified at a time");
    for (const r of refs) {
      const name = stringAt(objectAt(from[r])?.name);
      if (!name) here.at(r, "name").required();
      else here.at(r, "name").invalidEach(name, dns1123SubdomainErrors(name));
    }
  });
}

/** validateProbe and its handler: exactly one action, valid ports, thresholds. */
function checkProbe(probe: unknown, at: Field, mustSucceedOnce: boolean): void {
  const p = objectAt(probe);
  if (!p) return;
  const handlers = PROBE_HANDLERS.filter((h) => isObject(p[h]));
  if (handlers.length === 0) at.required("must specify a handler type");
  else if (handlers.length > 1)
    at.at(handlers[1] ?? "").forbidden("may not specify more than 1 handler type");
  for (const field of [
    "initialDelaySeconds",
    "timeoutSeconds",
    "periodSeconds",
    "successThreshold",
    "failureThreshold",
  ])
    at.at(field).atLeast(p[field], 0);
  const success = intAt(p.successThreshold);
  if (mustSucceedOnce && success !== undefined && success !== 1)
    at.at("successThreshold").invalid(success, "must be 1");
  for (const h of ["httpGet", "tcpSocket"]) {
    const handler = objectAt(p[h]);
    if (!handler) continue;
    checkPortReference(handler.port, at.at(h, "port"));
  }
}

/** A port given by number or by the name of a container port (ValidatePortNumOrName). */
export function checkPortReference(port: unknown, at: Field): void {
  if (typeof port === "number") at.invalidEach(port, portNumberErrors(port));
  else if (typeof port === "string") {
    if (port === "") at.required();
    else if (/^\d+$/.test(port)) at.invalidEach(port, portNumberErrors(Number(port)));
    else at.invalidEach(port, portNameErrors(port));
  }
}

/** validateContainerCommon for one container of any list. */
function checkContainer(
  container: Obj,
  at: Field,
  volumes: ReadonlySet<string>,
  names: Set<string>,
  init: boolean,
): void {
  const name = stringAt(container.name);
  if (!name) at.at("name").required();
  else {
    at.at("name").invalidEach(name, dns1123LabelErrors(name));
    if (names.has(name)) at.at("name").duplicate(name);
    names.add(name);
  }
  // The server requires an image even in templates (unlike the OpenAPI schema).
  if (!stringAt(container.image)) at.at("image").required();
  at.at("imagePullPolicy").oneOf(container.imagePullPolicy, PULL_POLICIES);
  at.at("terminationMessagePolicy").oneOf(
    container.terminationMessagePolicy,
    TERMINATION_MESSAGE_POLICIES,
  );
  checkContainerPorts(container.ports, at.at("ports"));
  checkEnv(container, at);
  checkResources(container.resources, at.at("resources"));
  const mountPaths = new Set<string>();
  listAt(container.volumeMounts).forEach((raw, i) => {
    const mount = objectAt(raw);
    if (!mount) return;
    const here = at.at("volumeMounts", i);
    const volume = stringAt(mount.name);
    if (!volume) here.at("name").required();
    else if (!volumes.has(volume)) here.at("name").notFound(volume);
    const path = stringAt(mount.mountPath);
    if (!path) here.at("mountPath").required();
    else {
      if (mountPaths.has(path)) here.at("mountPath").invalid(path, "must be unique");
      mountPaths.add(path);
    }
  });
  if (init) {
    // Only sidecars (restartPolicy: Always) may have these.
    const sidecar = container.restartPolicy === "Always";
    at.at("restartPolicy").oneOf(container.restartPolicy, RESTART_POLICIES);
    if (!sidecar) {
      for (const probe of ["livenessProbe", "readinessProbe", "startupProbe"])
        if (isObject(container[probe]))
          at.at(probe).forbidden("may not be set for init containers without restartPolicy=Always");
    }
  } else if (container.restartPolicy !== undefined && container.restartPolicy !== null) {
    at.at("restartPolicy").forbidden("may not be set for non-init containers");
  }
  checkProbe(container.livenessProbe, at.at("livenessProbe"), true);
  checkProbe(container.startupProbe, at.at("startupProbe"), true);
  checkProbe(container.readinessProbe, at.at("readinessProbe"), false);
}

/** validateVolumes: unique DNS-label names and exactly one source each. */
function checkVolumes(volumes: unknown, at: Field): Set<string> {
  const names = new Set<string>();
  listAt(volumes).forEach((raw, i) => {
    const volume = objectAt(raw);
    if (!volume) return;
    const here = at.at(i);
    const name = stringAt(volume.name);
    if (!name) here.at("name").required();
    else {
      here.at("name").invalidEach(name, dns1123LabelErrors(name));
      if (names.has(name)) here.at("name").duplicate(name);
      names.add(name);
    }
    // No source at all is defaulted to emptyDir (SetDefaults_Volume).
    const sources = Object.keys(volume).filter((k) => k !== "name" && volume[k] != null);
    if (sources.length > 1)
      here.at(sources[1] ?? "").forbidden("may not specify more than 1 volume type");
    const configMap = objectAt(volume.configMap);
    if (configMap && !stringAt(configMap.name)) here.at("configMap", "name").required();
    const secret = objectAt(volume.secret);
    if (secret && !stringAt(secret.secretName)) here.at("secret", "secretName").required();
    const claim = objectAt(volume.persistentVolumeClaim);
    if (claim && !stringAt(claim.claimName))
      here.at("persistentVolumeClaim", "claimName").required();
  });
  return names;
}

/** validateTolerations. */
function checkTolerations(tolerations: unknown, at: Field): void {
  listAt(tolerations).forEach((raw, i) => {
    const t = objectAt(raw);
    if (!t) return;
    const here = at.at(i);
    const key = stringAt(t.key);
    if (key) here.at("key").invalidEach(key, qualifiedNameErrors(key));
    if (!key && t.operator !== "Exists")
      here
        .at("operator")
        .invalid(
          t.operator ?? "",
          'operator must be Exists when `key` is empty, which means "match all values and all keys"',
        );
    here.at("operator").oneOf(t.operator, TOLERATION_OPERATORS);
    if (t.operator === "Exists" && typeof t.value === "string" && t.value !== "")
      here.at("operator").invalid(t.value, "value must be empty when `operator` is 'Exists'");
    here.at("effect").oneOf(t.effect, TAINT_EFFECTS);
  });
}

/**
 * ValidatePodSpec. `restartPolicies` narrows the pod's restartPolicy for the owner kind
 * (a Deployment's pods must restart Always, a Job's OnFailure or Never); unset means the
 * default the server fills in, "Always".
 */
export function checkPodSpec(
  spec: unknown,
  at: Field,
  restartPolicies: readonly string[] = RESTART_POLICIES,
): void {
  const s = objectAt(spec);
  if (!s) return;
  const volumes = checkVolumes(s.volumes, at.at("volumes"));
  const names = new Set<string>();
  const containers = listAt(s.containers);
  if (containers.length === 0) at.at("containers").required();
  // Regular containers first: a clash with an init container is reported on the latter.
  containers.forEach((c, i) => {
    if (isObject(c)) checkContainer(c, at.at("containers", i), volumes, names, false);
  });
  listAt(s.initContainers).forEach((c, i) => {
    if (isObject(c)) checkContainer(c, at.at("initContainers", i), volumes, names, true);
  });
  // Unset is defaulted to Always before validation, so a Job template without one fails.
  const restart = s.restartPolicy ?? "Always";
  if (typeof restart === "string" && !restartPolicies.includes(restart))
    at.at("restartPolicy").unsupported(restart, restartPolicies);
  at.at("dnsPolicy").oneOf(s.dnsPolicy, DNS_POLICIES);
  if (s.dnsPolicy === "None" && listAt(objectAt(s.dnsConfig)?.nameservers).length === 0)
    at.at("dnsConfig", "nameservers").required(
      "must provide at least one DNS nameserver when `dnsPolicy` is None",
    );
  for (const field of ["serviceAccountName", "serviceAccount"]) {
    const value = stringAt(s[field]);
    if (value) at.at(field).invalidEach(value, dns1123SubdomainErrors(value));
  }
  for (const field of ["hostname", "subdomain"]) {
    const value = stringAt(s[field]);
    if (value) at.at(field).invalidEach(value, dns1123LabelErrors(value));
  }
  checkLabels(s.nodeSelector, at.at("nodeSelector"));
  const deadline = intAt(s.activeDeadlineSeconds);
  if (deadline !== undefined && deadline < 1)
    at.at("activeDeadlineSeconds").invalid(deadline, "must be between 1 and 2147483647, inclusive");
  checkTolerations(s.tolerations, at.at("tolerations"));
}
