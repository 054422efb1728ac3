// The bundled Kubernetes data checked against the real API server of the local
// environment (v1.34), not against itself: the kinds it serves, every schema it
// publishes under /openapi/v3 (reduced the way the generator reduces them, then
// compared whole: required fields, property names, types, enums, patterns) and the
// deprecation table against the versions it serves and the deprecation warnings it
// sends. Wrong data fails here even when the validator agrees with the exporter.
import assert from "node:assert/strict";
import { request as httpsRequest, type RequestOptions } from "node:https";
import { after, before, describe, test } from "node:test";
import { KubeConfig } from "@kubernetes/client-node";
import { KubeClient } from "../../../shared/kube/client.ts";
import { deprecationData, kubernetesData } from "../../../shared/validate/data.ts";
import { canonical, isObject, minimize } from "../../../shared/validate/schemas/reduce.ts";
import type { Json, JsonObject } from "../../../shared/validate/schemas/types.ts";
import { testenv } from "../../helpers/testenv.ts";

let client: KubeClient;
let minor = "";
/** apiVersion -> kind, for every top-level resource the server serves. */
const served = new Map<string, Set<string>>();
/** apiVersion -> resource plural of each kind, to list it. */
const plurals = new Map<string, Map<string, { plural: string; namespaced: boolean }>>();
/** The server's OpenAPI v3 component schemas, by definition name. */
const serverSchemas = new Map<string, Json>();

interface ApiResourceList {
  groupVersion: string;
  resources: { name: string; kind: string; namespaced: boolean; verbs: string[] }[];
}

async function discover(): Promise<void> {
  const get = <T>(path: string) => client.request<T>({ method: "GET", path });
  const groupVersions = ["v1"];
  const groups = await get<{ groups: { versions: { groupVersion: string }[] }[] }>("/apis");
  for (const g of groups.groups)
    for (const v of g.versions) if (builtIn(v.groupVersion)) groupVersions.push(v.groupVersion);
  for (const gv of groupVersions) {
    const list = await get<ApiResourceList>(gv === "v1" ? "/api/v1" : `/apis/${gv}`);
    const kinds = new Set<string>();
    const byKind = new Map<string, { plural: string; namespaced: boolean }>();
    for (const r of list.resources) {
      if (r.name.includes("/")) continue; // subresources
      kinds.add(r.kind);
      if (r.verbs.includes("list"))
        byKind.set(r.kind, { plural: r.name, namespaced: r.namespaced });
    }
    served.set(gv, kinds);
    plurals.set(gv, byKind);
  }
  const index = await get<{ paths: Record<string, unknown> }>("/openapi/v3");
  for (const path of Object.keys(index.paths)) {
    if (path !== "api/v1" && !(/^apis\/[^/]+\/[^/]+$/.test(path) && builtIn(path.slice(5))))
      continue;
    const doc = await get<{ components?: { schemas?: Record<string, Json> } }>(
      `/openapi/v3/${path}`,
    );
    for (const [name, schema] of Object.entries(doc.components?.schemas ?? {}))
      serverSchemas.set(name, schema);
  }
}

/**
 * Kubernetes' own groups (core, `apps`, `*.k8s.io`), not the CRDs other tests create
 * on the same server (theirs are in `*.tether.dev`, `*.fluxcd.io`).
 */
const builtIn = (groupVersion: string) => {
  const group = groupVersion.includes("/") ? (groupVersion.split("/")[0] ?? "") : "";
  return !group.includes(".") || group.endsWith(".k8s.io");
};

/** Group versions that are pre-release (alpha, beta): off by default on a server. */
const preRelease = (apiVersion: string) => /v\d+(alpha|beta)\d+$/.test(apiVersion);

