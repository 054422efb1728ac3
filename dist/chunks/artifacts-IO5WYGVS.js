#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  ARTIFACT_GENERATOR_API,
  CopyError,
  EXTERNAL_ARTIFACT_API,
  artifactGeneratorReconciler,
  generate,
  globRegExp,
  planCopy,
  reconcileGenerator,
  resolveExternalArtifact
} from "./chunk-7UGRCM3N.js";
import "./chunk-AMVUJONU.js";
import "./chunk-O62GKC6U.js";
import "./chunk-GE6VTMTN.js";
import "./chunk-ASGSV6PC.js";
import "./chunk-E74EIW4E.js";
import "./chunk-XB2UJ6TZ.js";
import "./chunk-KVDOGNFO.js";
import "./chunk-WOA5VQJZ.js";
import "./chunk-75EKFM34.js";
import "./chunk-DYND6O65.js";
import "./chunk-6SSSO5LC.js";
import "./chunk-ZIEZ6URX.js";
import "./chunk-Z62KHOJY.js";
import "./chunk-3IQPLNQJ.js";
export {
  ARTIFACT_GENERATOR_API,
  CopyError,
  EXTERNAL_ARTIFACT_API,
  artifactGeneratorReconciler,
  generate,
  globRegExp,
  planCopy,
  reconcileGenerator,
  resolveExternalArtifact
};
