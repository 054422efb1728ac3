#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  tagProblem
} from "./chunk-ZRNRZWX5.js";

// action/build/tags.ts
var RELEASE = /^RELEASE\.(\d{4})-(\d{2})-(\d{2})T(\d{2})-(\d{2})-(\d{2})Z$/;
var pad = (n, width = 2) => String(n).padStart(width, "0");
function releaseTag(date) {
  if (Number.isNaN(date.getTime())) throw new Error("the timestamp is not a valid date");
  const year = date.getUTCFullYear();
  if (year < 1e3 || year > 9999) throw new Error(`the timestamp's year ${year} has not 4 digits`);
  return `RELEASE.${pad(year, 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}T${pad(date.getUTCHours())}-${pad(date.getUTCMinutes())}-${pad(date.getUTCSeconds())}Z`;
}
function isReleaseTag(tag) {
  return tag.startsWith("RELEASE.");
}
function releaseTagTime(tag) {
  const m = RELEASE.exec(tag);
  if (!m) return void 0;
  const [, y, mo, d, h, mi, s] = m.map(Number);
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  return releaseTag(date) === tag ? date : void 0;
}
function parseTimestamp(text) {
  const value = text.trim();
  if (/^\d+$/.test(value)) return new Date(Number(value) * 1e3);
  const release = releaseTagTime(value);
  if (release) return release;
  const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/.exec(
    value
  );
  if (!iso) {
    throw new Error(
      `timestamp "${text}" is not ISO 8601 with a zone (e.g. 2026-11-23T18:02:51Z), Unix seconds, or a RELEASE tag`
    );
  }
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new Error(`timestamp "${text}" is not a valid date`);
  return date;
}
function envTag(env, sha, shaLength) {
  if (sha === void 0 || sha === "") {
    throw new Error(
      `--env ${env} needs a commit SHA for the "${env}-<sha>" tag: pass --sha or set GITHUB_SHA`
    );
  }
  if (!/^[0-9a-f]{7,64}$/i.test(sha)) throw new Error(`"${sha}" is not a hexadecimal commit SHA`);
  if (!Number.isInteger(shaLength) || shaLength < 4) {
    throw new Error(`the SHA length must be a whole number of at least 4, not ${shaLength}`);
  }
  return `${env}-${sha.toLowerCase().slice(0, shaLength)}`;
}
function computeTags(inputs) {
  const tags = [releaseTag(inputs.timestamp)];
  if (inputs.env !== void 0 && inputs.env !== "") {
    tags.push(envTag(inputs.env, inputs.sha, inputs.shaLength ?? 7));
  }
  tags.push(...inputs.extra ?? []);
  for (const tag of tags) {
    const problem = tagProblem(tag);
    if (problem) throw new Error(problem);
  }
  return [...new Set(tags)];
}

export {
  releaseTag,
  isReleaseTag,
  releaseTagTime,
  parseTimestamp,
  computeTags
};
