// `spec.kubeConfig` (kustomize-controller's remote clusters): the cluster a
// Kustomization's objects are applied to, pruned from and health-checked on, when it is
// not the agent's own. The kubeconfig comes from a Secret in the Kustomization's
// namespace, read on every reconcile (its tokens may rotate) and held in memory only:
// the client made from it is closed by the caller after the reconcile, nothing is
// written to disk, and no message quotes it. It must be self-contained (inline
// credentials): one that would run a command or read a file of the agent is refused
// (shared/kube/connection.ts), so a repository cannot make the agent do either.
import type { KubeApi } from "../../shared/kube/api.ts";
import type { KubeClient } from "../../shared/kube/client.ts";

export interface KubeConfigRef {
  secretRef?: { name?: string; key?: string };
  configMapRef?: { name?: string };
}

/** The keys read when `secretRef.key` names none, in order (Flux's defaults). */
export const KUBECONFIG_KEYS = ["value", "value.yaml"] as const;

/** The kubeconfig's Secret is not there (a deletion then leaves the objects in place). */
export class KubeconfigSecretMissing extends Error {}

/** Only the reference, for the record of what a Kustomization applied (no credential). */
export function kubeConfigRefOf(ref: KubeConfigRef | undefined): KubeConfigRef | undefined {
  if (!ref) return undefined;
  return {
    ...(ref.secretRef ? { secretRef: { ...ref.secretRef } } : {}),
    ...(ref.configMapRef ? { configMapRef: { ...ref.configMapRef } } : {}),
  };
}

/** The kubeconfig text `ref` names, read from its Secret in `namespace` on this cluster. */
export async function remoteKubeconfig(
  client: Pick<KubeApi, "get">,
  ref: KubeConfigRef,
  namespace: string,
): Promise<{ text: string; where: string }> {
  if (ref.configMapRef && !ref.secretRef)
    throw new Error(
      "spec.kubeConfig.configMapRef (secret-less authentication through a cloud provider's workload identity) is not served by Tether: use spec.kubeConfig.secretRef with a self-contained kubeconfig",
    );
  const name = ref.secretRef?.name;
  if (!name) throw new Error("spec.kubeConfig.secretRef.name is required");
  const where = `Secret '${namespace}/${name}'`;
  const secret = await client.get({ apiVersion: "v1", kind: "Secret", namespace, name });
  if (!secret) throw new KubeconfigSecretMissing(`kubeconfig ${where} not found`);
  const data = (secret.data ?? {}) as Record<string, string>;
  const keys = ref.secretRef?.key ? [ref.secretRef.key] : KUBECONFIG_KEYS;
  const key = keys.find((k) => data[k]);
  if (!key)
    throw new Error(`kubeconfig ${where} has no key ${keys.map((k) => `'${k}'`).join(" or ")}`);
  return {
    text: Buffer.from(data[key] as string, "base64").toString("utf8"),
    where: `${where} (key '${key}')`,
  };
}

/** A client for the remote cluster `ref` names; the caller closes it. */
export async function connectRemote(
  client: Pick<KubeApi, "get">,
  ref: KubeConfigRef,
  namespace: string,
): Promise<KubeClient> {
  const { text, where } = await remoteKubeconfig(client, ref, namespace);
  const { selfContainedConnection } = await import("../../shared/kube/connection.ts");
  const { KubeClient } = await import("../../shared/kube/client.ts");
  try {
    return await KubeClient.connect({ connection: selfContainedConnection(text) });
  } catch (error) {
    throw new Error(`kubeconfig in ${where}: ${(error as Error).message}`);
  }
}
