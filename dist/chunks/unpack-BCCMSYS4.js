#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  MAX_UNPACKED_BYTES,
  chartPathOf,
  unpackChart
} from "./chunk-PFUBHAN2.js";
import "./chunk-SGKLXC2P.js";
import "./chunk-3IQPLNQJ.js";
export {
  MAX_UNPACKED_BYTES,
  chartPathOf,
  unpackChart
};
