#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);

// agent/flux/remote.ts
var KUBECONFIG_KEYS = ["value", "value.yaml"];
var KubeconfigSecretMissing = class extends Error {
};
function kubeConfigRefOf(ref) {
  if (!ref) return void 0;
  return {
    ...ref.secretRef ? { secretRef: { ...ref.secretRef } } : {},
    ...ref.configMapRef ? { configMapRef: { ...ref.configMapRef } } : {}
  };
}
async function remoteKubeconfig(client, ref, namespace) {
  if (ref.configMapRef && !ref.secretRef)
    throw new Error(
      "spec.kubeConfig.configMapRef (secret-less authentication through a cloud provider's workload identity) is not served by Tether: use spec.kubeConfig.secretRef with a self-contained kubeconfig"
    );
  const name = ref.secretRef?.name;
  if (!name) throw new Error("spec.kubeConfig.secretRef.name is required");
  const where = `Secret '${namespace}/${name}'`;
  const secret = await client.get({ apiVersion: "v1", kind: "Secret", namespace, name });
  if (!secret) throw new KubeconfigSecretMissing(`kubeconfig ${where} not found`);
  const data = secret.data ?? {};
  const keys = ref.secretRef?.key ? [ref.secretRef.key] : KUBECONFIG_KEYS;
  const key = keys.find((k) => data[k]);
  if (!key)
    throw new Error(`kubeconfig ${where} has no key ${keys.map((k) => `'${k}'`).join(" or ")}`);
  return {
    text: Buffer.from(data[key], "base64").toString("utf8"),
    where: `${where} (key '${key}')`
  };
}
async function connectRemote(client, ref, namespace) {
  const { text, where } = await remoteKubeconfig(client, ref, namespace);
  const { selfContainedConnection } = await import("./connection-7CES67U6.js");
  const { KubeClient } = await import("./client-HXM76AAR.js");
  try {
    return await KubeClient.connect({ connection: selfContainedConnection(text) });
  } catch (error) {
    throw new Error(`kubeconfig in ${where}: ${error.message}`);
  }
}

export {
  KUBECONFIG_KEYS,
  KubeconfigSecretMissing,
  kubeConfigRefOf,
  remoteKubeconfig,
  connectRemote
};
