#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  AJV_OPTIONS,
  asCustomResourceRoot,
  bundledKindRefs,
  loadPrecompiledValidators,
  schemasFromCrds,
  validateObject
} from "./chunk-ONAEWK7X.js";
import "./chunk-GU5OC4EN.js";
import "./chunk-D4VEYYO7.js";
import "./chunk-RJ6COGY3.js";
import "./chunk-3IQPLNQJ.js";
export {
  AJV_OPTIONS,
  asCustomResourceRoot,
  bundledKindRefs,
  loadPrecompiledValidators,
  schemasFromCrds,
  validateObject
};
