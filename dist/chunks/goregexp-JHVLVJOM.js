#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  compileGoRegexp,
  expandTemplate,
  templateRefs
} from "./chunk-BWGGLMG3.js";
import "./chunk-DYND6O65.js";
import "./chunk-6SSSO5LC.js";
import "./chunk-3IQPLNQJ.js";
export {
  compileGoRegexp,
  expandTemplate,
  templateRefs
};
