import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { reserve } from "../../../shared/registry/rate-limit.ts";
import {
  decideRetry,
  defaultRetryPolicy,
  isRetryableStatus,
  parseRetryAfter,
  type RetryPolicy,
} from "../../../shared/registry/retry.ts";

const policy: RetryPolicy = {
  retries: 3,
  baseDelayMs: 100,
  maxDelayMs: 1_000,
  maxRetryAfterMs: 30_000,
};
const now = Date.parse("2026-11-23T12:00:00Z");

describe("retry decisions", () => {
  test("which statuses are retried", () => {
    for (const s of [429, 500, 502, 503, 504, 599]) assert.ok(isRetryableStatus(s), String(s));
    for (const s of [200, 201, 400, 401, 403, 404, 405, 501, 505])
      assert.ok(!isRetryableStatus(s), String(s));
  });

  test("Retry-After: seconds or an HTTP date", () => {
    assert.equal(parseRetryAfter("7", now), 7_000);
    assert.equal(parseRetryAfter(new Date(now + 2_500).toUTCString(), now), 2_000);
    assert.equal(parseRetryAfter(new Date(now - 5_000).toUTCString(), now), 0);
    assert.equal(parseRetryAfter("soon", now), undefined);
    assert.equal(parseRetryAfter(null, now), undefined);
  });

  const cases: [string, Parameters<typeof decideRetry>[0], ReturnType<typeof decideRetry>][] = [
    [
      "429 waits what Retry-After says",
      { attempt: 0, status: 429, retryAfter: "2", now, random: 0.5, policy },
      { retry: true, delayMs: 2_000 },
    ],
    [
      "503 without Retry-After: half fixed, half jitter",
      { attempt: 0, status: 503, now, random: 0, policy },
      { retry: true, delayMs: 50 },
    ],
    [
      "backoff doubles",
      { attempt: 2, status: 503, now, random: 1, policy },
      { retry: true, delayMs: 400 },
    ],
    [
      "backoff is capped",
      {
        attempt: 2,
        status: 503,
        now,
        random: 1,
        policy: { ...policy, retries: 10, maxDelayMs: 300 },
      },
      { retry: true, delayMs: 300 },
    ],
    [
      "network failure is retried",
      { attempt: 1, now, random: 0, policy },
      { retry: true, delayMs: 100 },
    ],
    [
      "404 is final",
      { attempt: 0, status: 404, now, random: 0, policy },
      { retry: false, reason: "status 404 is not retried" },
    ],
    [
      "bounded",
      { attempt: 3, status: 503, now, random: 0, policy },
      { retry: false, reason: "gave up after 4 attempts" },
    ],
    [
      "a Retry-After beyond the limit is not waited out",
      { attempt: 0, status: 429, retryAfter: "3600", now, random: 0, policy },
      {
        retry: false,
        reason: "the registry asked to retry after 3600s, longer than the 30s Tether waits",
      },
    ],
  ];
  for (const [name, input, expected] of cases) {
    test(name, () => assert.deepEqual(decideRetry(input), expected));
  }

  test("the default policy is bounded", () => {
    assert.ok(defaultRetryPolicy.retries >= 1 && defaultRetryPolicy.retries <= 10);
  });
});

describe("rate limit reservations", () => {
  const limit = { requestsPerSecond: 10, burst: 2 };
  test("a burst goes at once, then one slot per 100ms, queued in order", () => {
    let state = { tokens: 2, updatedAt: 0 };
    const waits: number[] = [];
    for (let i = 0; i < 5; i++) {
      const r = reserve(state, 0, limit);
      state = r.state;
      waits.push(r.waitMs);
    }
    assert.deepEqual(waits, [0, 0, 100, 200, 300]);
  });
  test("tokens come back with time, up to the burst", () => {
    const r = reserve({ tokens: 0, updatedAt: 0 }, 10_000, limit);
    assert.equal(r.waitMs, 0);
    assert.equal(r.state.tokens, 1);
  });
});
