#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  stampMetadata
} from "./chunk-3TKDPOZI.js";
import "./chunk-WOA5VQJZ.js";
import "./chunk-Z62KHOJY.js";
import "./chunk-HPGUIRHG.js";
import "./chunk-3IQPLNQJ.js";

// agent/helm/post-render-command.ts
import { readFile } from "node:fs/promises";
async function runHelmPostRender(file) {
  if (!file) throw new Error("usage: tether helm-post-render FILE");
  const metadata = JSON.parse(await readFile(file, "utf8"));
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  process.stdout.write(stampMetadata(Buffer.concat(chunks).toString("utf8"), metadata));
}
export {
  runHelmPostRender
};
