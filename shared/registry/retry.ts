// When to repeat a registry request: 429 and 5xx answers (except those that cannot
// change, 501 and 505) and network failures, after the server's Retry-After or an
// exponential backoff with jitter, a bounded number of times. The decision is pure so
// it can be table-tested; the client does the waiting.

export interface RetryPolicy {
  /** Repeats after the first attempt. */
  retries: number;
  baseDelayMs: number;
  /** Cap of the computed backoff. */
  maxDelayMs: number;
  /** A longer Retry-After is not waited out: the request fails and says so. */
  maxRetryAfterMs: number;
}

export const defaultRetryPolicy: RetryPolicy = {
  retries: 4,
  baseDelayMs: 250,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 60_000,
};

export function isRetryableStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status <= 599 && status !== 501 && status !== 505);
}

/** Retry-After in milliseconds from now: delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

export interface RetryInput {
  /** 0 for the first attempt. */
  attempt: number;
  /** The answer's status; undefined for a network failure. */
  status?: number;
  retryAfter?: string | null | undefined;
  now: number;
  /** In [0, 1); injected so tests are deterministic. */
  random: number;
  policy: RetryPolicy;
}

export type RetryDecision = { retry: true; delayMs: number } | { retry: false; reason: string };

export function decideRetry(input: RetryInput): RetryDecision {
  const { attempt, status, policy } = input;
  if (status !== undefined && !isRetryableStatus(status)) {
    return { retry: false, reason: `status ${status} is not retried` };
  }
  if (attempt >= policy.retries) {
    return { retry: false, reason: `gave up after ${attempt + 1} attempts` };
  }
  const asked = parseRetryAfter(input.retryAfter, input.now);
  if (asked !== undefined) {
    if (asked > policy.maxRetryAfterMs) {
      return {
        retry: false,
        reason: `the registry asked to retry after ${Math.ceil(asked / 1000)}s, longer than the ${Math.ceil(policy.maxRetryAfterMs / 1000)}s Tether waits`,
      };
    }
    return { retry: true, delayMs: asked };
  }
  // "Equal jitter": half the exponential delay fixed, half random, so concurrent
  // clients spread out but every wait still grows.
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return { retry: true, delayMs: Math.round(exp / 2 + (exp / 2) * input.random) };
}
