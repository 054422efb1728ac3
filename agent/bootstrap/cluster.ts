// Bootstrap's side of the cluster: the agent's Git Secret, the install folder applied
// with the agent's own apply step (same labels and field manager as the agent's later
// passes, so the agent finds its objects unchanged), and the wait for the agent.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { KubeApi } from "../../shared/kube/api.ts";
import { isNamespace } from "../../shared/manifests/kinds.ts";
import type { KubeObject, Manifest } from "../../shared/manifests/object.ts";
import { renderPath } from "../../shared/render/render.ts";
import { type AppliedChange, applyManifests } from "../apply.ts";
import type { Change } from "../changes.ts";
import { MANAGED_BY, MANAGED_BY_LABEL } from "../defaults.ts";
import { readRecord } from "../inventory.ts";
import { AGENT_DEPLOYMENT, GIT_SECRET, SELF_UNIT } from "./folder.ts";

/** Field manager of the Secret bootstrap writes (it is not in Git, so not the agent's). */
export const BOOTSTRAP_FIELD_MANAGER = "tether-bootstrap";

export type SecretData = Record<string, string>;

/** The agent's Git Secret as it is in the cluster (decoded), if there is one. */
export async function readGitSecret(
  client: KubeApi,
  namespace: string,
): Promise<SecretData | undefined> {
  const secret = await client.get({
    apiVersion: "v1",
    kind: "Secret",
    namespace,
    name: GIT_SECRET,
  });
  if (!secret) return undefined;
  const data = (secret.data ?? {}) as Record<string, string>;
  return Object.fromEntries(
    Object.entries(data).map(([k, v]) => [k, Buffer.from(v, "base64").toString("utf8")]),
  );
}

const sameData = (a: SecretData, b: SecretData) =>
  Object.keys(a).length === Object.keys(b).length &&
  Object.entries(a).every(([k, v]) => b[k] === v);

/** Writes the Secret when its data differ; a Change that never carries the values. */
export async function writeGitSecret(
  client: KubeApi,
  namespace: string,
  data: SecretData,
): Promise<Change> {
  const ref = { apiVersion: "v1", kind: "Secret", namespace, name: GIT_SECRET };
  const current = await readGitSecret(client, namespace);
  if (current && sameData(current, data)) return { ref, action: "unchanged" };
  const secret: KubeObject = {
    apiVersion: "v1",
    kind: "Secret",
    metadata: {
      name: GIT_SECRET,
      namespace,
      labels: {
        [MANAGED_BY_LABEL]: MANAGED_BY,
        "app.kubernetes.io/name": "tether-agent",
        "app.kubernetes.io/part-of": "tether",
      },
    },
    type: "Opaque",
    // Replaced whole: keys of an earlier mode (a token after a deploy key) go.
    data: Object.fromEntries(
      Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString("base64")]),
    ),
  };
  if (current) await client.delete(ref);
  await client.apply(secret, { fieldManager: BOOTSTRAP_FIELD_MANAGER, force: true });
  return { ref, action: current ? "configured" : "created" };
}

/** The objects of the install folder, rendered from its files as the agent will. */
export async function renderInstall(files: Record<string, string>): Promise<Manifest[]> {
  const root = mkdtempSync(join(tmpdir(), "tether-install-"));
  try {
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, name)), { recursive: true });
      writeFileSync(join(root, name), text);
    }
    const result = await renderPath(root, root);
    if (result.errors.length > 0)
      throw new Error(
        `the install folder does not render: ${result.errors.map((e) => e.message).join("; ")}`,
      );
    return result.manifests;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/**
 * Applies the install objects as the agent's unit does: the Namespace first, then the
 * Secret (so the agent's first pod starts with its credentials), then the rest.
 */
export async function applyInstall(
  client: KubeApi,
  manifests: readonly Manifest[],
  writeSecret: () => Promise<Change>,
): Promise<Change[]> {
  const apply = async (list: readonly Manifest[]) => {
    const changes: AppliedChange[] = await applyManifests(client, list, { unit: SELF_UNIT });
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

interface DeploymentState {
  metadata: { generation?: number };
  spec?: { replicas?: number };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    updatedReplicas?: number;
    availableReplicas?: number;
  };
}

/** Whether a Deployment finished rolling out (kubectl rollout status' rule), and why not. */
export function rolloutState(deployment: DeploymentState): { done: boolean; message: string } {
  const want = deployment.spec?.replicas ?? 1;
  const s = deployment.status ?? {};
  if ((s.observedGeneration ?? 0) < (deployment.metadata.generation ?? 0))
    return { done: false, message: "waiting for the Deployment's new spec to be observed" };
  if ((s.updatedReplicas ?? 0) < want)
    return { done: false, message: `${s.updatedReplicas ?? 0} of ${want} replicas updated` };
  if ((s.replicas ?? 0) > (s.updatedReplicas ?? 0))
    return {
      done: false,
      message: `${(s.replicas ?? 0) - (s.updatedReplicas ?? 0)} old replicas pending termination`,
    };
  if ((s.availableReplicas ?? 0) < want)
    return {
      done: false,
      message: `${s.availableReplicas ?? 0} of ${want} updated replicas available`,
    };
  return { done: true, message: `${want} of ${want} replicas ready` };
}

async function poll<T>(
  deadline: number,
  probe: () => Promise<{ value?: T; message: string }>,
): Promise<{ value?: T; message: string }> {
  for (;;) {
    const answer = await probe();
    if (answer.value !== undefined || Date.now() >= deadline) return answer;
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Waits until the agent's Deployment rolled out; throws with what it last saw. */
export async function waitForRollout(
  client: KubeApi,
  namespace: string,
  timeoutMs: number,
): Promise<string> {
  const answer = await poll(Date.now() + timeoutMs, async () => {
    const live = await client.get({
      apiVersion: "apps/v1",
      kind: "Deployment",
      namespace,
      name: AGENT_DEPLOYMENT,
    });
    if (!live) return { message: "the Deployment is not there" };
    const state = rolloutState(live as unknown as DeploymentState);
    return state.done ? { value: state.message, message: state.message } : state;
  });
  if (answer.value === undefined)
    throw new Error(
      `the agent did not roll out within ${timeoutMs / 1000}s: ${answer.message} (kubectl -n ${namespace} describe deployment ${AGENT_DEPLOYMENT})`,
    );
  return answer.value;
}

/**
 * Waits until the agent's record of its own unit shows `revision` synced: what the
 * agent wrote after applying the commit bootstrap pushed. Answers the record's line, or
 * undefined when none came within the time.
 */
export async function waitForSync(
  client: KubeApi,
  namespace: string,
  revision: string,
  timeoutMs: number,
): Promise<{ synced: boolean; message: string }> {
  const answer = await poll(Date.now() + timeoutMs, async () => {
    const status = (await readRecord(client, namespace, SELF_UNIT)).status;
    if (!status) return { message: `no sync of unit ${SELF_UNIT} recorded yet` };
    if (status.revision === revision && status.result === "Succeeded")
      return { value: true, message: `synced ${status.path} at ${revision.slice(0, 12)}` };
    return {
      message: `last recorded sync: ${status.result} at ${status.revision.slice(0, 12)}${status.lastError ? ` (${status.lastError})` : ""}`,
    };
  });
  return { synced: answer.value === true, message: answer.message };
}
