#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  UnsupportedKubernetesVersionError,
  compareMinor,
  defaultKubernetesVersion,
  resolveKubernetesVersion,
  supportedKubernetesVersions
} from "./chunk-RQEN7U5D.js";
import "./chunk-QRLYERSE.js";
import "./chunk-VXZLQ2ES.js";
export {
  UnsupportedKubernetesVersionError,
  compareMinor,
  defaultKubernetesVersion,
  resolveKubernetesVersion,
  supportedKubernetesVersions
};
