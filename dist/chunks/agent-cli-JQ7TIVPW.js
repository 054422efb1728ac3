#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  baseProgram,
  registerAgentCommands
} from "./chunk-6QXD6KN7.js";
import "./chunk-QAERNIXE.js";
import "./chunk-7VFKBTEB.js";
import "./chunk-TAAW5PW6.js";
import "./chunk-CVK26UKQ.js";
import "./chunk-BR3R3U4A.js";
import "./chunk-ULLIZLO6.js";
import "./chunk-N3OB5IOV.js";
import "./chunk-KXK5HPMO.js";
import "./chunk-Q254XXVV.js";
import "./chunk-5XDQXNVE.js";
import "./chunk-7DWNNWZK.js";
import "./chunk-4M6UGTPT.js";
import "./chunk-47AX5NPA.js";
import "./chunk-SRSIAQQV.js";
import "./chunk-XH5JYCWA.js";
import "./chunk-OMIHXC2B.js";
import "./chunk-7MDKH37L.js";
import "./chunk-BCRNYLKH.js";
import "./chunk-DYND6O65.js";
import "./chunk-F7OZ6T2Y.js";
import "./chunk-SUDYIAIR.js";
import "./chunk-PWRTHR4Y.js";
import "./chunk-UVUGNZXM.js";
import "./chunk-ISAI2AEA.js";
import "./chunk-TFXRVEOY.js";
import "./chunk-4YORIVZT.js";
import "./chunk-QUMNNJCF.js";
import "./chunk-SSFUHCBC.js";
import "./chunk-KVDOGNFO.js";
import "./chunk-YOD6VEQU.js";
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
