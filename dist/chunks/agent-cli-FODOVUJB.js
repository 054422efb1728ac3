#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  baseProgram,
  registerAgentCommands
} from "./chunk-4QF3CCNA.js";
import "./chunk-QAERNIXE.js";
import "./chunk-XNWTX32J.js";
import "./chunk-CVK26UKQ.js";
import "./chunk-HSXMP6WQ.js";
import "./chunk-XZQWJGFB.js";
import "./chunk-BSED5ANB.js";
import "./chunk-VYE3TJZW.js";
import "./chunk-Q254XXVV.js";
import "./chunk-KR7SIQNM.js";
import "./chunk-F7OZ6T2Y.js";
import "./chunk-DIZDOQTW.js";
import "./chunk-7DWNNWZK.js";
import "./chunk-CZMQFMA2.js";
import "./chunk-47AX5NPA.js";
import "./chunk-SUDYIAIR.js";
import "./chunk-2MSXSZCZ.js";
import "./chunk-KVDOGNFO.js";
import "./chunk-7MDKH37L.js";
import "./chunk-ZIEZ6URX.js";
import "./chunk-XH5JYCWA.js";
import "./chunk-OMIHXC2B.js";
import "./chunk-SUL3K3WH.js";
import "./chunk-YPJ6XMAN.js";
import "./chunk-D4VEYYO7.js";
import "./chunk-PDAHEYPR.js";
import "./chunk-DYND6O65.js";
import "./chunk-UVUGNZXM.js";
import "./chunk-V3MCLGIM.js";
import "./chunk-6SSSO5LC.js";
import "./chunk-XRGQOWGB.js";
import "./chunk-A7TTBAJE.js";
import "./chunk-I5OBHQMC.js";
import "./chunk-TFXRVEOY.js";
import "./chunk-Z62KHOJY.js";
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
