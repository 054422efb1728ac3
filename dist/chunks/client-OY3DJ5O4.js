#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  AuthError,
  NotFoundError,
  RegistryClient,
  RegistryError,
  nextPageUrl
} from "./chunk-LLHZC453.js";
import "./chunk-IE7JZNQV.js";
import "./chunk-ZATXNPUI.js";
import "./chunk-BXQEG42C.js";
export {
  AuthError,
  NotFoundError,
  RegistryClient,
  RegistryError,
  nextPageUrl
};
