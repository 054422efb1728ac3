// One writer per repository. Inside a process a promise chain serializes passes; in
// the cluster a coordination.k8s.io Lease does, so several agents can run image
// automation on one repository while only one of them commits at a time.
import { createHash } from "node:crypto";
import { hostname } from "node:os";
import type { KubeClient } from "../../shared/kube/client.ts";
import { KubeApiError } from "../../shared/kube/errors.ts";
import { ensureNamespace } from "../inventory.ts";

const chains = new Map<string, Promise<unknown>>();

/** Runs `work` after every earlier call with the same key has finished. */
export function withProcessLock<T>(key: string, work: () => Promise<T>): Promise<T> {
  const previous = chains.get(key) ?? Promise.resolve();
  const next = previous.catch(() => undefined).then(work);
  chains.set(key, next);
  return next;
}

export function leaseName(repositoryUrl: string): string {
  return `tether-images-${createHash("sha256").update(repositoryUrl).digest("hex").slice(0, 12)}`;
}

interface Lease {
  metadata: { name: string; namespace: string; resourceVersion?: string };
  spec: {
    holderIdentity?: string;
    leaseDurationSeconds?: number;
    renewTime?: string;
    acquireTime?: string;
  };
}

export const identity = `${hostname()}-${process.pid}`;

/**
 * Takes the Lease when it is free, expired or already ours; answers false when another
 * holder has it. Updates carry the resourceVersion, so two agents cannot both win.
 */
export async function acquireLease(
  client: KubeClient,
  namespace: string,
  name: string,
  seconds = 120,
): Promise<boolean> {
  const path = `/apis/coordination.k8s.io/v1/namespaces/${namespace}/leases`;
  const now = new Date().toISOString().replace(/Z$/, "000Z");
  const spec = {
    holderIdentity: identity,
    leaseDurationSeconds: seconds,
    acquireTime: now,
    renewTime: now,
  };
  let current: Lease | undefined;
  try {
    current = await client.request<Lease>({ method: "GET", path: `${path}/${name}` });
  } catch (error) {
    if (!(error instanceof KubeApiError && error.status === 404)) throw error;
  }
  try {
    if (!current) {
      // The Lease lives beside the agent's records; a first run may find no namespace yet.
      await ensureNamespace(client, namespace);
      await client.request({
        method: "POST",
        path,
        body: {
          apiVersion: "coordination.k8s.io/v1",
          kind: "Lease",
          metadata: { name, namespace },
          spec,
        },
      });
      return true;
    }
    const held = current.spec.holderIdentity;
    const renewed = Date.parse(current.spec.renewTime ?? "") || 0;
    const expired = renewed + (current.spec.leaseDurationSeconds ?? seconds) * 1000 < Date.now();
    if (held && held !== identity && !expired) return false;
    await client.request({ method: "PUT", path: `${path}/${name}`, body: { ...current, spec } });
    return true;
  } catch (error) {
    if (error instanceof KubeApiError && error.status === 409) return false; // another agent won the race
    throw error;
  }
}

export async function releaseLease(
  client: KubeClient,
  namespace: string,
  name: string,
): Promise<void> {
  const path = `/apis/coordination.k8s.io/v1/namespaces/${namespace}/leases/${name}`;
  const current = await client.request<Lease>({ method: "GET", path }).catch(() => undefined);
  if (current?.spec.holderIdentity !== identity) return;
  await client
    .request({
      method: "PUT",
      path,
      body: { ...current, spec: { ...current.spec, holderIdentity: "" } },
    })
    .catch(() => undefined);
}
