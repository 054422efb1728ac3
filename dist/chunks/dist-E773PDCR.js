#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  require_dist
} from "./chunk-HPGUIRHG.js";
import "./chunk-3IQPLNQJ.js";
export default require_dist();
