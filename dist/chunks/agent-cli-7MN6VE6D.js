#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  baseProgram,
  registerAgentCommands
} from "./chunk-RBWEA3XY.js";
import "./chunk-QAERNIXE.js";
import "./chunk-PSZ32B76.js";
import "./chunk-CVK26UKQ.js";
import "./chunk-Y6DTZU2R.js";
import "./chunk-MCJRCOPL.js";
import "./chunk-PHZQHKZD.js";
import "./chunk-XKQL3ALL.js";
import "./chunk-DIZDOQTW.js";
import "./chunk-7DWNNWZK.js";
import "./chunk-K2MPFFQ4.js";
import "./chunk-C4RKCN44.js";
import "./chunk-MQFW5TPB.js";
import "./chunk-F7OZ6T2Y.js";
import "./chunk-JPE25XA5.js";
import "./chunk-RMLEHZU2.js";
import "./chunk-KVDOGNFO.js";
import "./chunk-R5CWSWQB.js";
import "./chunk-47AX5NPA.js";
import "./chunk-WOA5VQJZ.js";
import "./chunk-7MDKH37L.js";
import "./chunk-ZIEZ6URX.js";
import "./chunk-XH5JYCWA.js";
import "./chunk-OMIHXC2B.js";
import "./chunk-CHFO35WZ.js";
import "./chunk-QE266B4Y.js";
import "./chunk-YPJ6XMAN.js";
import "./chunk-D4VEYYO7.js";
import "./chunk-XVXAFQO7.js";
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
