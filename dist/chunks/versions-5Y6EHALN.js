#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  UnsupportedKubernetesVersionError,
  compareMinor,
  defaultKubernetesVersion,
  resolveKubernetesVersion,
  supportedKubernetesVersions
} from "./chunk-GU5OC4EN.js";
import "./chunk-RJ6COGY3.js";
import "./chunk-3IQPLNQJ.js";
export {
  UnsupportedKubernetesVersionError,
  compareMinor,
  defaultKubernetesVersion,
  resolveKubernetesVersion,
  supportedKubernetesVersions
};
