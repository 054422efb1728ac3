#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  PullRequestError,
  githubRepository,
  pullRequestSettings,
  pullRequestText,
  resolvePullRequest,
  syncPullRequest
} from "./chunk-KVNOYAYJ.js";
import "./chunk-6SSSO5LC.js";
import "./chunk-3IQPLNQJ.js";
export {
  PullRequestError,
  githubRepository,
  pullRequestSettings,
  pullRequestText,
  resolvePullRequest,
  syncPullRequest
};
