#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  ALERT_REASONS,
  Notifier,
  compileAlertFilters,
  deliveryFor,
  eventsOfKustomization,
  eventsOfUnit,
  parseAlerts,
  pendingStatus,
  prunedOf,
  repositoryOf,
  wants
} from "./chunk-OENG63DF.js";
import "./chunk-YPJ6XMAN.js";
import "./chunk-XVXAFQO7.js";
import "./chunk-D4VEYYO7.js";
import "./chunk-75EKFM34.js";
import "./chunk-6SSSO5LC.js";
import "./chunk-Z62KHOJY.js";
import "./chunk-OTIGXPIO.js";
import "./chunk-XRGQOWGB.js";
import "./chunk-3IQPLNQJ.js";
export {
  ALERT_REASONS,
  Notifier,
  compileAlertFilters,
  deliveryFor,
  eventsOfKustomization,
  eventsOfUnit,
  parseAlerts,
  pendingStatus,
  prunedOf,
  repositoryOf,
  wants
};
