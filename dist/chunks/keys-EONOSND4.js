#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  AGE_KEY_SUFFIX,
  PGP_KEY_SUFFIX,
  keysFromEntries,
  unwrapDataKey
} from "./chunk-XFPL3GEI.js";
import "./chunk-BWGGLMG3.js";
import "./chunk-DYND6O65.js";
import "./chunk-6SSSO5LC.js";
import "./chunk-HPGUIRHG.js";
import "./chunk-3IQPLNQJ.js";
export {
  AGE_KEY_SUFFIX,
  PGP_KEY_SUFFIX,
  keysFromEntries,
  unwrapDataKey
};
