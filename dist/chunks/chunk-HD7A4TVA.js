#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  AGENT_DEPLOYMENT,
  GIT_SECRET,
  SELF_UNIT
} from "./chunk-I5SLTBKL.js";
import {
  renderPath
} from "./chunk-MQEAY646.js";
import {
  applyManifests,
  isNamespace
} from "./chunk-I4VL4257.js";
import {
  readRecord
} from "./chunk-IN6JXKYM.js";
import {
  MANAGED_BY,
  MANAGED_BY_LABEL
} from "./chunk-75EKFM34.js";

// agent/bootstrap/cluster.ts
const { mkdirSync, mkdtempSync, rmSync, writeFileSync } = require("node:fs");
const { tmpdir } = require("node:os");
const { dirname, join } = require("node:path");
var BOOTSTRAP_FIELD_MANAGER = "tether-bootstrap";
async function readGitSecret(client, namespace) {
  const secret = await client.get({
    apiVersion: "v1",
    kind: "Secret",
    namespace,
    name: GIT_SECRET
  });
  if (!secret) return void 0;
  const data = secret.data ?? {};
  return Object.fromEntries(
    Object.entries(data).map(([k, v]) => [k, Buffer.from(v, "base64").toString("utf8")])
  );
}
var sameData = (a, b) => Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([k, v]) => b[k] === v);
async function writeGitSecret(client, namespace, data) {
  const ref = { apiVersion: "v1", kind: "Secret", namespace, name: GIT_SECRET };
  const current = await readGitSecret(client, namespace);
  if (current && sameData(current, data)) return { ref, action: "unchanged" };
  const secret = {
    apiVersion: "v1",
    kind: "Secret",
    metadata: {
      name: GIT_SECRET,
      namespace,
      labels: {
        [MANAGED_BY_LABEL]: MANAGED_BY,
        "app.kubernetes.io/name": "tether-agent",
        "app.kubernetes.io/part-of": "tether"
      }
    },
    type: "Opaque",
    // Replaced whole: keys of an earlier mode (a token after a deploy key) go.
    data: Object.fromEntries(
      Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString("base64")])
    )
  };
  if (current) await client.delete(ref);
  await client.apply(secret, { fieldManager: BOOTSTRAP_FIELD_MANAGER, force: true });
  return { ref, action: current ? "configured" : "created" };
}
async function renderInstall(files) {
  const root = mkdtempSync(join(tmpdir(), "tether-install-"));
  try {
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, name)), { recursive: true });
      writeFileSync(join(root, name), text);
    }
    const result = await renderPath(root, root);
    if (result.errors.length > 0)
      throw new Error(
        `the install folder does not render: ${result.errors.map((e) => e.message).join("; ")}`
      );
    return result.manifests;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
async function applyInstall(client, manifests, writeSecret) {
  const apply = async (list) => {
    const changes = await applyManifests(client, list, { unit: SELF_UNIT });
    const failed = changes.filter((c) => c.action === "failed");
    if (failed.length > 0)
      throw new Error(failed.map((c) => `${c.ref.kind} ${c.ref.name}: ${c.error}`).join("; "));
    return changes;
  };
  const namespaces = await apply(manifests.filter((m) => isNamespace(m.object)));
  const secret = await writeSecret();
  const rest = await apply(manifests.filter((m) => !isNamespace(m.object)));
  return [...namespaces, secret, ...rest];
}
function rolloutState(deployment) {
  const want = deployment.spec?.replicas ?? 1;
  const s = deployment.status ?? {};
  if ((s.observedGeneration ?? 0) < (deployment.metadata.generation ?? 0))
    return { done: false, message: "waiting for the Deployment's new spec to be observed" };
  if ((s.updatedReplicas ?? 0) < want)
    return { done: false, message: `${s.updatedReplicas ?? 0} of ${want} replicas updated` };
  if ((s.replicas ?? 0) > (s.updatedReplicas ?? 0))
    return {
      done: false,
      message: `${(s.replicas ?? 0) - (s.updatedReplicas ?? 0)} old replicas pending termination`
    };
  if ((s.availableReplicas ?? 0) < want)
    return {
      done: false,
      message: `${s.availableReplicas ?? 0} of ${want} updated replicas available`
    };
  return { done: true, message: `${want} of ${want} replicas ready` };
}
async function poll(deadline, probe) {
  for (; ; ) {
    const answer = await probe();
    if (answer.value !== void 0 || Date.now() >= deadline) return answer;
    await new Promise((r) => setTimeout(r, 500));
  }
}
async function waitForRollout(client, namespace, timeoutMs) {
  const answer = await poll(Date.now() + timeoutMs, async () => {
    const live = await client.get({
      apiVersion: "apps/v1",
      kind: "Deployment",
      namespace,
      name: AGENT_DEPLOYMENT
    });
    if (!live) return { message: "the Deployment is not there" };
    const state = rolloutState(live);
    return state.done ? { value: state.message, message: state.message } : state;
  });
  if (answer.value === void 0)
    throw new Error(
      `the agent did not roll out within ${timeoutMs / 1e3}s: ${answer.message} (kubectl -n ${namespace} describe deployment ${AGENT_DEPLOYMENT})`
    );
  return answer.value;
}
async function waitForSync(client, namespace, revision, timeoutMs) {
  const answer = await poll(Date.now() + timeoutMs, async () => {
    const status = (await readRecord(client, namespace, SELF_UNIT)).status;
    if (!status) return { message: `no sync of unit ${SELF_UNIT} recorded yet` };
    if (status.revision === revision && status.result === "Succeeded")
      return { value: true, message: `synced ${status.path} at ${revision.slice(0, 12)}` };
    return {
      message: `last recorded sync: ${status.result} at ${status.revision.slice(0, 12)}${status.lastError ? ` (${status.lastError})` : ""}`
    };
  });
  return { synced: answer.value === true, message: answer.message };
}

export {
  BOOTSTRAP_FIELD_MANAGER,
  readGitSecret,
  writeGitSecret,
  renderInstall,
  applyInstall,
  rolloutState,
  waitForRollout,
  waitForSync
};
