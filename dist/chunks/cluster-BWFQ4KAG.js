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
} from "./chunk-VK3JUFKZ.js";
import "./chunk-56HBFYTO.js";
import "./chunk-BSED5ANB.js";
import "./chunk-3PWCXXRZ.js";
import "./chunk-Q254XXVV.js";
import "./chunk-JELNVTA6.js";
import "./chunk-F7OZ6T2Y.js";
import "./chunk-47AX5NPA.js";
import "./chunk-XH5JYCWA.js";
import "./chunk-OMIHXC2B.js";
import "./chunk-UVUGNZXM.js";
import "./chunk-7MHP32H2.js";
import "./chunk-6SSSO5LC.js";
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
