#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  HELM_NAMESPACE_LABEL,
  HELM_NAME_LABEL,
  originLabels,
  postRenderBuild,
  postRenderFolders,
  postRendererFlags,
  readPostRenderSpec,
  writePostRenderFolders
} from "./chunk-3QINMYF6.js";
import "./chunk-G2PVCOPF.js";
import "./chunk-KVDOGNFO.js";
import "./chunk-C4RKCN44.js";
import "./chunk-HPGUIRHG.js";
import "./chunk-SGKLXC2P.js";
import "./chunk-3IQPLNQJ.js";
export {
  HELM_NAMESPACE_LABEL,
  HELM_NAME_LABEL,
  originLabels,
  postRenderBuild,
  postRenderFolders,
  postRendererFlags,
  readPostRenderSpec,
  writePostRenderFolders
};
