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
} from "./chunk-PJEJOWQX.js";
import "./chunk-VDC7DXGM.js";
import "./chunk-ULLIZLO6.js";
import "./chunk-N3OB5IOV.js";
import "./chunk-Q254XXVV.js";
import "./chunk-5XDQXNVE.js";
import "./chunk-47AX5NPA.js";
import "./chunk-SRSIAQQV.js";
import "./chunk-XH5JYCWA.js";
import "./chunk-OMIHXC2B.js";
import "./chunk-F7OZ6T2Y.js";
import "./chunk-UVUGNZXM.js";
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
