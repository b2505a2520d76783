/**
 * Presenting candidate tokens to the live gateway. In token mode a gateway accepts exactly one
 * shared secret, so the most likely source goes first and the others are sent only while none
 * has been accepted: a healthy gateway sees no failed login from the wizard, whatever stale values
 * sit in env files. (The probe itself caps failing attempts per remote gateway for the run.)
 */
import { FATAL_PROBLEMS } from '../hygiene.js';
import { probeGateway } from '../gateway/probe.js';
import type { ProbeResult } from '../gateway/types.js';
import type { Secret } from '../secret.js';
import type { CheckResult, TokenSource } from '../types.js';
import type { RefusalMemory } from './refusal-memory.js';
import type { GatewayTarget } from './types.js';
import { plural } from '../render/style.js';

const LOCAL_ORDER = ['config', 'process-env', 'dotenv', 'config-env', 'service', 'launchctl', 'compose', 'container', 'config-remote'];
// Remote mode presents what OpenClaw's clients present there, in their order.
const REMOTE_ORDER = ['config-remote', 'process-env', 'dotenv', 'config-env', 'config', 'service', 'launchctl', 'compose', 'container'];

/** A value worth presenting to the gateway: a token (never a password), readable, not one OpenClaw rejects outright. */
function isProbeable(s: TokenSource): s is TokenSource & { value: Secret } {
  return s.credential === 'token' && s.value !== null && !s.problems.some((p) => FATAL_PROBLEMS.has(p));
}

export class ProbeSession {
  readonly results = new Map<string, ProbeResult>();
  private readonly inFlight = new Map<string, Promise<ProbeResult>>();
  private acceptedFingerprint: string | null = null;

  constructor(
    private readonly target: GatewayTarget,
    private readonly timeoutMs: number,
    private readonly remoteMode: boolean,
    /** Refusals seen in the last minute by this gateway run: not sent again (see refusal-memory.ts). */
    private readonly memory: RefusalMemory | null = null,
  ) {}

  private probe(secret: Secret): Promise<ProbeResult> {
    const key = secret.fingerprint;
    const known = this.inFlight.get(key);
    if (known) return known;
    const p = (async () => {
      const token = secret.reveal().trim();
      const recalled = await this.memory?.recall(this.target.url, token);
      const r = recalled ?? (await probeGateway({ url: this.target.url, token, timeoutMs: Math.min(this.timeoutMs, 5000), allowInsecure: this.target.allowInsecureWs ?? false }));
      if (r.kind === 'hello-ok') this.acceptedFingerprint = key;
      else if (!recalled) await this.memory?.remember(this.target.url, token, r);
      this.results.set(key, r);
      return r;
    })();
    this.inFlight.set(key, p);
    return p;
  }

  /** Present the sources' distinct values, most likely first, until the gateway accepts one. */
  async present(sources: TokenSource[]): Promise<void> {
    const order = this.remoteMode || this.target.remote ? REMOTE_ORDER : LOCAL_ORDER;
    const rank = (s: TokenSource) => (order.includes(s.kind) ? order.indexOf(s.kind) : order.length);
    const list = sources.filter(isProbeable).sort((a, b) => rank(a) - rank(b));
    for (const s of list) {
      if (this.acceptedFingerprint) return;
      const r = await this.probe(s.value);
      // Only an auth refusal says "not this one, try the next": anything else (nothing listening,
      // starting, another protocol) is the same answer for every value.
      if (r.kind !== 'hello-ok' && r.kind !== 'rejected') return;
    }
  }
}

export function acceptedFrom(r: ProbeResult | undefined): boolean | null {
  if (!r) return null;
  if (r.kind === 'hello-ok') return true;
  if (r.kind === 'rejected' && (r.reject === 'token-mismatch' || r.reject === 'password-mismatch' || r.reject === 'token-missing')) return false;
  return null;
}

export function probeCheck(target: GatewayTarget, results: ProbeResult[], bare: ProbeResult | null, started: number): CheckResult {
  const all = bare ? [bare] : results;
  const ms = Math.round(Math.max(0, ...all.map((r) => r.ms)));
  if (!all.length) return { id: 'probe', status: 'skip', ms: Math.round(performance.now() - started), note: 'nothing to probe' };
  const ok = all.filter((r) => r.kind === 'hello-ok');
  if (ok.length)
    return { id: 'probe', status: 'pass', ms, note: `${target.url}: hello-ok from ${ok[0]!.serverVersion ?? 'gateway'} (${ok.length} of ${plural(all.length, 'candidate token')} accepted)` };
  const first = all[0]!;
  const earlier = first.remembered ? ` at ${first.remembered.at}; not sent again: this gateway run refused it under a minute ago, and OpenClaw slows every failed login` : '';
  if (bare && first.kind === 'rejected') {
    // Without any token to present, a rejection only proves the gateway is there.
    return { id: 'probe', status: 'warn', ms, note: `${target.url}: a gateway answers, but no token was found to present (it said: ${first.closeReason ?? first.reject ?? 'rejected'})` };
  }
  const what = first.closeCode ? `closed ${first.closeCode}${first.closeReason ? `: ${first.closeReason}` : ''}` : (first.note ?? first.kind);
  return { id: 'probe', status: 'fail', ms, note: `${target.url}: ${first.kind} (${what})${earlier}` };
}
