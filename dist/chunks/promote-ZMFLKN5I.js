#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  decidePromotion,
  promote
} from "./chunk-G2LF33PX.js";
import "./chunk-N3AH4IMU.js";
import "./chunk-7VFKBTEB.js";
import "./chunk-JSNGYTBV.js";
import "./chunk-ZATXNPUI.js";
import "./chunk-IE7JZNQV.js";
import "./chunk-F7OZ6T2Y.js";
import "./chunk-VXZLQ2ES.js";
export {
  decidePromotion,
  promote
};
