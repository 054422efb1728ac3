#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);

// shared/util/git-root.ts
const { existsSync, lstatSync } = require("node:fs");
const { dirname, join } = require("node:path");
function gitWorkTree(path) {
  let found;
  for (let dir = path; ; dir = dirname(dir)) {
    if (lstatSync(dir, { throwIfNoEntry: false })?.isSymbolicLink()) found = void 0;
    else if (found === void 0 && existsSync(join(dir, ".git"))) found = dir;
    if (dirname(dir) === dir) return found;
  }
}

export {
  gitWorkTree
};
