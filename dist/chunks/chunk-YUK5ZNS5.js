#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  stageOf
} from "./chunk-I4VL4257.js";
import {
  ensureNamespace
} from "./chunk-IN6JXKYM.js";
import {
  PART_OF_LABEL,
  isFluxObject
} from "./chunk-WOA5VQJZ.js";

// agent/decrypt.ts
async function loadDecryptionKeys(client, namespace, spec) {
  if (!spec) return void 0;
  if (spec.provider !== "sops")
    throw new Error(`decryption provider '${spec.provider ?? ""}' is not supported (use sops)`);
  const name = spec.secretRef?.name;
  if (!name) return { age: [], pgp: [] };
  const secret = await client.get({ apiVersion: "v1", kind: "Secret", namespace, name });
  if (!secret) throw new Error(`decryption Secret '${namespace}/${name}' not found`);
  const data = secret.data ?? {};
  const { keysFromEntries } = await import("./keys-EONOSND4.js");
  return keysFromEntries(
    Object.entries(data).map(([key, value]) => [
      key,
      Buffer.from(value, "base64").toString("utf8")
    ])
  );
}

// agent/flux/bootstrap.ts
var FLUX_CONTROLLERS = ["source-controller", "kustomize-controller", "helm-controller"];
var HANDOVER_STEPS = [
  "Flux's controllers are running in this cluster; Tether will not reconcile Flux objects beside them.",
  "To hand over (objects, CRDs, inventories and the flux-system namespace stay in place):",
  "  1. kubectl -n flux-system scale deployment --all --replicas=0",
  "  2. run Tether again on the same repository path; it takes over each Kustomization's inventory",
  "  (do not `flux suspend` first: Tether honours spec.suspend too)"
].join("\n");
async function runningFluxControllers(client) {
  const deployments = await client.list("apps/v1", "Deployment", { labelSelector: `${PART_OF_LABEL}=flux` }).catch(() => []);
  return deployments.filter((d) => FLUX_CONTROLLERS.includes(d.metadata.name)).filter((d) => (d.spec?.replicas ?? 1) > 0).map((d) => `${d.metadata.namespace}/${d.metadata.name}`);
}
function isFluxComponent(m) {
  return m.object.metadata.labels?.[PART_OF_LABEL] === "flux" && stageOf(m.object) === 2;
}
async function serveFluxKinds(client, manifests, dryRun) {
  if (!manifests.some((m) => isFluxObject(m.object)))
    return { manifests: [...manifests], notes: [] };
  const { ensureFluxCrds, servedApiVersion } = await import("./crds-EISBY7DF.js");
  const converted = manifests.map((m) => {
    if (!isFluxObject(m.object)) return m;
    const apiVersion = servedApiVersion(m.object.apiVersion, m.object.kind);
    return apiVersion === m.object.apiVersion ? m : { ...m, object: { ...m.object, apiVersion } };
  });
  if (dryRun) return { manifests: converted, notes: [] };
  const created = await ensureFluxCrds(
    client,
    converted.map((m) => m.object)
  );
  return {
    manifests: converted,
    notes: created.length > 0 ? [`installed CRDs: ${created.join(", ")}`] : []
  };
}
async function prepareFluxRender(client, manifests, dryRun) {
  const prepared = { manifests: [...manifests], errors: [], notes: [] };
  if (!manifests.some((m) => isFluxObject(m.object))) return prepared;
  const running = await runningFluxControllers(client);
  if (running.length > 0) {
    prepared.errors.push(`refused: ${running.join(", ")} running.
${HANDOVER_STEPS}`);
    return prepared;
  }
  const components = manifests.filter(isFluxComponent);
  if (components.length > 0) {
    prepared.manifests = manifests.filter((m) => !isFluxComponent(m));
    prepared.notes.push(
      `${components[0]?.source.file}: applied only the CRDs and namespace of Flux's components; skipped ${components.length} controller object(s), Tether reconciles Flux objects itself`
    );
  }
  const served = await serveFluxKinds(client, prepared.manifests, dryRun);
  prepared.manifests = served.manifests;
  prepared.notes.push(...served.notes);
  if (dryRun) return prepared;
  const declared = new Set(
    prepared.manifests.filter((m) => stageOf(m.object) === 1).map((m) => m.object.metadata.name)
  );
  const needed = new Set(
    prepared.manifests.filter((m) => isFluxObject(m.object) && m.object.metadata.namespace).map((m) => m.object.metadata.namespace)
  );
  for (const ns of needed) if (!declared.has(ns)) await ensureNamespace(client, ns);
  return prepared;
}

export {
  loadDecryptionKeys,
  serveFluxKinds,
  prepareFluxRender
};
