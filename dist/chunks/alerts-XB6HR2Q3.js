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
} from "./chunk-RWT3NCQE.js";
import "./chunk-YPJ6XMAN.js";
import "./chunk-D4VEYYO7.js";
import "./chunk-PDAHEYPR.js";
import "./chunk-DYND6O65.js";
import "./chunk-UVUGNZXM.js";
import "./chunk-7MHP32H2.js";
import "./chunk-6SSSO5LC.js";
import "./chunk-XRGQOWGB.js";
import "./chunk-ISAI2AEA.js";
import "./chunk-TFXRVEOY.js";
import "./chunk-Z62KHOJY.js";
import "./chunk-VXZLQ2ES.js";
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
