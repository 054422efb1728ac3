#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  registerReconciler
} from "./chunk-VQR37QBH.js";
import {
  defaultCacheDir
} from "./chunk-XB2UJ6TZ.js";
import {
  HELM_RELEASE_V1,
  HELM_RELEASE_V2
} from "./chunk-G2PVCOPF.js";
import "./chunk-KVDOGNFO.js";
import "./chunk-C4RKCN44.js";
import "./chunk-6SSSO5LC.js";
import "./chunk-ZIEZ6URX.js";
import {
  refOf
} from "./chunk-Z62KHOJY.js";
import "./chunk-SGKLXC2P.js";
import "./chunk-3IQPLNQJ.js";

// agent/helm/flux.ts
function optionsOf(ctx) {
  return {
    client: ctx.client,
    cacheDir: ctx.cacheDir ?? defaultCacheDir(),
    kubeconfig: ctx.kubeconfig,
    own: ctx.own ? {
      url: ctx.own.url,
      dir: ctx.own.dir,
      ref: ctx.own.ref,
      credentials: ctx.own.credentials,
      entryPoints: ctx.own.entryPoints
    } : void 0,
    lockdown: ctx.lockdown,
    source: ctx.source
  };
}
async function reconcileAll(objects, ctx) {
  const { reconcileHelmReleases } = await import("./pass-IMF3IZ6S.js");
  const outcomes = await reconcileHelmReleases(objects, optionsOf(ctx));
  return objects.map((o) => {
    const found = outcomes.find(
      (x) => x.ref.name === o.metadata.name && x.ref.namespace === (o.metadata.namespace ?? "default")
    );
    if (!found) return { ready: false, message: "not reconciled" };
    return {
      ready: found.ready || found.action === "suspended",
      message: `helm ${found.action}${found.detail ? `: ${found.detail}` : ""}`
    };
  });
}
var helmRelease = (group) => ({
  group,
  kind: "HelmRelease",
  reconcileAll,
  async reconcile(live, ctx) {
    const [result] = await reconcileAll([live], ctx);
    return result ?? { ready: false, message: "not reconciled" };
  },
  async finalize(live, ctx) {
    const { uninstallReleases } = await import("./pass-IMF3IZ6S.js");
    const [result] = await uninstallReleases([refOf(live)], optionsOf(ctx));
    return { ready: result?.ok ?? true, message: `helm ${result?.detail ?? "no release"}` };
  }
});
var registered = false;
function registerHelmReconcilers() {
  if (registered) return;
  registered = true;
  registerReconciler(helmRelease(HELM_RELEASE_V2));
  registerReconciler(helmRelease(HELM_RELEASE_V1));
}
export {
  registerHelmReconcilers
};
