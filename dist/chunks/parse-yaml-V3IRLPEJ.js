#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  LazyYamlPositions,
  parseWithYaml,
  plainValue,
  syntaxError
} from "./chunk-YPZ7IT6K.js";
import "./chunk-DEWWI5QM.js";
import "./chunk-JM26HTOH.js";
import "./chunk-HPGUIRHG.js";
import "./chunk-OTIGXPIO.js";
import "./chunk-XRGQOWGB.js";
import "./chunk-3IQPLNQJ.js";
export {
  LazyYamlPositions,
  parseWithYaml,
  plainValue,
  syntaxError
};
