// Where SOPS keys come from: a Secret, as Flux's `spec.decryption.secretRef` names it
// (entries `*.agekey` and `*.asc`), read at each pass and kept in memory only. The
// agent's own units use `decryption` in its configuration (a Secret in the agent's
// namespace); a Flux Kustomization uses its own spec (a Secret in its namespace).
import type { KubeApi } from "../shared/kube/api.ts";
import type { SopsKeys } from "../shared/sops/keys.ts";

/** `Kustomization.spec.decryption`, and the agent configuration's `decryption`. */
export interface DecryptionSpec {
  provider?: string | undefined;
  secretRef?: { name?: string | undefined } | undefined;
}

/**
 * The keys of a decryption spec, or undefined when none is configured. Throws with a
 * message naming the Secret (never its values) when it cannot be used.
 */
export async function loadDecryptionKeys(
  client: KubeApi,
  namespace: string,
  spec: DecryptionSpec | undefined,
): Promise<SopsKeys | undefined> {
  if (!spec) return undefined;
  if (spec.provider !== "sops")
    throw new Error(`decryption provider '${spec.provider ?? ""}' is not supported (use sops)`);
  const name = spec.secretRef?.name;
  // Flux without a Secret relies on cloud KMS identities, which an edge agent has not.
  if (!name) return { age: [], pgp: [] };
  const secret = await client.get({ apiVersion: "v1", kind: "Secret", namespace, name });
  if (!secret) throw new Error(`decryption Secret '${namespace}/${name}' not found`);
  const data = (secret.data ?? {}) as Record<string, string>;
  // The SOPS code loads with the first keys: an agent without decryption never holds it.
  const { keysFromEntries } = await import("../shared/sops/keys.ts");
  return keysFromEntries(
    Object.entries(data).map(([key, value]) => [
      key,
      Buffer.from(value, "base64").toString("utf8"),
    ]),
  );
}