describe("bundled Kubernetes data against the local API server", () => {
  before(async () => {
    client = await KubeClient.connect({ kubeconfig: testenv().kubeconfig });
    minor = testenv().kubernetesVersion.replace(/^v?(\d+\.\d+).*$/, "$1");
    await discover();
  });
  after(() => client.close());

  test("every kind the server serves is bundled for its minor; every GA kind bundled is served", () => {
    const data = kubernetesData();
    const bundled = data.versions[minor]?.kinds;
    assert.ok(bundled, `no bundled schemas for ${minor}`);
    const missing: string[] = [];
    for (const [gv, kinds] of served) {
      for (const kind of kinds)
        if (bundled[gv]?.[kind] === undefined) missing.push(`${gv} ${kind}`);
    }
    const notServed: string[] = [];
    for (const [gv, kinds] of Object.entries(bundled)) {
      if (preRelease(gv)) continue; // may be switched off on this server
      for (const kind of Object.keys(kinds)) {
        // Kinds that are only request/response bodies (reviews, lists, options) are
        // bundled for validation but have no resource of their own.
        if (!served.get(gv)?.has(kind) && !bodyOnly(kind)) notServed.push(`${gv} ${kind}`);
      }
    }
    assert.deepEqual(missing, [], "served by the server but not bundled");
    assert.deepEqual(notServed, [], "bundled as GA but not served");
  });

  test("every schema the server publishes equals the bundled one, reduced the same way", () => {
    const data = kubernetesData();
    const version = data.versions[minor];
    assert.ok(version);
    const index = new Map(data.names.map((n, i) => [n, i]));
    const unknownRefs = new Set<string>();
    const ref = (name: string) => {
      const i = index.get(name);
      if (i === undefined) {
        unknownRefs.add(name);
        return -1;
      }
      return i;
    };
    const differing: string[] = [];
    const absent: string[] = [];
    let compared = 0;
    for (const [name, schema] of serverSchemas) {
      const i = index.get(name);
      const variant = i === undefined ? -1 : (version.defs[i] ?? -1);
      if (i === undefined || variant === -1) {
        absent.push(name);
        continue;
      }
      compared++;
      const theirs = canonical(minimize(withoutEnums(schema), ref));
      const ours = canonical((data.variants[i] as JsonObject[])[variant] as Json);
      if (theirs !== ours)
        differing.push(`${name}: ${firstDifference(withoutEnums(schema), ours, ref)}`);
    }
    assert.ok(compared > 500, `only ${compared} schemas compared`);
    assert.deepEqual(absent, [], "published by the server, not bundled for this minor");
    assert.deepEqual([...unknownRefs], [], "referenced by the server, unknown to the bundle");
    assert.deepEqual(differing, [], "differ from the server");
  });

  test("deprecation data agrees with what the server serves and warns about", async () => {
    const wrong: string[] = [];
    const atOrBefore = (a: string | undefined) => a !== undefined && compareMinor(a, minor) <= 0;
    const warnings: string[] = [];
    for (const api of deprecationData().apis) {
      const isServed = served.get(api.apiVersion)?.has(api.kind) ?? false;
      if (isServed && atOrBefore(api.removed))
        wrong.push(
          `${api.apiVersion} ${api.kind}: listed as removed in ${api.removed}, served by ${minor}`,
        );
      if (!isServed) continue;
      // The server sends a Warning header on every request to a deprecated API.
      const resource = plurals.get(api.apiVersion)?.get(api.kind);
      if (!resource) continue;
      const warning = await warningOf(api.apiVersion, resource.plural);
      if (warning) warnings.push(`${api.apiVersion} ${api.kind}`);
      if (atOrBefore(api.deprecated) && !warning)
        wrong.push(
          `${api.apiVersion} ${api.kind}: listed as deprecated in ${api.deprecated}, the server does not warn`,
        );
      if (!atOrBefore(api.deprecated) && warning)
        wrong.push(
          `${api.apiVersion} ${api.kind}: the server warns "${warning}", listed as deprecated in ${api.deprecated ?? "never"}`,
        );
    }
    // A served API the server warns about must be in the table at all.
    const listed = new Set(deprecationData().apis.map((a) => `${a.apiVersion} ${a.kind}`));
    for (const [gv, kinds] of plurals) {
      for (const [kind, { plural }] of kinds) {
        if (listed.has(`${gv} ${kind}`)) continue;
        const warning = await warningOf(gv, plural);
        if (warning) wrong.push(`${gv} ${kind}: the server warns "${warning}", not in the table`);
      }
    }
    assert.deepEqual(wrong, []);
    // The check is live: v1.34 warns about these two on every request.
    assert.ok(warnings.includes("v1 ComponentStatus"), warnings.join(", "));
    assert.ok(warnings.includes("v1 Endpoints"), warnings.join(", "));
  });
});

