// Network kinds: Service, Ingress, NetworkPolicy. Mirrors k8s.io/kubernetes
// pkg/apis/core/validation (ValidateService, validateServicePort), pkg/apis/networking/
// validation (ValidateIngressCreate, validateIngressRule, validateHTTPIngressPath,
// validateIngressBackend, ValidateNetworkPolicy, ValidateNetworkPolicyPort,
// ValidateNetworkPolicyPeer, ValidateIPBlock).
import { isIP } from "node:net";
import { type Field, intAt, isObject, listAt, type Obj, objectAt, stringAt } from "./field.ts";
import { checkLabelSelector, checkLabels } from "./meta.ts";
import { checkPortReference } from "./pod.ts";
import {
  dns1035LabelErrors,
  dns1123LabelErrors,
  dns1123SubdomainErrors,
  portNameErrors,
  portNumberErrors,
  wildcardSubdomainErrors,
} from "./syntax.ts";

const PROTOCOLS = ["TCP", "UDP", "SCTP"];
const SERVICE_TYPES = ["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"];
/** The API server's default --service-node-port-range. */
const NODE_PORTS = { min: 30000, max: 32767 };

export function checkService(object: Obj, at: Field): void {
  const spec = objectAt(object.spec);
  if (!spec) return;
  const here = at.at("spec");
  const type = stringAt(spec.type) ?? "ClusterIP";
  here.at("type").oneOf(spec.type, SERVICE_TYPES);
  const headless = spec.clusterIP === "None";
  const ports = listAt(spec.ports);
  if (ports.length === 0 && !headless && type !== "ExternalName") here.at("ports").required();
  const names = new Set<string>();
  const pairs = new Set<string>();
  ports.forEach((raw, i) => {
    const port = objectAt(raw);
    if (!port) return;
    const p = here.at("ports", i);
    const name = stringAt(port.name);
    if (!name) {
      if (ports.length > 1) p.at("name").required();
    } else {
      p.at("name").invalidEach(name, dns1123LabelErrors(name));
      if (names.has(name)) p.at("name").duplicate(name);
      names.add(name);
    }
    const number = intAt(port.port);
    if (number !== undefined) p.at("port").invalidEach(number, portNumberErrors(number));
    p.at("protocol").oneOf(port.protocol, PROTOCOLS);
    const target = port.targetPort;
    if (typeof target === "number" && target !== 0)
      p.at("targetPort").invalidEach(target, portNumberErrors(target));
    else if (typeof target === "string" && target !== "") {
      if (/^\d+$/.test(target))
        p.at("targetPort").invalidEach(target, portNumberErrors(Number(target)));
      else p.at("targetPort").invalidEach(target, portNameErrors(target));
    }
    const nodePort = intAt(port.nodePort);
    if (nodePort !== undefined && nodePort !== 0) {
      if (type === "ClusterIP" || type === "ExternalName")
        p.at("nodePort").forbidden(`may not be used when \`type\` is '${type}'`);
      else if (nodePort < NODE_PORTS.min || nodePort > NODE_PORTS.max)
        p.at("nodePort").invalid(
          nodePort,
          `provided port is not in the valid range. The range of valid ports is ${NODE_PORTS.min}-${NODE_PORTS.max}`,
        );
    }
    const pair = `${number}/${stringAt(port.protocol) ?? "TCP"}`;
    if (number !== undefined && pairs.has(pair)) p.duplicate(pair);
    pairs.add(pair);
  });
  if (type === "ExternalName") {
    const externalName = stringAt(spec.externalName);
    if (!externalName) here.at("externalName").required();
    else
      here
        .at("externalName")
        .invalidEach(externalName, dns1123SubdomainErrors(externalName.replace(/\.$/, "")));
  }
  const clusterIP = stringAt(spec.clusterIP);
  if (clusterIP && clusterIP !== "None" && isIP(clusterIP) === 0)
    here
      .at("clusterIP")
      .named("spec.clusterIPs[0]")
      .invalid(clusterIP, "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)");
  checkLabels(spec.selector, here.at("selector"));
  here.at("sessionAffinity").oneOf(spec.sessionAffinity, ["None", "ClientIP"]);
  here.at("externalTrafficPolicy").oneOf(spec.externalTrafficPolicy, ["Cluster", "Local"]);
  here.at("internalTrafficPolicy").oneOf(spec.internalTrafficPolicy, ["Cluster", "Local"]);
  if (spec.externalTrafficPolicy && type !== "NodePort" && type !== "LoadBalancer")
    here
      .at("externalTrafficPolicy")
      .invalid(
        spec.externalTrafficPolicy,
        "may only be set when `type` is 'NodePort' or 'LoadBalancer'",
      );
  here
    .at("ipFamilyPolicy")
    .oneOf(spec.ipFamilyPolicy, ["SingleStack", "PreferDualStack", "RequireDualStack"]);
}

