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
} from "./chunk-RZU467Z3.js";
import "./chunk-BXQEG42C.js";
export {
  PullRequestError,
  githubRepository,
  pullRequestSettings,
  pullRequestText,
  resolvePullRequest,
  syncPullRequest
};
