#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  writeOutputs
} from "./chunk-C3L3VHPM.js";
import "./chunk-FPVJBXOB.js";
import "./chunk-VUO7DGDH.js";
import "./chunk-VXZLQ2ES.js";
export {
  writeOutputs
};
