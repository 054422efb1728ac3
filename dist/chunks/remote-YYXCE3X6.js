#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  KUBECONFIG_KEYS,
  KubeconfigSecretMissing,
  connectRemote,
  kubeConfigRefOf,
  remoteKubeconfig
} from "./chunk-DGWWLFJ6.js";
import "./chunk-3IQPLNQJ.js";
export {
  KUBECONFIG_KEYS,
  KubeconfigSecretMissing,
  connectRemote,
  kubeConfigRefOf,
  remoteKubeconfig
};
