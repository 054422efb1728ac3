#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  decidePromotion,
  promote
} from "./chunk-BAHDLIS7.js";
import "./chunk-LCUR7MG5.js";
import "./chunk-YWFEFF4K.js";
import "./chunk-NZUFSULI.js";
import "./chunk-IE7JZNQV.js";
import "./chunk-F5JPSHJQ.js";
import "./chunk-F7OZ6T2Y.js";
import "./chunk-ZRNRZWX5.js";
import "./chunk-YPJ6XMAN.js";
import "./chunk-6SSSO5LC.js";
import "./chunk-3IQPLNQJ.js";
export {
  decidePromotion,
  promote
};
