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
} from "./chunk-FYYPOGAE.js";
import "./chunk-CTGOT3IQ.js";
import "./chunk-QEV4OD7Y.js";
import "./chunk-4YORIVZT.js";
import "./chunk-SSFUHCBC.js";
import "./chunk-KVDOGNFO.js";
import "./chunk-YOD6VEQU.js";
import "./chunk-I5OBHQMC.js";
import "./chunk-TFXRVEOY.js";
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
