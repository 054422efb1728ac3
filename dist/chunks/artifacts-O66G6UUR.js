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
} from "./chunk-7YE2K4VS.js";
import "./chunk-INSBND6A.js";
import "./chunk-MYZHQ7SW.js";
import "./chunk-DIZDOQTW.js";
import "./chunk-WOA5VQJZ.js";
import "./chunk-G4TLXDVB.js";
import "./chunk-ASGSV6PC.js";
import "./chunk-H3EYRN7B.js";
import "./chunk-KVDOGNFO.js";
import "./chunk-ZIEZ6URX.js";
import "./chunk-DYND6O65.js";
import "./chunk-TFXRVEOY.js";
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
