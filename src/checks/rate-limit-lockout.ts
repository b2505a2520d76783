/**
 * Which clients the gateway's limiter has locked out, read from its log. OpenClaw's limiter
 * (auth-rate-limit.ts) locks a key when its failures in the window reach maxAttempts: the lock
 * starts at that failure and lasts lockoutMs; refusals while locked do not extend it, and a restart
 * clears it (the limiter lives in memory). Browsers on loopback are keyed by their Origin, other
 * clients by their address.
 */
import type { GatewayConfigFacts, LogHandshake } from '../facts/types.js';

export const RATE_LIMIT_DEFAULTS = { maxAttempts: 10, windowMs: 60_000, lockoutMs: 300_000 } as const;

export interface RateLimitPolicy {
  maxAttempts: number;
  windowMs: number;
  lockoutMs: number;
  /** Which values came from `gateway.auth.rateLimit` rather than the defaults. */
  configured: boolean;
}

export function rateLimitPolicy(g: GatewayConfigFacts | null | undefined): RateLimitPolicy {
  const c = g?.rateLimit;
  return {
    maxAttempts: c?.maxAttempts ?? RATE_LIMIT_DEFAULTS.maxAttempts,
    windowMs: c?.windowMs ?? RATE_LIMIT_DEFAULTS.windowMs,
    lockoutMs: c?.lockoutMs ?? RATE_LIMIT_DEFAULTS.lockoutMs,
    configured: !!c && (c.maxAttempts !== null || c.windowMs !== null || c.lockoutMs !== null),
  };
}

export interface Lockout {
  /** The locked Origin (a browser), else null. */
  origin: string | null;
  /** The client's address. */
  remote: string | null;
  client: string | null;
  /** When the lock started: the failure that reached the limit, else the first refusal seen. */
  since: string;
  /** since + lockoutMs, when `since` is a time; null when the log's time cannot be read. */
  until: string | null;
  /** Whether `until` is still ahead of `now` (true when unknown). */
  active: boolean;
  /** Failed logins from this key before the lock, and refusals while locked. */
  failuresBefore: number;
  refusals: number;
  /** The newest refusal, as the log has it. */
  last: LogHandshake;
}

const FAILURES = new Set<LogHandshake['kind']>(['token-mismatch', 'token-missing', 'password-mismatch', 'password-missing', 'device-token-mismatch', 'other-unauthorized']);

function keyOf(h: LogHandshake): string {
  return h.origin ? `origin:${h.origin}` : `remote:${h.remote ?? '?'}`;
}

function plus(time: string, ms: number): string | null {
  const t = Date.parse(time);
  return Number.isFinite(t) ? new Date(t + ms).toISOString() : null;
}

/**
 * One lockout per locked key (the newest), from the records since the gateway's last start
 * (`handshakes` oldest first); our own probes are not counted.
 */
export function findLockouts(handshakes: readonly LogHandshake[], lastStartAt: string | null, policy: RateLimitPolicy, now: number): Lockout[] {
  const failures = new Map<string, LogHandshake[]>();
  const locks = new Map<string, Lockout>();
  for (const h of handshakes) {
    if (h.client === 'openclaw-probe') continue;
    if (lastStartAt && h.time && h.time < lastStartAt) continue;
    const key = keyOf(h);
    if (FAILURES.has(h.kind)) {
      const list = failures.get(key) ?? [];
      list.push(h);
      failures.set(key, list);
      continue;
    }
    if (h.kind !== 'rate-limited') continue;
    const current = locks.get(key);
    if (current && (current.until === null || h.time <= current.until)) {
      current.refusals++;
      current.last = h;
      continue;
    }
    const before = failures.get(key) ?? [];
    const trigger = before.at(-1);
    const since = trigger?.time || h.time;
    const until = plus(since, policy.lockoutMs);
    locks.set(key, { origin: h.origin, remote: h.remote, client: h.client, since, until, active: true, failuresBefore: before.length, refusals: 1, last: h });
    failures.set(key, []);
  }
  return [...locks.values()].map((l) => ({ ...l, active: l.until === null || Date.parse(l.until) > now }));
}

/** `http://127.0.0.1:P` ⇄ `http://localhost:P`: the other loopback name has its own bucket. */
export function otherLoopbackOrigin(origin: string): string | null {
  let u: URL;
  try {
    u = new URL(origin);
  } catch {
    return null;
  }
  const host = u.hostname;
  const other = host === 'localhost' ? '127.0.0.1' : host === '127.0.0.1' || host === '[::1]' ? 'localhost' : null;
  if (!other) return null;
  return `${u.protocol}//${other}${u.port ? `:${u.port}` : ''}`;
}
