/**
 * The verdict and the checks whose one condition decides an outcome: each test names the
 * behaviour a deliberate bug in that condition would break (issue 13's table of mutations).
 */
import { describe, expect, it } from 'vitest';
import { deriveFindings } from '../../src/checks/derive.js';
import { buildDiagnosisReport } from '../../src/diagnosis/report.js';
import type { DiagnosisFacts } from '../../src/diagnosis/types.js';
import { viewOf } from '../../src/diagnosis/view.js';
import { configFacts, diagnosisFacts, gatewayLog, handshake, probeResult, TOKEN_A, TOKEN_B, tokenSource } from '../support/diagnosis-facts.js';

function findingIds(f: DiagnosisFacts): string[] {
  return deriveFindings(viewOf(f)).map((x) => x.id);
}

function report(f: DiagnosisFacts) {
  const view = viewOf(f);
  const findings = deriveFindings(view);
  return buildDiagnosisReport(view, findings, [], '0.0.0-test');
}

describe('the healthy verdict', () => {
  const configToken = tokenSource('config', 'config', TOKEN_A);

  it('is not healthy without a hello-ok from the gateway, even with no error finding', () => {
    // A gateway that is still starting: only a warning, and nothing has accepted a token yet.
    const f = diagnosisFacts({ config: configFacts(), sources: [configToken], probes: new Map([['a', probeResult('starting')]]), accepted: new Map([['config', null]]) });
    const r = report(f);
    expect(r.findings.filter((x) => x.severity === 'error')).toEqual([]);
    expect(r.healthy).toBe(false);
  });

  it('is healthy when the gateway answered hello-ok to the config token and no error remains', () => {
    const f = diagnosisFacts({
      config: configFacts(),
      sources: [configToken],
      probes: new Map([['a', probeResult('hello-ok', { serverVersion: '2026.9.6' })]]),
      accepted: new Map([['config', true]]),
    });
    const r = report(f);
    expect(r.healthy).toBe(true);
    expect(r.gateway.version).toBe('2026.9.6');
  });

  it('is not healthy with a hello-ok while an error finding remains', () => {
    const f = diagnosisFacts({
      config: configFacts(),
      sources: [configToken],
      probes: new Map([['a', probeResult('hello-ok')]]),
      accepted: new Map([['config', true]]),
      log: gatewayLog([handshake('token-mismatch', { reason: 'token_mismatch' })]),
    });
    const r = report(f);
    expect(r.findings.map((x) => x.id)).toContain('client-token-mismatch');
    expect(r.healthy).toBe(false);
  });
});

describe("a client's latest log record", () => {
  const base = { config: configFacts(), sources: [tokenSource('config', 'config', TOKEN_A)], probes: new Map([['a', probeResult('hello-ok')]]), accepted: new Map([['config', true]]) };
  const failed = handshake('token-mismatch', { time: '2026-11-30T00:00:01.000Z', reason: 'token_mismatch' });

  it("a later 'connected' of the same client from the same address clears its earlier token failure", () => {
    // The gateway's connected line names no origin, its failure line does.
    const connected = handshake('connected', { time: '2026-11-30T00:00:02.000Z', origin: null });
    expect(findingIds(diagnosisFacts({ ...base, log: gatewayLog([failed, connected]) }))).not.toContain('client-token-mismatch');
    expect(findingIds(diagnosisFacts({ ...base, log: gatewayLog([failed]) }))).toContain('client-token-mismatch');
  });

  it("a 'connected' from another address does not clear the failure", () => {
    const elsewhere = handshake('connected', { time: '2026-11-30T00:00:02.000Z', origin: null, remote: '192.168.1.9' });
    expect(findingIds(diagnosisFacts({ ...base, log: gatewayLog([failed, elsewhere]) }))).toContain('client-token-mismatch');
  });

  it("a 'connected' does not clear an origin refusal", () => {
    const refused = handshake('origin-not-allowed', { time: '2026-11-30T00:00:01.000Z', origin: 'http://box.lan:18789' });
    const connected = handshake('connected', { time: '2026-11-30T00:00:02.000Z', origin: null });
    expect(findingIds(diagnosisFacts({ ...base, log: gatewayLog([refused, connected]) }))).toContain('origin-not-allowed');
  });
});

describe('gateway-rejects-config-token', () => {
  const rejected = { sources: [tokenSource('config', 'config', TOKEN_A)], probes: new Map([['a', probeResult('rejected', { reject: 'token-mismatch' })]]), accepted: new Map([['config', false]]) };

  it('is found on the gateway host when the live gateway rejects the config token', () => {
    expect(findingIds(diagnosisFacts({ ...rejected, config: configFacts() }))).toContain('gateway-rejects-config-token');
  });

  it('is not found on a remote-mode client: the config token is not what a remote gateway enforces', () => {
    const f = diagnosisFacts({ ...rejected, config: configFacts({ mode: 'remote', remoteUrl: 'ws://127.0.0.1:18789' }) });
    expect(viewOf(f).isGatewayHost).toBe(false);
    expect(findingIds(f)).not.toContain('gateway-rejects-config-token');
  });
});

describe("the credential the gateway's auth mode checks (view.authCredential)", () => {
  const password = (kind: 'config' | 'process-env', value: string) => tokenSource(kind === 'config' ? 'config:password' : 'env:password', kind, value, { credential: 'password' });
  const credential = (authMode: string | null, sources = [password('config', 'pw-' + TOKEN_B)]) => viewOf(diagnosisFacts({ config: configFacts({ authMode }), sources })).authCredential;

  it('gateway.auth.mode decides; unset, a password set in the config or the environment makes it password mode, as OpenClaw resolves it', () => {
    expect(credential('token')).toBe('token');
    expect(credential('password', [])).toBe('password');
    expect(credential('none')).toBeNull();
    expect(credential('trusted-proxy')).toBeNull();
    expect(credential(null)).toBe('password');
    expect(credential(null, [password('process-env', 'pw-' + TOKEN_B)])).toBe('password');
    // A blank password resolves to none: token mode.
    expect(credential(null, [password('config', '  ')])).toBe('token');
    expect(credential(null, [tokenSource('config', 'config', TOKEN_A)])).toBe('token');
  });

  it('token-invalid-value judges only that credential: a blank password in token mode is unused, in password mode it is the error', () => {
    const sources = [tokenSource('config', 'config', TOKEN_A), password('config', '')];
    const withMode = (authMode: string) =>
      findingIds(diagnosisFacts({ config: configFacts({ authMode }), sources: sources.map((s) => (s.value?.reveal() === '' ? { ...s, problems: ['empty' as const] } : s)) }));
    expect(withMode('token')).not.toContain('token-invalid-value');
    expect(withMode('password')).toContain('token-invalid-value');
  });
});
