#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  kubeConfigRefOf
} from "./chunk-DGWWLFJ6.js";
import {
  isKustomization
} from "./chunk-WOA5VQJZ.js";
import {
  refOf
} from "./chunk-Z62KHOJY.js";

// agent/flux/applied.ts
const { mkdir, readFile, rename, writeFile } = require("node:fs/promises");
const { dirname, join } = require("node:path");
var appliedRoot = (cacheDir) => join(cacheDir, "flux-applied");
var fileOf = (cacheDir, ks) => join(appliedRoot(cacheDir), ks.metadata.namespace ?? "default", `${ks.metadata.name}.json`);
async function readRecord(cacheDir, ks) {
  try {
    const saved = JSON.parse(await readFile(fileOf(cacheDir, ks), "utf8"));
    return saved.uid === ks.metadata.uid ? saved : void 0;
  } catch {
    return void 0;
  }
}
async function saveRecord(cacheDir, ks, record) {
  const file = fileOf(cacheDir, ks);
  await mkdir(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, JSON.stringify(record));
  await rename(temp, file);
}
async function readApplied(cacheDir, ks) {
  if (!cacheDir) return void 0;
  return (await readRecord(cacheDir, ks))?.entries;
}
async function markSuspended(cacheDir, ks, suspended) {
  if (!cacheDir) return;
  const record = await readRecord(cacheDir, ks);
  if (!record || record.suspended === true === suspended) return;
  const { suspended: _, ...rest } = record;
  await saveRecord(cacheDir, ks, suspended ? { ...rest, suspended: true } : rest);
}
async function recordSuspensionOf(cacheDir, live) {
  if (isKustomization(live) && live.spec?.suspend === true)
    await markSuspended(cacheDir, live, true);
}
async function writeApplied(cacheDir, ks, applied, unit) {
  if (!cacheDir) return;
  const entries = applied.filter((c) => c.action !== "failed" && c.liveHash && c.desired.kind !== "Secret").map((c) => ({ ...refOf(c.desired), hash: c.hash, liveHash: c.liveHash }));
  const spec = ks.spec ?? {};
  const kubeConfig = kubeConfigRefOf(spec.kubeConfig);
  const record = {
    uid: ks.metadata.uid,
    entries,
    unit,
    deletionPolicy: spec.deletionPolicy ?? "MirrorPrune",
    prune: spec.prune === true,
    objects: applied.filter((c) => c.action !== "failed").map((c) => refOf(c.desired)),
    ...kubeConfig ? { kubeConfig } : {}
  };
  await saveRecord(cacheDir, ks, record);
}

export {
  appliedRoot,
  readApplied,
  markSuspended,
  recordSuspensionOf,
  writeApplied
};
