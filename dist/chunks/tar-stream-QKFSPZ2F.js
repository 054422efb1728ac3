#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  require_tar_stream
} from "./chunk-FO7QSEOQ.js";
import "./chunk-3IQPLNQJ.js";
export default require_tar_stream();
