#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  decidePromotion,
  promote
} from "./chunk-352KCVPP.js";
import "./chunk-N3AH4IMU.js";
import "./chunk-7VFKBTEB.js";
import "./chunk-F7OZ6T2Y.js";
import "./chunk-LLHZC453.js";
import "./chunk-IE7JZNQV.js";
import "./chunk-ZATXNPUI.js";
import "./chunk-BXQEG42C.js";
export {
  decidePromotion,
  promote
};
