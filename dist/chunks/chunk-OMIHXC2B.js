#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);

// shared/kube/errors.ts
var KubeApiError = class extends Error {
  status;
  reason;
  details;
  constructor(status, reason, message, details) {
    super(message);
    this.name = "KubeApiError";
    this.status = status;
    this.reason = reason;
    this.details = details;
  }
};

export {
  KubeApiError
};
