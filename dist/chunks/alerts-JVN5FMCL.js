#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  ALERT_REASONS,
  Notifier,
  deliveryFor,
  eventsOfKustomization,
  eventsOfUnit,
  parseAlerts,
  pendingStatus,
  prunedOf,
  repositoryOf,
  wants
} from "./chunk-SUL3K3WH.js";
import "./chunk-YPJ6XMAN.js";
import "./chunk-D4VEYYO7.js";
import "./chunk-PDAHEYPR.js";
import "./chunk-DYND6O65.js";
import "./chunk-UVUGNZXM.js";
import "./chunk-V3MCLGIM.js";
import "./chunk-6SSSO5LC.js";
import "./chunk-XRGQOWGB.js";
import "./chunk-A7TTBAJE.js";
import "./chunk-TFXRVEOY.js";
import "./chunk-Z62KHOJY.js";
import "./chunk-3IQPLNQJ.js";
export {
  ALERT_REASONS,
  Notifier,
  deliveryFor,
  eventsOfKustomization,
  eventsOfUnit,
  parseAlerts,
  pendingStatus,
  prunedOf,
  repositoryOf,
  wants
};
