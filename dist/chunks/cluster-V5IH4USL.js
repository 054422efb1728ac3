#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  BOOTSTRAP_FIELD_MANAGER,
  applyInstall,
  readGitSecret,
  renderInstall,
  rolloutState,
  waitForRollout,
  waitForSync,
  writeGitSecret
} from "./chunk-OZGOXKUJ.js";
import "./chunk-FJ4QNA6P.js";
import "./chunk-BSED5ANB.js";
import "./chunk-VYE3TJZW.js";
import "./chunk-Q254XXVV.js";
import "./chunk-KR7SIQNM.js";
import "./chunk-F7OZ6T2Y.js";
import "./chunk-47AX5NPA.js";
import "./chunk-XH5JYCWA.js";
import "./chunk-OMIHXC2B.js";
import "./chunk-UVUGNZXM.js";
import "./chunk-V3MCLGIM.js";
import "./chunk-6SSSO5LC.js";
import "./chunk-XRGQOWGB.js";
import "./chunk-A7TTBAJE.js";
import "./chunk-TFXRVEOY.js";
import "./chunk-Z62KHOJY.js";
import "./chunk-3IQPLNQJ.js";
export {
  BOOTSTRAP_FIELD_MANAGER,
  applyInstall,
  readGitSecret,
  renderInstall,
  rolloutState,
  waitForRollout,
  waitForSync,
  writeGitSecret
};
