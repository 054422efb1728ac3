#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  baseProgram,
  registerAgentCommands
} from "./chunk-2STQKU3X.js";
import "./chunk-QAERNIXE.js";
import "./chunk-G22AAAGI.js";
import "./chunk-CVK26UKQ.js";
import "./chunk-Q7GUCXLQ.js";
import "./chunk-UUCDLZI3.js";
import "./chunk-PHZQHKZD.js";
import "./chunk-BTW52Q7P.js";
import "./chunk-7DWNNWZK.js";
import "./chunk-JKVLDIK4.js";
import "./chunk-47AX5NPA.js";
import "./chunk-K2MPFFQ4.js";
import "./chunk-C4RKCN44.js";
import "./chunk-MQFW5TPB.js";
import "./chunk-F7OZ6T2Y.js";
import "./chunk-SUDYIAIR.js";
import "./chunk-DIZDOQTW.js";
import "./chunk-WOA5VQJZ.js";
import "./chunk-H3EYRN7B.js";
import "./chunk-KVDOGNFO.js";
import "./chunk-7MDKH37L.js";
import "./chunk-ZIEZ6URX.js";
import "./chunk-XH5JYCWA.js";
import "./chunk-OMIHXC2B.js";
import "./chunk-CHFO35WZ.js";
import "./chunk-WXC3LHR4.js";
import "./chunk-YPJ6XMAN.js";
import "./chunk-D4VEYYO7.js";
import "./chunk-UVUGNZXM.js";
import "./chunk-TFXRVEOY.js";
import "./chunk-Z62KHOJY.js";
import "./chunk-OTIGXPIO.js";
import "./chunk-XRGQOWGB.js";
import "./chunk-6SSSO5LC.js";
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
