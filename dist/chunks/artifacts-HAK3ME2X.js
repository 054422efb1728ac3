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
} from "./chunk-BPG7MLII.js";
import "./chunk-UIV6K4HG.js";
import "./chunk-TFXRVEOY.js";
import "./chunk-6N4NJZSU.js";
import "./chunk-4YORIVZT.js";
import "./chunk-QUMNNJCF.js";
import "./chunk-SSFUHCBC.js";
import "./chunk-KVDOGNFO.js";
import "./chunk-YOD6VEQU.js";
import "./chunk-Z62KHOJY.js";
import "./chunk-VXZLQ2ES.js";
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
