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
} from "./chunk-I4SL3AFS.js";
import "./chunk-HDEXGOVI.js";
import "./chunk-C6LJWZO5.js";
import "./chunk-CFBZZN2L.js";
import "./chunk-Q254XXVV.js";
import "./chunk-XCORRTS3.js";
import "./chunk-F7OZ6T2Y.js";
import "./chunk-47AX5NPA.js";
import "./chunk-XH5JYCWA.js";
import "./chunk-OMIHXC2B.js";
import "./chunk-UVUGNZXM.js";
import "./chunk-T5A4FM5J.js";
import "./chunk-XRGQOWGB.js";
import "./chunk-ISAI2AEA.js";
import "./chunk-TFXRVEOY.js";
import "./chunk-Z62KHOJY.js";
import "./chunk-VXZLQ2ES.js";
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
