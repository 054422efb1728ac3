#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  KubeClient
} from "./chunk-H2G2PVUL.js";
import "./chunk-XH5JYCWA.js";
import {
  KubeApiError
} from "./chunk-OMIHXC2B.js";
import "./chunk-Z62KHOJY.js";
import "./chunk-4N4YRRRI.js";
import "./chunk-XRGQOWGB.js";
import "./chunk-3IQPLNQJ.js";
export {
  KubeApiError,
  KubeClient
};
