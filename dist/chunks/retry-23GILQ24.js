#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  decideRetry,
  defaultRetryPolicy,
  isRetryableStatus,
  parseRetryAfter
} from "./chunk-F5JPSHJQ.js";
import "./chunk-3IQPLNQJ.js";
export {
  decideRetry,
  defaultRetryPolicy,
  isRetryableStatus,
  parseRetryAfter
};
