#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  SERVICE_ACCOUNT_DIR,
  loadConnection,
  selfContainedConnection
} from "./chunk-4N4YRRRI.js";
import "./chunk-XRGQOWGB.js";
import "./chunk-3IQPLNQJ.js";
export {
  SERVICE_ACCOUNT_DIR,
  loadConnection,
  selfContainedConnection
};
