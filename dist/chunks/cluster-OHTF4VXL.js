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
} from "./chunk-HD7A4TVA.js";
import "./chunk-I5SLTBKL.js";
import "./chunk-MQEAY646.js";
import "./chunk-I4VL4257.js";
import "./chunk-IN6JXKYM.js";
import "./chunk-F6H36ORJ.js";
import "./chunk-F7OZ6T2Y.js";
import "./chunk-XVXAFQO7.js";
import "./chunk-WOA5VQJZ.js";
import "./chunk-75EKFM34.js";
import "./chunk-C4RKCN44.js";
import "./chunk-6SSSO5LC.js";
import "./chunk-XH5JYCWA.js";
import "./chunk-OMIHXC2B.js";
import "./chunk-Z62KHOJY.js";
import "./chunk-K4EN55PN.js";
import "./chunk-OTIGXPIO.js";
import "./chunk-XRGQOWGB.js";
import "./chunk-HPGUIRHG.js";
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
