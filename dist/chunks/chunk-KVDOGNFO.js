#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);

// shared/util/redact.ts
function redactUrl(url) {
  try {
    const parsed = new URL(url);
    if (parsed.username || parsed.password) {
      parsed.username = "***";
      parsed.password = "";
    }
    for (const key of new Set(parsed.searchParams.keys())) parsed.searchParams.set(key, "***");
    return parsed.toString().replaceAll("%2A%2A%2A", "***").replace(/=\*\*\*(?=&|$|#)/g, "=***");
  } catch {
    return redactUnparsed(url);
  }
}
function redactUnparsed(url) {
  let out = url;
  const scheme = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)/i.exec(out);
  if (scheme?.[1] !== void 0 && scheme[2] !== void 0) {
    const authority = scheme[2];
    const at = authority.lastIndexOf("@");
    if (at !== -1) {
      out = `${scheme[1]}***@${authority.slice(at + 1)}${out.slice(scheme[0].length)}`;
    }
  }
  return out.replace(/([?&][^=&#]*=)[^&#]*/g, "$1***");
}
function redactSecrets(text, secrets) {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 3 && out.includes(secret)) out = out.split(secret).join("***");
  }
  return out;
}

export {
  redactUrl,
  redactSecrets
};
