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
} from "./chunk-I4CBEPU7.js";
import "./chunk-JTSHJZ53.js";
import "./chunk-EWPVR7PC.js";
import "./chunk-3CKJ7XBZ.js";
import "./chunk-IN6JXKYM.js";
import "./chunk-F7OZ6T2Y.js";
import "./chunk-WOA5VQJZ.js";
import "./chunk-C4RKCN44.js";
import "./chunk-XH5JYCWA.js";
import "./chunk-OMIHXC2B.js";
import "./chunk-JM26HTOH.js";
import "./chunk-HPGUIRHG.js";
import "./chunk-XVXAFQO7.js";
import "./chunk-75EKFM34.js";
import "./chunk-Z62KHOJY.js";
import "./chunk-OTIGXPIO.js";
import "./chunk-XRGQOWGB.js";
import "./chunk-6SSSO5LC.js";
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
