#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  decidePromotion,
  promote
} from "./chunk-IUFB75O7.js";
import {
  PromoteRefusedError
} from "./chunk-SF3QJJDZ.js";
import "./chunk-F7OZ6T2Y.js";
import "./chunk-VUDOB4RI.js";
import "./chunk-ZATXNPUI.js";
import "./chunk-IE7JZNQV.js";
import "./chunk-BXQEG42C.js";
export {
  PromoteRefusedError,
  decidePromotion,
  promote
};