function checkHost(host: string, at: Field): void {
  if (isIP(host) !== 0) at.invalid(host, "must be a DNS name, not an IP address");
  else if (host.startsWith("*")) at.invalidEach(host, wildcardSubdomainErrors(host));
  else at.invalidEach(host, dns1123SubdomainErrors(host));
}

/** validateIngressBackend: a Service (name and one of port name or number) or a resource. */
function checkIngressBackend(backend: unknown, at: Field): void {
  const b = objectAt(backend);
  if (!b) return;
  const service = objectAt(b.service);
  const resource = objectAt(b.resource);
  if (service && resource) at.invalid("", "cannot set both resource and service backends");
  else if (!service && !resource)
    at.invalid("", "one backend (`service` or `resource`) must be specified");
  if (service) {
    const name = stringAt(service.name);
    if (!name) at.at("service", "name").required();
    else at.at("service", "name").invalidEach(name, dns1035LabelErrors(name));
    const port = objectAt(service.port) ?? {};
    const portName = stringAt(port.name);
    const number = intAt(port.number);
    if (portName && number !== undefined && number !== 0)
      at.at("service", "port")
        .named(at.shown)
        .invalid("", "cannot set both port name & port number");
    else if (portName)
      at.at("service", "port", "name").invalidEach(portName, portNameErrors(portName));
    else if (number !== undefined && number !== 0)
      at.at("service", "port", "number").invalidEach(number, portNumberErrors(number));
    else at.at("service", "port").named(at.shown).required("port name or number is required");
  }
  if (resource) {
    if (!stringAt(resource.kind)) at.at("resource", "kind").required();
    if (!stringAt(resource.name)) at.at("resource", "name").required();
  }
}

const PATH_TYPES = ["Exact", "Prefix", "ImplementationSpecific"];
const INVALID_PATH_SEQUENCES = ["//", "/./", "/../", "%2f", "%2F"];
const INVALID_PATH_SUFFIXES = ["/..", "/."];

function checkIngressPath(raw: unknown, at: Field): void {
  const p = objectAt(raw);
  if (!p) return;
  const path = stringAt(p.path) ?? "";
  if (p.pathType === undefined || p.pathType === null)
    at.at("pathType").required("pathType must be specified");
  else if (typeof p.pathType === "string" && !PATH_TYPES.includes(p.pathType))
    at.at("pathType").unsupported(p.pathType, PATH_TYPES);
  else if (p.pathType === "Exact" || p.pathType === "Prefix") {
    if (!path.startsWith("/")) at.at("path").invalid(path, "must be an absolute path");
    else {
      for (const seq of INVALID_PATH_SEQUENCES)
        if (path.includes(seq)) at.at("path").invalid(path, `must not contain '${seq}'`);
      for (const suffix of INVALID_PATH_SUFFIXES)
        if (path.endsWith(suffix)) at.at("path").invalid(path, `cannot end with '${suffix}'`);
    }
  } else if (path !== "" && !path.startsWith("/")) {
    at.at("path").invalid(path, "must be an absolute path");
  }
  checkIngressBackend(p.backend, at.at("backend"));
}

