#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  baseProgram,
  registerAgentCommands
} from "./chunk-OE3TKGLO.js";
import "./chunk-QAERNIXE.js";
import "./chunk-3DLGN2M4.js";
import "./chunk-CVK26UKQ.js";
import "./chunk-GJG7ON5F.js";
import "./chunk-W6HBLM3T.js";
import "./chunk-EWPVR7PC.js";
import "./chunk-4GNCZJAC.js";
import "./chunk-3CKJ7XBZ.js";
import "./chunk-IN6JXKYM.js";
import "./chunk-F7OZ6T2Y.js";
import "./chunk-E74EIW4E.js";
import "./chunk-XLD4VZZ5.js";
import "./chunk-P7FVATFS.js";
import "./chunk-RMLEHZU2.js";
import "./chunk-KVDOGNFO.js";
import "./chunk-WOA5VQJZ.js";
import "./chunk-SGKLXC2P.js";
import "./chunk-OYRUBJUW.js";
import "./chunk-C4RKCN44.js";
import "./chunk-7MDKH37L.js";
import "./chunk-ZIEZ6URX.js";
import "./chunk-XH5JYCWA.js";
import "./chunk-OMIHXC2B.js";
import "./chunk-JM26HTOH.js";
import "./chunk-VRXG6O22.js";
import "./chunk-YPJ6XMAN.js";
import "./chunk-D4VEYYO7.js";
import "./chunk-XVXAFQO7.js";
import "./chunk-75EKFM34.js";
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
