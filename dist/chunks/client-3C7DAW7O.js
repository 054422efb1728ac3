#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  AuthError,
  NotFoundError,
  RegistryClient,
  RegistryError,
  nextPageUrl
} from "./chunk-YWFEFF4K.js";
import "./chunk-NZUFSULI.js";
import "./chunk-IE7JZNQV.js";
import "./chunk-F5JPSHJQ.js";
import "./chunk-ZRNRZWX5.js";
import "./chunk-3IQPLNQJ.js";
export {
  AuthError,
  NotFoundError,
  RegistryClient,
  RegistryError,
  nextPageUrl
};
