#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);

// shared/registry/retry.ts
var defaultRetryPolicy = {
  retries: 4,
  baseDelayMs: 250,
  maxDelayMs: 8e3,
  maxRetryAfterMs: 6e4
};
function isRetryableStatus(status) {
  return status === 429 || status >= 500 && status <= 599 && status !== 501 && status !== 505;
}
function parseRetryAfter(value, now) {
  if (value === null || value === void 0) return void 0;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1e3;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return void 0;
  return Math.max(0, date - now);
}
function decideRetry(input) {
  const { attempt, status, policy } = input;
  if (status !== void 0 && !isRetryableStatus(status)) {
    return { retry: false, reason: `status ${status} is not retried` };
  }
  if (attempt >= policy.retries) {
    return { retry: false, reason: `gave up after ${attempt + 1} attempts` };
  }
  const asked = parseRetryAfter(input.retryAfter, input.now);
  if (asked !== void 0) {
    if (asked > policy.maxRetryAfterMs) {
      return {
        retry: false,
        reason: `the registry asked to retry after ${Math.ceil(asked / 1e3)}s, longer than the ${Math.ceil(policy.maxRetryAfterMs / 1e3)}s Tether waits`
      };
    }
    return { retry: true, delayMs: asked };
  }
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return { retry: true, delayMs: Math.round(exp / 2 + exp / 2 * input.random) };
}

export {
  defaultRetryPolicy,
  isRetryableStatus,
  parseRetryAfter,
  decideRetry
};
