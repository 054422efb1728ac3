#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);

// cli/version.ts
var version = true ? "0.1.0" : "0.0.0-dev";

export {
  version
};
