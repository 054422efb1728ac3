#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  setOutput
} from "./chunk-6RBBS2HI.js";

// action/outputs.ts
function writeOutputs(values) {
  if (!process.env.GITHUB_OUTPUT) return;
  for (const [name, value] of Object.entries(values)) setOutput(name, value);
}

export {
  writeOutputs
};
