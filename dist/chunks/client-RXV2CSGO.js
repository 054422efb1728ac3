#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  KubeClient
} from "./chunk-EA6RVBXU.js";
import "./chunk-XH5JYCWA.js";
import {
  KubeApiError
} from "./chunk-OMIHXC2B.js";
import "./chunk-A7TTBAJE.js";
import "./chunk-Z62KHOJY.js";
import "./chunk-3IQPLNQJ.js";
export {
  KubeApiError,
  KubeClient
};
