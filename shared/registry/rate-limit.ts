// A per-registry request rate limit: a token bucket of `burst` requests refilled at
// `requestsPerSecond`. Callers reserve a slot and wait for it; a reservation may drive
// the bucket below zero, which queues later callers behind it in arrival order.

export interface RateLimit {
  requestsPerSecond: number;
  /** Requests allowed at once before the rate applies; default 1. */
  burst?: number;
}

export interface BucketState {
  tokens: number;
  updatedAt: number;
}

/** Takes one token at `now`: the new state and how long the caller must wait first. */
export function reserve(
  state: BucketState,
  now: number,
  limit: RateLimit,
): { state: BucketState; waitMs: number } {
  const burst = Math.max(1, limit.burst ?? 1);
  const perMs = limit.requestsPerSecond / 1000;
  const elapsed = Math.max(0, now - state.updatedAt);
  const tokens = Math.min(burst, state.tokens + elapsed * perMs) - 1;
  const waitMs = tokens >= 0 ? 0 : Math.ceil(-tokens / perMs);
  return { state: { tokens, updatedAt: Math.max(now, state.updatedAt) }, waitMs };
}

export class RateLimiter {
  readonly #limit: RateLimit | undefined;
  #state: BucketState;
  readonly #now: () => number;

  constructor(limit: RateLimit | undefined, now: () => number = Date.now) {
    if (limit !== undefined && !(limit.requestsPerSecond > 0)) {
      throw new Error(`a rate limit needs requestsPerSecond > 0, not ${limit.requestsPerSecond}`);
    }
    this.#limit = limit;
    this.#now = now;
    this.#state = { tokens: Math.max(1, limit?.burst ?? 1), updatedAt: now() };
  }

  /** Resolves when the caller may send its next request. */
  async take(): Promise<void> {
    if (!this.#limit) return;
    const { state, waitMs } = reserve(this.#state, this.#now(), this.#limit);
    this.#state = state;
    if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs));
  }
}
