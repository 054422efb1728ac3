#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);

// shared/util/message.ts
function messageOf(error) {
  return error instanceof Error ? error.message : String(error);
}

export {
  messageOf
};
