#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  baseProgram,
  registerAgentCommands
} from "./chunk-64PWHBCD.js";
import "./chunk-QAERNIXE.js";
import "./chunk-T6QXN7BO.js";
import "./chunk-CVK26UKQ.js";
import "./chunk-YUK5ZNS5.js";
import "./chunk-MQEAY646.js";
import "./chunk-3GQA4N5P.js";
import "./chunk-I4VL4257.js";
import "./chunk-IN6JXKYM.js";
import "./chunk-F6H36ORJ.js";
import "./chunk-XLD4VZZ5.js";
import "./chunk-GJG7ON5F.js";
import "./chunk-F7OZ6T2Y.js";
import "./chunk-E74EIW4E.js";
import "./chunk-XB2UJ6TZ.js";
import "./chunk-G2PVCOPF.js";
import "./chunk-KVDOGNFO.js";
import "./chunk-OENG63DF.js";
import "./chunk-YPJ6XMAN.js";
import "./chunk-XVXAFQO7.js";
import "./chunk-D4VEYYO7.js";
import "./chunk-WOA5VQJZ.js";
import "./chunk-75EKFM34.js";
import "./chunk-EMBC4T2D.js";
import "./chunk-C4RKCN44.js";
import "./chunk-6SSSO5LC.js";
import "./chunk-7MDKH37L.js";
import "./chunk-ZIEZ6URX.js";
import "./chunk-XH5JYCWA.js";
import "./chunk-OMIHXC2B.js";
import "./chunk-Z62KHOJY.js";
import "./chunk-K4EN55PN.js";
import "./chunk-OTIGXPIO.js";
import "./chunk-XRGQOWGB.js";
import "./chunk-SGKLXC2P.js";
import "./chunk-3IQPLNQJ.js";

// cli/agent-cli.ts
function createAgentProgram() {
  const program = baseProgram();
  registerAgentCommands(program);
  return program;
}
export {
  createAgentProgram
};
