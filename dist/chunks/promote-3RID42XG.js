#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  decidePromotion,
  promote
} from "./chunk-MGTMJWDL.js";
import "./chunk-N3AH4IMU.js";
import "./chunk-KDWPOYPY.js";
import "./chunk-ZATXNPUI.js";
import "./chunk-IE7JZNQV.js";
import "./chunk-F5JPSHJQ.js";
import "./chunk-F7OZ6T2Y.js";
import "./chunk-YPJ6XMAN.js";
import "./chunk-6SSSO5LC.js";
import "./chunk-3IQPLNQJ.js";
export {
  decidePromotion,
  promote
};
