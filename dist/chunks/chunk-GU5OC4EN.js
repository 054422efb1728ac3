#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  kubernetesData
} from "./chunk-RJ6COGY3.js";

// shared/validate/versions.ts
var UnsupportedKubernetesVersionError = class extends Error {
  requested;
  supported;
  constructor(requested, supported, reason) {
    super(
      `--kubernetes-version ${JSON.stringify(requested)}: ${reason}; bundled schemas cover ${supported.join(", ")} (use one of these, or regenerate with shared/validate/schemas/generate.ts)`
    );
    this.name = "UnsupportedKubernetesVersionError";
    this.requested = requested;
    this.supported = supported;
  }
};
function supportedKubernetesVersions() {
  return kubernetesData().minors;
}
function defaultKubernetesVersion() {
  return supportedKubernetesVersions()[0];
}
function resolveKubernetesVersion(requested) {
  if (requested === void 0) return defaultKubernetesVersion();
  const known = resolved.get(requested);
  if (known !== void 0) return known;
  const minor = resolveUncached(requested);
  resolved.set(requested, minor);
  return minor;
}
var resolved = /* @__PURE__ */ new Map();
function resolveUncached(requested) {
  const supported = supportedKubernetesVersions();
  if (requested.trim() === "") return defaultKubernetesVersion();
  const m = /^v?(\d+)\.(\d+)(?:\.\d+)?$/.exec(requested.trim());
  if (!m) {
    throw new UnsupportedKubernetesVersionError(
      requested,
      supported,
      "not a version (expected MAJOR.MINOR, e.g. 1.36)"
    );
  }
  const minor = `${Number(m[1])}.${Number(m[2])}`;
  if (!supported.includes(minor)) {
    throw new UnsupportedKubernetesVersionError(
      requested,
      supported,
      `Kubernetes ${minor} is not bundled`
    );
  }
  return minor;
}
function compareMinor(a, b) {
  const [am = 0, an = 0] = a.split(".").map(Number);
  const [bm = 0, bn = 0] = b.split(".").map(Number);
  return am - bm || an - bn;
}

export {
  UnsupportedKubernetesVersionError,
  supportedKubernetesVersions,
  defaultKubernetesVersion,
  resolveKubernetesVersion,
  compareMinor
};
