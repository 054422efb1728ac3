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
} from "./chunk-XYK53OLB.js";
import "./chunk-XFCHWKSM.js";
import "./chunk-MCJRCOPL.js";
import "./chunk-PHZQHKZD.js";
import "./chunk-XKQL3ALL.js";
import "./chunk-C4RKCN44.js";
import "./chunk-F7OZ6T2Y.js";
import "./chunk-47AX5NPA.js";
import "./chunk-XH5JYCWA.js";
import "./chunk-OMIHXC2B.js";
import "./chunk-CHFO35WZ.js";
import "./chunk-HPGUIRHG.js";
import "./chunk-XVXAFQO7.js";
import "./chunk-TFXRVEOY.js";
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
