#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  baseProgram,
  registerAgentCommands
} from "./chunk-MNVQVAPQ.js";
import "./chunk-QAERNIXE.js";
import "./chunk-NUSDY3HP.js";
import "./chunk-CVK26UKQ.js";
import "./chunk-KA7RZ356.js";
import "./chunk-IL2CCC2G.js";
import "./chunk-C6LJWZO5.js";
import "./chunk-CFBZZN2L.js";
import "./chunk-Q254XXVV.js";
import "./chunk-XCORRTS3.js";
import "./chunk-F7OZ6T2Y.js";
import "./chunk-4YORIVZT.js";
import "./chunk-7DWNNWZK.js";
import "./chunk-4M6UGTPT.js";
import "./chunk-47AX5NPA.js";
import "./chunk-SUDYIAIR.js";
import "./chunk-SSFUHCBC.js";
import "./chunk-KVDOGNFO.js";
import "./chunk-7MDKH37L.js";
import "./chunk-YOD6VEQU.js";
import "./chunk-XH5JYCWA.js";
import "./chunk-OMIHXC2B.js";
import "./chunk-CAP4QGB4.js";
import "./chunk-7VFKBTEB.js";
import "./chunk-D4VEYYO7.js";
import "./chunk-KXK5HPMO.js";
import "./chunk-UVUGNZXM.js";
import "./chunk-DYND6O65.js";
import "./chunk-T5A4FM5J.js";
import "./chunk-XRGQOWGB.js";
import "./chunk-ISAI2AEA.js";
import "./chunk-I5OBHQMC.js";
import "./chunk-TFXRVEOY.js";
import "./chunk-Z62KHOJY.js";
import "./chunk-VXZLQ2ES.js";

// cli/agent-cli.ts
function createAgentProgram() {
  const program = baseProgram();
  registerAgentCommands(program);
  return program;
}
export {
  createAgentProgram
};
