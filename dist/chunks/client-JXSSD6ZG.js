#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  AuthError,
  NotFoundError,
  RegistryClient,
  RegistryError,
  nextPageUrl
} from "./chunk-KDWPOYPY.js";
import "./chunk-ZATXNPUI.js";
import "./chunk-IE7JZNQV.js";
import "./chunk-F5JPSHJQ.js";
import "./chunk-3IQPLNQJ.js";
export {
  AuthError,
  NotFoundError,
  RegistryClient,
  RegistryError,
  nextPageUrl
};
