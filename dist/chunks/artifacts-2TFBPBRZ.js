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
} from "./chunk-UZEEOEKO.js";
import "./chunk-AMVUJONU.js";
import "./chunk-42API2CV.js";
import "./chunk-E74EIW4E.js";
import "./chunk-GVV7U4KA.js";
import "./chunk-ETNSY3VR.js";
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
