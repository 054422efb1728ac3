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
} from "./chunk-HFH4Q5D6.js";
import "./chunk-AMVUJONU.js";
import "./chunk-BWOT3YUO.js";
import "./chunk-E74EIW4E.js";
import "./chunk-SZNQQR7X.js";
import "./chunk-SNL7LJFI.js";
import "./chunk-ASGSV6PC.js";
import "./chunk-Z5KFYJBZ.js";
import "./chunk-WOA5VQJZ.js";
import "./chunk-75EKFM34.js";
import "./chunk-DYND6O65.js";
import "./chunk-6SSSO5LC.js";
import "./chunk-ZIEZ6URX.js";
import "./chunk-Z62KHOJY.js";
import "./chunk-KVDOGNFO.js";
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
