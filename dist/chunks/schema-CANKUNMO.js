#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  asCustomResourceRoot,
  schemasFromCrds,
  validateObject
} from "./chunk-OUUWSDOJ.js";
import "./chunk-27WSDZVF.js";
import "./chunk-D4VEYYO7.js";
import "./chunk-RJ6COGY3.js";
import "./chunk-VXZLQ2ES.js";
export {
  asCustomResourceRoot,
  schemasFromCrds,
  validateObject
};
