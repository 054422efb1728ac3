#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  LazyYamlPositions,
  parseWithYaml,
  plainValue,
  syntaxError
} from "./chunk-3R7UN4UR.js";
import "./chunk-UOZOTW6C.js";
import "./chunk-K4EN55PN.js";
import "./chunk-OTIGXPIO.js";
import "./chunk-XRGQOWGB.js";
import "./chunk-HPGUIRHG.js";
import "./chunk-3IQPLNQJ.js";
export {
  LazyYamlPositions,
  parseWithYaml,
  plainValue,
  syntaxError
};
