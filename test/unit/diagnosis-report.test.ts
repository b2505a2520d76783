/**
 * The `diagnose --json` document field by field: where each value comes from, and what it says
 * when the diagnosis never learned it (null, never a guess).
 */
import { describe, expect, it } from 'vitest';
import { buildDiagnosisReport } from '../../src/diagnosis/report.js';
import type { DiagnosisFacts } from '../../src/diagnosis/types.js';
import { viewOf } from '../../src/diagnosis/view.js';
import type { OpenClawPaths } from '../../src/facts/types.js';
import { fingerprintOf } from '../../src/secret.js';
import type { Finding } from '../../src/types.js';
import { configFacts, diagnosisFacts, probeResult, TOKEN_A, TOKEN_B, tokenSource } from '../support/diagnosis-facts.js';

function documentOf(f: DiagnosisFacts, findings: Finding[] = []) {
  return buildDiagnosisReport(viewOf(f), findings, [], '0.0.0-test');
}

const paths: OpenClawPaths = {
  home: '/home/u',
  homeSource: 'HOME',
  stateDir: '/home/u/.openclaw-dev',
  stateDirSource: 'profile',
  configPath: '/home/u/.openclaw-dev/openclaw.json',
  configPathSource: 'profile',
  profile: 'dev',
  profileSource: 'flag',
  legacy: false,
};

function finding(severity: Finding['severity']): Finding {
  return { id: `some-${severity}`, severity, title: 't', detail: 'd', evidence: [], fix: [] };
}

describe('the diagnose --json document', () => {
  it('names the config read, or else the config path the paths point at, or null', () => {
    expect(documentOf(diagnosisFacts({ config: configFacts({}, { path: '/etc/oc.json' }), paths })).gateway.configPath).toBe('/etc/oc.json');
    expect(documentOf(diagnosisFacts({ config: null, paths })).gateway.configPath).toBe('/home/u/.openclaw-dev/openclaw.json');
    expect(documentOf(diagnosisFacts({ config: null, paths: null })).gateway.configPath).toBeNull();
  });

  it("reports the config's mode, bind and auth mode, and null for each without a config", () => {
    const withConfig = documentOf(diagnosisFacts({ config: configFacts({ mode: 'remote', bind: 'lan', authMode: 'password' }) })).gateway;
    expect([withConfig.mode, withConfig.bind, withConfig.authMode]).toEqual(['remote', 'lan', 'password']);
    const without = documentOf(diagnosisFacts({ config: null })).gateway;
    expect([without.mode, without.bind, without.authMode]).toEqual([null, null, null]);
  });

  it('is reachable when a probe reached the gateway or its health endpoint answered ok, and only then', () => {
    const probed = new Map([['a', probeResult('hello-ok')]]);
    const refused = new Map([['a', probeResult('refused')]]);
    const healthy = { ok: true, status: 200, body: null, ms: 1, note: null };
    const sick = { ...healthy, ok: false, status: 503 };
    expect(documentOf(diagnosisFacts({ probes: probed })).gateway.reachable).toBe(true);
    expect(documentOf(diagnosisFacts({ probes: probed, health: sick })).gateway.reachable).toBe(true);
    expect(documentOf(diagnosisFacts({ probes: refused, health: healthy })).gateway.reachable).toBe(true);
    expect(documentOf(diagnosisFacts({ probes: refused, health: sick })).gateway.reachable).toBe(false);
    expect(documentOf(diagnosisFacts({ probes: refused, health: null })).gateway.reachable).toBe(false);
  });

  it('lists every source with fingerprint, length and whether the gateway accepted it; never the raw token', () => {
    const f = diagnosisFacts({
      config: configFacts(),
      sources: [
        tokenSource('config', 'config', TOKEN_A),
        tokenSource('env', 'process-env', TOKEN_B, { problems: ['whitespace'] }),
        tokenSource('file', 'dotenv', null),
        tokenSource('untested', 'dotenv', 'c'.repeat(40)),
      ],
      accepted: new Map([
        ['config', true],
        ['env', false],
      ]),
    });
    const doc = documentOf(f);
    expect(doc.sources).toEqual([
      { id: 'config', kind: 'config', label: 'config label', fingerprint: fingerprintOf(TOKEN_A), length: 48, accepted: true, problems: [] },
      { id: 'env', kind: 'process-env', label: 'env label', fingerprint: fingerprintOf(TOKEN_B), length: 48, accepted: false, problems: ['whitespace'] },
      { id: 'file', kind: 'dotenv', label: 'file label', fingerprint: null, length: null, accepted: null, problems: [] },
      { id: 'untested', kind: 'dotenv', label: 'untested label', fingerprint: fingerprintOf('c'.repeat(40)), length: 40, accepted: null, problems: [] },
    ]);
    expect(JSON.stringify(doc)).not.toContain(TOKEN_A);
  });

  it('names the source the gateway accepted, or null when none was', () => {
    const base = { config: configFacts(), sources: [tokenSource('config', 'config', TOKEN_A)], probes: new Map([['a', probeResult('hello-ok')]]) };
    expect(documentOf(diagnosisFacts({ ...base, accepted: new Map([['config', true]]) })).gateway.acceptedSource).toBe('config');
    expect(documentOf(diagnosisFacts({ ...base, accepted: new Map([['config', false]]) })).gateway.acceptedSource).toBeNull();
  });

  it('stays healthy with warnings and information: only an error finding (or no hello-ok) takes it away', () => {
    const f = diagnosisFacts({ probes: new Map([['a', probeResult('hello-ok')]]) });
    expect(documentOf(f, [finding('warning'), finding('info')]).healthy).toBe(true);
    expect(documentOf(f, [finding('warning'), finding('error')]).healthy).toBe(false);
    expect(documentOf(diagnosisFacts({ probes: new Map([['a', probeResult('refused')]]) }), [finding('warning')]).healthy).toBe(false);
  });
});
