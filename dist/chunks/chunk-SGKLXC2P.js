#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);

// shared/charts/errors.ts
var ChartError = class extends Error {
  reason;
  constructor(reason, message) {
    super(message);
    this.name = "ChartError";
    this.reason = reason;
  }
};

export {
  ChartError
};
