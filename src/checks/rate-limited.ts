/**
 * The gateway's limiter locked a client out after repeated failed logins. While locked, even the
 * right token is refused, so the diagnosis is unhealthy until the lock ends; the finding says which
 * origin (or address) is locked, since when, until when, and the ways out.
 */
import { defineCheck, type Detection } from './check.js';
import { clientEvidence, clientName } from './client-records.js';
import { findLockouts, otherLoopbackOrigin, rateLimitPolicy, type Lockout, type RateLimitPolicy } from './rate-limit-lockout.js';
import { restartCommands } from './words.js';
import type { DiagnosisView } from '../diagnosis/view.js';

function policyWords(p: RateLimitPolicy): string {
  const source = p.configured ? 'gateway.auth.rateLimit' : 'the defaults';
  return `${p.maxAttempts} failures in ${p.windowMs / 1000} s lock a client out for ${p.lockoutMs / 1000} s (${source})`;
}

function waysOut(view: DiagnosisView, l: Lockout): string[] {
  const other = l.origin ? otherLoopbackOrigin(l.origin) : null;
  return [
    `# close the tab or app that keeps retrying with an old token${l.until ? `, then wait until ${l.until}` : ''}`,
    ...(other ? [`# or open the Control UI under the other loopback name (its own bucket): ${other}/`] : []),
    '# or restart the gateway, which clears every lock:',
    ...restartCommands(view),
  ];
}

function detection(view: DiagnosisView, l: Lockout, p: RateLimitPolicy): Detection {
  const who = l.origin ? `Origin ${l.origin}` : `address ${l.remote ?? 'unknown'}`;
  const when = l.until ? `${l.active ? 'until' : 'ended at'} ${l.until}` : 'for as long as the lockout lasts';
  const detail =
    `The gateway has locked out ${who} since ${l.since}, ${when}: ${policyWords(p)}, and while locked even the right token is refused. ` +
    `${clientName(l.last)} was refused ${l.refusals} time${l.refusals === 1 ? '' : 's'} after ${l.failuresBefore} failed login${l.failuresBefore === 1 ? '' : 's'}.`;
  return {
    detail,
    evidence: [`locked: ${who}`, `since: ${l.since}`, `unlocks: ${l.until ?? 'unknown (the log time could not be read)'}`, `policy: ${policyWords(p)}`, ...clientEvidence(view, l.last)],
    advice: waysOut(view, l),
    ...(l.active ? {} : { severity: 'info' as const }),
  };
}

export const rateLimited = defineCheck({
  id: 'rate-limited',
  severity: 'error',
  title: 'The gateway is rate-limiting failed logins',
  fixes: [],
  detect(view) {
    const policy = rateLimitPolicy(view.facts.config?.gateway);
    const log = view.facts.log;
    const locks = findLockouts(log?.handshakes ?? [], log?.lastStartAt ?? null, policy, Date.now());
    if (locks.length) return locks.map((l) => detection(view, l, policy));
    const probe = view.probes.find((r) => r.reject === 'rate-limited');
    if (!probe) return [];
    return [
      {
        detail: `The gateway answered the wizard's probe "too many failed authentication attempts": ${policyWords(policy)}.`,
        evidence: [`probe: ${probe.closeReason ?? 'rate limited'}`, `policy: ${policyWords(policy)}`],
        advice: ['# stop the client that keeps retrying with an old token, then wait for the lockout to end', '# or restart the gateway, which clears every lock:', ...restartCommands(view)],
      },
    ];
  },
});
