#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  writeOutputs
} from "./chunk-KZMYMM5C.js";
import "./chunk-4I2GHZ47.js";
import "./chunk-EFN3UNVC.js";
import "./chunk-VXZLQ2ES.js";
export {
  writeOutputs
};
