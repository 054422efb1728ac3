#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  UnsupportedKubernetesVersionError,
  compareMinor,
  defaultKubernetesVersion,
  resolveKubernetesVersion,
  supportedKubernetesVersions
} from "./chunk-4XKCR3A7.js";
import "./chunk-ASG36VIE.js";
import "./chunk-BXQEG42C.js";
export {
  UnsupportedKubernetesVersionError,
  compareMinor,
  defaultKubernetesVersion,
  resolveKubernetesVersion,
  supportedKubernetesVersions
};
