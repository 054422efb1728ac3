#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  appliedRoot,
  markSuspended,
  readApplied,
  recordSuspensionOf,
  writeApplied
} from "./chunk-V3OBHZW3.js";
import "./chunk-DGWWLFJ6.js";
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
