#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  appliedRoot,
  markSuspended,
  readApplied,
  recordSuspensionOf,
  writeApplied
} from "./chunk-JADBTBQD.js";
import "./chunk-WOA5VQJZ.js";
import "./chunk-Z62KHOJY.js";
import "./chunk-3IQPLNQJ.js";
export {
  appliedRoot,
  markSuspended,
  readApplied,
  recordSuspensionOf,
  writeApplied
};
