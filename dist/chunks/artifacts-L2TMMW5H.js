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
} from "./chunk-KEHIJVBC.js";
import "./chunk-CTGOT3IQ.js";
import "./chunk-N2IWNZA2.js";
import "./chunk-36QRVCK7.js";
import "./chunk-R32B6WJ5.js";
import "./chunk-KVDOGNFO.js";
import "./chunk-YOD6VEQU.js";
import "./chunk-6SSSO5LC.js";
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
