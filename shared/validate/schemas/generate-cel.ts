// Generates data/flux-cel.ts: the x-kubernetes-validations (CEL) rules of Flux's CRDs,
// which the main schema data leaves out (generate.ts reduces schemas to what
// kubeconform-style validation reads). For each served apiVersion/kind, the schema is
// pruned to the nodes on a path to a rule, keeping what evaluation needs: types,
// defaults, properties, items, additionalProperties and the rules.
//
// The CRDs are the ones each Flux controller commits (config/crd/bases) in the module of
// the controller version pinned by the bundled Flux release (data/flux.ts). A controller
// whose module the Go proxy does not have is listed as missing in the data.
//
// Run: node_modules/.bin/node shared/validate/schemas/generate-cel.ts
// Needs `go` on PATH and the Go module proxy.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";
import { fluxData } from "../data.ts";
import { dataModule, isObject, linedJson } from "./reduce.ts";
import type { JsonObject } from "./types.ts";

const here = dirname(fileURLToPath(import.meta.url));
const KEEP = ["type", "default", "x-kubernetes-int-or-string", "x-kubernetes-validations"];

function hasRules(schema: unknown): boolean {
  if (!isObject(schema)) return false;
  if (Array.isArray(schema["x-kubernetes-validations"])) return true;
  const properties = isObject(schema.properties) ? Object.values(schema.properties) : [];
  return [...properties, schema.items, schema.additionalProperties].some(hasRules);
}

/** The schema cut down to the paths that lead to a rule; undefined when none does. */
export function pruneToRules(schema: unknown): JsonObject | undefined {
  if (!isObject(schema) || !hasRules(schema)) return undefined;
  const out: JsonObject = {};
  for (const key of KEEP) if (schema[key] !== undefined) out[key] = schema[key] as JsonObject;
  if (isObject(schema.properties)) {
    const properties: JsonObject = {};
    for (const [name, sub] of Object.entries(schema.properties)) {
      if (!isObject(sub)) continue;
      const pruned = pruneToRules(sub);
      if (pruned) properties[name] = pruned;
      // A default the server fills in is seen by the parent's rules (has(), values).
      else if (sub.default !== undefined)
        properties[name] = {
          ...(sub.type ? { type: sub.type } : {}),
          default: sub.default,
        } as JsonObject;
    }
    if (Object.keys(properties).length > 0) out.properties = properties;
  }
  for (const key of ["items", "additionalProperties"]) {
    const pruned = pruneToRules(schema[key]);
    if (pruned) out[key] = pruned;
  }
  return out;
}

function moduleDir(module: string, version: string): string | undefined {
  const r = spawnSync("go", ["mod", "download", "-json", `${module}@${version}`], {
    encoding: "utf8",
    env: { ...process.env, GOFLAGS: "-mod=mod" },
  });
  try {
    const info = JSON.parse(r.stdout) as { Dir?: string; Error?: string };
    return info.Error ? undefined : info.Dir;
  } catch {
    return undefined;
  }
}

function main(): void {
  const flux = fluxData();
  const kinds: JsonObject = {};
  const missing: string[] = [];
  for (const [controller, version] of Object.entries(flux.controllers)) {
    const dir = moduleDir(`github.com/fluxcd/${controller}`, version);
    const crdDir = dir ? join(dir, "config/crd/bases") : "";
    if (!dir || !existsSync(crdDir)) {
      missing.push(`${controller} ${version}`);
      continue;
    }
    for (const file of readdirSync(crdDir).sort()) {
      if (!file.endsWith(".yaml")) continue;
      for (const doc of parseAllDocuments(readFileSync(join(crdDir, file), "utf8"))) {
        const crd = doc.toJS() as JsonObject;
        const spec = crd?.spec;
        if (!isObject(spec) || !isObject(spec.names) || !Array.isArray(spec.versions)) continue;
        for (const v of spec.versions) {
          if (!isObject(v) || v.served === false || !isObject(v.schema)) continue;
          const pruned = pruneToRules(v.schema.openAPIV3Schema);
          if (pruned)
            kinds[`${String(spec.group)}/${String(v.name)}/${String(spec.names.kind)}`] = pruned;
        }
      }
    }
  }
  const data = {
    source: `config/crd/bases of the Flux ${flux.flux} controller modules`,
    missing,
    kinds,
  };
  const out = join(here, "data", "flux-cel.ts");
  const text = dataModule(linedJson(data, 3)).replace("generate.ts", "generate-cel.ts");
  writeFileSync(out, text);
  process.stdout.write(
    `${out}: ${Object.keys(kinds).length} kinds with CEL rules; missing: ${missing.join(", ") || "none"}\n`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) main();
