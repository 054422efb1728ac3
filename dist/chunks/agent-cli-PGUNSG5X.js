#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  baseProgram,
  registerAgentCommands
} from "./chunk-APIXIBO3.js";
import "./chunk-QAERNIXE.js";
import "./chunk-CQFCYAOV.js";
import "./chunk-CVK26UKQ.js";
import "./chunk-KA7RZ356.js";
import "./chunk-FNTFTDDN.js";
import "./chunk-BSED5ANB.js";
import "./chunk-3PWCXXRZ.js";
import "./chunk-Q254XXVV.js";
import "./chunk-JELNVTA6.js";
import "./chunk-F7OZ6T2Y.js";
import "./chunk-36QRVCK7.js";
import "./chunk-7DWNNWZK.js";
import "./chunk-CZMQFMA2.js";
import "./chunk-47AX5NPA.js";
import "./chunk-SUDYIAIR.js";
import "./chunk-R32B6WJ5.js";
import "./chunk-KVDOGNFO.js";
import "./chunk-7MDKH37L.js";
import "./chunk-YOD6VEQU.js";
import "./chunk-XH5JYCWA.js";
import "./chunk-OMIHXC2B.js";
import "./chunk-RWT3NCQE.js";
import "./chunk-YPJ6XMAN.js";
import "./chunk-D4VEYYO7.js";
import "./chunk-PDAHEYPR.js";
import "./chunk-DYND6O65.js";
import "./chunk-UVUGNZXM.js";
import "./chunk-7MHP32H2.js";
import "./chunk-6SSSO5LC.js";
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
