#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  writeOutputs
} from "./chunk-TI3JTXND.js";
import "./chunk-6RBBS2HI.js";
import "./chunk-FSJZUE2Y.js";
import "./chunk-3IQPLNQJ.js";
export {
  writeOutputs
};