export function checkIngress(object: Obj, at: Field): void {
  const spec = objectAt(object.spec);
  if (!spec) return;
  const here = at.at("spec");
  const rules = listAt(spec.rules);
  if (rules.length === 0 && !isObject(spec.defaultBackend))
    here.invalid("", "either `defaultBackend` or `rules` must be specified");
  checkIngressBackend(spec.defaultBackend, here.at("defaultBackend"));
  const className = stringAt(spec.ingressClassName);
  if (className)
    here.at("ingressClassName").invalidEach(className, dns1123SubdomainErrors(className));
  rules.forEach((raw, i) => {
    const rule = objectAt(raw);
    if (!rule) return;
    const r = here.at("rules", i);
    const host = stringAt(rule.host);
    if (host) checkHost(host, r.at("host"));
    const http = objectAt(rule.http);
    if (!http) return;
    const paths = listAt(http.paths);
    if (paths.length === 0) r.at("http", "paths").required();
    for (const [j, p] of paths.entries()) checkIngressPath(p, r.at("http", "paths", j));
  });
  listAt(spec.tls).forEach((raw, i) => {
    listAt(objectAt(raw)?.hosts).forEach((host, j) => {
      if (typeof host === "string") checkHost(host, here.at("tls", i, "hosts", j));
    });
  });
}

/** A CIDR ("10.0.0.0/8", "fd00::/8"), as netutils.ParseCIDRSloppy reads it. */
function cidrError(value: string): string | undefined {
  const [ip = "", bits, ...rest] = value.split("/");
  const family = isIP(ip);
  const max = family === 4 ? 32 : 128;
  if (
    family === 0 ||
    bits === undefined ||
    rest.length > 0 ||
    !/^\d+$/.test(bits) ||
    Number(bits) > max
  )
    return "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)";
  return undefined;
}

function checkPeers(peers: unknown, at: Field): void {
  listAt(peers).forEach((raw, i) => {
    const peer = objectAt(raw);
    if (!peer) return;
    const here = at.at(i);
    const set = ["podSelector", "namespaceSelector", "ipBlock"].filter((k) => isObject(peer[k]));
    if (set.length === 0) here.required("must specify a peer");
    else if (set.includes("ipBlock") && set.length > 1)
      here.forbidden("may not specify both ipBlock and another peer");
    checkLabelSelector(peer.podSelector, here.at("podSelector"));
    checkLabelSelector(peer.namespaceSelector, here.at("namespaceSelector"));
    const block = objectAt(peer.ipBlock);
    if (block) {
      const cidr = stringAt(block.cidr);
      if (!cidr) here.at("ipBlock", "cidr").required();
      else {
        const error = cidrError(cidr);
        if (error) here.at("ipBlock", "cidr").invalid(cidr, error);
      }
      listAt(block.except).forEach((e, j) => {
        if (typeof e !== "string") return;
        const error = cidrError(e);
        if (error) here.at("ipBlock", "except", j).invalid(e, error);
      });
    }
  });
}

function checkPolicyPorts(ports: unknown, at: Field): void {
  listAt(ports).forEach((raw, i) => {
    const port = objectAt(raw);
    if (!port) return;
    const here = at.at(i);
    here.at("protocol").oneOf(port.protocol, PROTOCOLS);
    checkPortReference(port.port, here.at("port"));
    const end = intAt(port.endPort);
    if (end === undefined) return;
    if (port.port === undefined || port.port === null)
      here.at("endPort").required("may not be specified when `port` is not specified");
    else if (typeof port.port === "string")
      here.at("endPort").forbidden("may not be specified when `port` is non-numeric");
    else if (typeof port.port === "number" && end < port.port)
      here.at("endPort").invalid(end, "must be greater than or equal to `port`");
  });
}

export function checkNetworkPolicy(object: Obj, at: Field): void {
  const spec = objectAt(object.spec);
  if (!spec) return;
  const here = at.at("spec");
  checkLabelSelector(spec.podSelector, here.at("podSelector"));
  listAt(spec.ingress).forEach((raw, i) => {
    const rule = objectAt(raw);
    if (!rule) return;
    checkPolicyPorts(rule.ports, here.at("ingress", i, "ports"));
    checkPeers(rule.from, here.at("ingress", i, "from"));
  });
  listAt(spec.egress).forEach((raw, i) => {
    const rule = objectAt(raw);
    if (!rule) return;
    checkPolicyPorts(rule.ports, here.at("egress", i, "ports"));
    checkPeers(rule.to, here.at("egress", i, "to"));
  });
  const types = listAt(spec.policyTypes);
  for (const [i, t] of types.entries()) here.at("policyTypes", i).oneOf(t, ["Ingress", "Egress"]);
  if (types.length > 2)
    here.at("policyTypes").invalid(types, "may not specify more than two policyTypes");
}