/**
 * The schema without `enum`: the server publishes the enums of Go's `+enum` types, the
 * repository's api/openapi-spec (where the bundle comes from) is generated without
 * them. The server rules (shared/validate/rules) check those fields' values instead.
 */
function withoutEnums(node: Json): Json {
  if (Array.isArray(node)) return node.map(withoutEnums);
  if (!isObject(node)) return node;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    if (key !== "enum" || !Array.isArray(value) || !value.every((v) => typeof v === "string"))
      out[key] = key === "enum" ? value : withoutEnums(value as Json);
  }
  return out;
}

/** Kinds bundled without a REST resource of their own. */
function bodyOnly(kind: string): boolean {
  return (
    /(List|Options|Review|Eviction|Scale|Binding|Status|Event)$/.test(kind) ||
    kind === "WatchEvent" ||
    kind === "DeleteOptions"
  );
}

function compareMinor(a: string, b: string): number {
  const [am, an] = a.split(".").map(Number);
  const [bm, bn] = b.split(".").map(Number);
  return (am ?? 0) - (bm ?? 0) || (an ?? 0) - (bn ?? 0);
}

/** The Warning header a list of the resource gets (deprecated APIs), if any. */
async function warningOf(apiVersion: string, plural: string): Promise<string | undefined> {
  const path = `${apiVersion.includes("/") ? `/apis/${apiVersion}` : "/api/v1"}/${plural}?limit=1`;
  const config = new KubeConfig();
  config.loadFromFile(testenv().kubeconfig);
  const tls: RequestOptions = {};
  await config.applyToHTTPSOptions(tls);
  const server = config.getCurrentCluster()?.server ?? "";
  return new Promise((resolve, reject) => {
    const req = httpsRequest(`${server}${path}`, { ...tls, method: "GET" }, (res) => {
      res.resume();
      res.on("end", () => {
        if ((res.statusCode ?? 0) !== 200) reject(new Error(`GET ${path}: ${res.statusCode}`));
        const header = res.headers.warning;
        // `299 - "v1 Endpoints is deprecated in v1.33+; ..."`
        const text = Array.isArray(header) ? header[0] : header;
        resolve(text?.replace(/^299 - "(.*)"$/, "$1"));
      });
    });
    req.on("error", reject);
    req.end();
  });
}

/** Where two reduced schemas first differ, for the failure message. */
function firstDifference(server: Json, oursText: string, ref: (n: string) => number): string {
  const theirs = minimize(server, ref);
  const ours = JSON.parse(oursText) as Json;
  const walk = (a: Json, b: Json, path: string): string | undefined => {
    if (isObject(a) && isObject(b)) {
      for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
        const d = walk(a[key] as Json, b[key] as Json, `${path}.${key}`);
        if (d) return d;
      }
      return undefined;
    }
    if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
      for (let i = 0; i < a.length; i++) {
        const d = walk(a[i] as Json, b[i] as Json, `${path}[${i}]`);
        if (d) return d;
      }
      return undefined;
    }
    return JSON.stringify(a) === JSON.stringify(b)
      ? undefined
      : `${path || "."}: server ${JSON.stringify(a)?.slice(0, 120)}, bundled ${JSON.stringify(b)?.slice(0, 120)}`;
  };
  return walk(theirs, ours, "") ?? "order only";
}
