// Two things read from the gateway's log: the fatal line of a refused start, named with the finding
// it is (token-invalid-value, ambiguous-auth-mode, no-token-configured, origin-not-allowed), and a
// limiter lockout: which origin, since when (the failure that reached the limit), until when
// (gateway.auth.rateLimit or the defaults).
import { describe, expect, it } from 'vitest';
import { CHECKS } from '../../src/checks/index.js';
import { findLockouts, otherLoopbackOrigin, rateLimitPolicy } from '../../src/checks/rate-limit-lockout.js';
import { startRefusal } from '../../src/checks/start-refusal.js';
import { viewOf } from '../../src/diagnosis/view.js';
import type { DiagnosisFacts } from '../../src/diagnosis/types.js';
import { emptyGatewayFacts } from '../../src/facts/config.js';
import type { LogHandshake } from '../../src/facts/types.js';
import { createFakeRateLimiter, rateLimitKey } from '../../src/demo/fake-rate-limiter.js';
import { diagnosisFacts, gatewayLog, loopbackTarget } from '../support/diagnosis-facts.js';

function facts(startBlocked: string | null): DiagnosisFacts {
  return diagnosisFacts({
    log: gatewayLog([], { startBlocked }),
    target: loopbackTarget(28789),
    bareProbe: { kind: 'refused' } as DiagnosisFacts['bareProbe'],
    container: null,
    composeCommand: null,
  });
}

const FATAL: Array<[string, string]> = [
  [
    'Gateway failed to start: Invalid config: gateway auth token is blank, a published example placeholder, or the literal string undefined/null. Generate a real secret (for example, `openssl rand -hex 32`) and update gateway.auth.token or its external source.',
    'token-invalid-value',
  ],
  [
    'Gateway failed to start: Invalid config: gateway.auth.token and gateway.auth.password are both configured, but gateway.auth.mode is unset. Set gateway.auth.mode to token or password.',
    'ambiguous-auth-mode',
  ],
  [
    'Gateway failed to start: Error: refusing to bind gateway to 0.0.0.0:18789 without auth (set gateway.auth.token/password, or set OPENCLAW_GATEWAY_TOKEN/OPENCLAW_GATEWAY_PASSWORD)',
    'no-token-configured',
  ],
  [
    'Gateway failed to start: Error: non-loopback Control UI requires gateway.controlUi.allowedOrigins (set explicit origins), or set gateway.controlUi.dangerouslyAllowHostHeaderOriginFallback=true',
    'origin-not-allowed',
  ],
];

describe('a refused start is named by its fatal line', () => {
  for (const [line, id] of FATAL) {
    it(id, () => {
      const view = viewOf(facts(line));
      expect(startRefusal(view)?.id).toBe(id);
      const check = CHECKS.find((c) => c.id === id)!;
      const [d] = check.detect(view);
      expect(d?.evidence).toContain(`log /tmp/gw.log: ${line}`);
      // Only that check cites it.
      for (const other of CHECKS.filter((c) => c.id !== id && c.id !== 'gateway-not-running')) {
        expect(
          other
            .detect(view)
            .flatMap((x) => x.evidence)
            .some((e) => e.includes(line)),
        ).toBe(false);
      }
    });
  }
  it('an unknown fatal line names no finding', () => {
    expect(startRefusal(viewOf(facts('Gateway failed to start: something else')))).toBeNull();
  });
});

const hs = (time: string, kind: LogHandshake['kind'], origin: string | null = 'http://localhost:18789'): LogHandshake => ({
  time,
  kind,
  client: 'openclaw-control-ui',
  clientMode: 'webchat',
  origin,
  remote: '127.0.0.1',
  reason: null,
  requestId: null,
});

describe('rate-limit lockouts from the log', () => {
  const policy = rateLimitPolicy({ ...emptyGatewayFacts(), rateLimit: { maxAttempts: 3, windowMs: null, lockoutMs: 120_000 } });
  const log = [
    hs('2026-11-30T06:00:00.000Z', 'token-mismatch'),
    hs('2026-11-30T06:00:01.000Z', 'token-mismatch'),
    hs('2026-11-30T06:00:02.000Z', 'token-mismatch'),
    hs('2026-11-30T06:00:03.000Z', 'rate-limited'),
    hs('2026-11-30T06:00:04.000Z', 'rate-limited'),
    hs('2026-11-30T06:00:05.000Z', 'token-mismatch', 'http://127.0.0.1:18789'),
  ];
  it('the lock starts at the failure that reached the limit and lasts lockoutMs', () => {
    const [l, ...rest] = findLockouts(log, null, policy, Date.parse('2026-11-30T06:01:00Z'));
    expect(rest).toEqual([]);
    expect(l).toMatchObject({ origin: 'http://localhost:18789', since: '2026-11-30T06:00:02.000Z', until: '2026-11-30T06:02:02.000Z', active: true, failuresBefore: 3, refusals: 2 });
    expect(policy).toEqual({ maxAttempts: 3, windowMs: 60_000, lockoutMs: 120_000, configured: true });
  });
  it('an ended lock is no longer active; a restart forgets it', () => {
    expect(findLockouts(log, null, policy, Date.parse('2026-11-30T06:03:00Z'))[0]?.active).toBe(false);
    expect(findLockouts(log, '2026-11-30T06:00:10.000Z', policy, Date.parse('2026-11-30T06:01:00Z'))).toEqual([]);
  });
  it('defaults: 10 in 60 s, 300 s', () => {
    expect(rateLimitPolicy(null)).toEqual({ maxAttempts: 10, windowMs: 60_000, lockoutMs: 300_000, configured: false });
  });
  it('the other loopback name', () => {
    expect(otherLoopbackOrigin('http://localhost:18789')).toBe('http://127.0.0.1:18789');
    expect(otherLoopbackOrigin('http://127.0.0.1:18789')).toBe('http://localhost:18789');
    expect(otherLoopbackOrigin('https://oc.example.com')).toBeNull();
  });
});

describe('the fake gateway limiter', () => {
  it('locks a browser origin after maxAttempts, exempts other loopback clients, unlocks after lockoutMs', () => {
    let t = 1_000_000;
    const lim = createFakeRateLimiter({ maxAttempts: 2, lockoutMs: 1000 }, () => t);
    const browser = rateLimitKey({ browser: true, origin: 'http://localhost:1', remote: '127.0.0.1', loopback: true });
    const cli = rateLimitKey({ browser: false, origin: null, remote: '127.0.0.1', loopback: true });
    expect(cli).toBeNull();
    for (let i = 0; i < 5; i++) lim.recordFailure(cli);
    expect(lim.retryAfterMs(cli)).toBe(0);
    lim.recordFailure(browser);
    expect(lim.retryAfterMs(browser)).toBe(0);
    lim.recordFailure(browser);
    expect(lim.retryAfterMs(browser)).toBe(1000);
    t += 500;
    lim.recordFailure(browser); // refusals while locked do not extend the lock
    expect(lim.retryAfterMs(browser)).toBe(500);
    t += 500;
    expect(lim.retryAfterMs(browser)).toBe(0);
  });
});
