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
} from "./chunk-3DFJFOTT.js";
import "./chunk-INSBND6A.js";
import "./chunk-BL5CH2WA.js";
import "./chunk-DIZDOQTW.js";
import "./chunk-UHPEFR2Q.js";
import "./chunk-ASGSV6PC.js";
import "./chunk-RMLEHZU2.js";
import "./chunk-KVDOGNFO.js";
import "./chunk-WOA5VQJZ.js";
import "./chunk-ZIEZ6URX.js";
import "./chunk-DYND6O65.js";
import "./chunk-75EKFM34.js";
import "./chunk-Z62KHOJY.js";
import "./chunk-6SSSO5LC.js";
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
