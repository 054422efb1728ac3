#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  KubeClient
} from "./chunk-JVF25FIU.js";
import {
  KubeApiError
} from "./chunk-OMIHXC2B.js";
import "./chunk-SXWPAVSJ.js";
import "./chunk-XRGQOWGB.js";
import "./chunk-Z62KHOJY.js";
import "./chunk-BXQEG42C.js";
export {
  KubeApiError,
  KubeClient
};
