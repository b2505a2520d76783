/**
 * The fake gateway's login limiter, as OpenClaw 2026.9.6's auth-rate-limit.ts behaves: a key is
 * locked when its failures within windowMs reach maxAttempts; the lock starts at that failure,
 * lasts lockoutMs, and refusals while locked neither count nor extend it. Browsers on loopback are
 * keyed by their Origin and never exempt; other loopback clients (the CLI, the wizard's probe) are
 * exempt. The limiter lives in memory, so a restart clears it.
 */
export interface RateLimitOptions {
  maxAttempts?: number;
  windowMs?: number;
  lockoutMs?: number;
}

export interface FakeRateLimiter {
  /** Milliseconds until the key unlocks; 0 when it is not locked. */
  retryAfterMs(key: string | null): number;
  recordFailure(key: string | null): void;
}

/** The limiter key of a client: null when it is exempt. */
export function rateLimitKey(o: { browser: boolean; origin: string | null; remote: string; loopback: boolean }): string | null {
  if (o.browser && o.origin && o.loopback) return `browser-origin:${o.origin}`;
  return o.loopback ? null : `ip:${o.remote}`;
}

export function createFakeRateLimiter(opts: RateLimitOptions = {}, now: () => number = Date.now): FakeRateLimiter {
  const maxAttempts = opts.maxAttempts ?? 10;
  const windowMs = opts.windowMs ?? 60_000;
  const lockoutMs = opts.lockoutMs ?? 300_000;
  const entries = new Map<string, { attempts: number[]; lockedUntil: number | null }>();
  const refresh = (key: string) => {
    const e = entries.get(key) ?? { attempts: [], lockedUntil: null };
    const t = now();
    if (e.lockedUntil !== null && t >= e.lockedUntil) {
      e.lockedUntil = null;
      e.attempts = [];
    }
    e.attempts = e.attempts.filter((a) => a > t - windowMs);
    entries.set(key, e);
    return e;
  };
  return {
    retryAfterMs(key) {
      if (key === null) return 0;
      const e = refresh(key);
      return e.lockedUntil !== null ? e.lockedUntil - now() : 0;
    },
    recordFailure(key) {
      if (key === null) return;
      const e = refresh(key);
      if (e.lockedUntil !== null) return;
      e.attempts.push(now());
      if (e.attempts.length >= maxAttempts) e.lockedUntil = now() + lockoutMs;
    },
  };
}
