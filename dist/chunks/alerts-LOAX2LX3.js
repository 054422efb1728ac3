#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  ALERT_REASONS,
  Notifier,
  deliveryFor,
  eventsOfUnit,
  parseAlerts,
  pendingStatus,
  prunedOf,
  repositoryOf,
  wants
} from "./chunk-PWRTHR4Y.js";
import "./chunk-UVUGNZXM.js";
import "./chunk-ISAI2AEA.js";
import "./chunk-TFXRVEOY.js";
import "./chunk-Z62KHOJY.js";
import "./chunk-VXZLQ2ES.js";
export {
  ALERT_REASONS,
  Notifier,
  deliveryFor,
  eventsOfUnit,
  parseAlerts,
  pendingStatus,
  prunedOf,
  repositoryOf,
  wants
};
