import { describe, expect, it } from 'vitest';
import { anonymizeReport, diagnosisPathBeside, nextStep, renderSupportReport, type SupportReportInput } from '../../src/render/report.js';
import type { DiagnosisReport } from '../../src/diagnosis/types.js';

const diag = (findings: DiagnosisReport['findings']): DiagnosisReport => ({
  schema: 'openclaw-token-wizard.diagnosis/v1',
  wizardVersion: '0.1.0',
  healthy: !findings.length,
  gateway: { url: 'ws://127.0.0.1:1', port: 1, portSource: 'default', configPath: null, mode: null, bind: null, authMode: null, reachable: true, version: null, acceptedSource: null },
  sources: [],
  findings,
  checks: [{ id: 'probe', status: 'pass', ms: 3, note: 'ok' }],
});
const err = { id: 'gateway-not-running', severity: 'error' as const, title: 'No gateway', detail: '', evidence: [], fix: ['openclaw gateway start'] };
const input = (over: Partial<SupportReportInput> = {}): SupportReportInput => ({
  generatedAt: '2026-01-01T00:00:00.000Z',
  wizardVersion: '0.1.0',
  openclawVersion: null,
  platform: 'linux x64',
  node: 'v20',
  symptom: null,
  first: null,
  last: diag([err]),
  outcomes: [],
  changes: [],
  transcript: [{ at: '2026-01-01T00:00:00.000Z', kind: 'info', text: 'a ``` fence' }],
  end: 'stuck',
  durationMs: 1000,
  ...over,
});

describe('the support report', () => {
  it('says what to do next for each way a session ends', () => {
    expect(nextStep(input({ end: 'connected', last: diag([]) }))).toMatch(/^nothing/);
    expect(nextStep(input())).toContain('Start with "No gateway": `openclaw gateway start`');
    expect(nextStep(input({ end: 'paused' }))).toContain('--resume');
    expect(nextStep(input({ end: 'failed' }))).toContain('--debug');
    const change = { at: '', what: 'x', commands: [], files: [], backups: [] };
    expect(nextStep(input({ end: 'cancelled', changes: [change] }))).toContain('openclaw-token-wizard undo');
    expect(nextStep(input({ end: 'cancelled' }))).not.toContain('undo');
  });

  it('collapses the checks, the transcript and the debug log; nothing inside closes a fence', () => {
    const md = renderSupportReport(input({ debugLog: { path: '/s/otw-logs/debug.log', text: 'check probe pass 3 ms\n```\n' } }));
    expect(md).toContain('## Checks (last run)\n\n<details><summary>1 check</summary>\n\n| check |');
    expect(md).toContain('## Session transcript\n\n<details><summary>1 line</summary>\n\n```\n');
    expect(md).toContain("a ''' fence");
    expect(md).toContain('## Debug log\n\n<details><summary>/s/otw-logs/debug.log</summary>');
    expect(md.split('```').length % 2).toBe(1); // fences pair up
    expect(md).toContain('- Next: work through');
  });

  it('puts the diagnosis JSON beside the Markdown', () => {
    expect(diagnosisPathBeside('/t/ticket.md')).toBe('/t/ticket.diagnosis.json');
    expect(diagnosisPathBeside('/t/ticket')).toBe('/t/ticket.diagnosis.json');
  });

  it('"What the user saw" quotes the message the user picked, never the internal scenario name', () => {
    const md = renderSupportReport(input({ symptom: 'token-missing' }));
    expect(md).toContain('- What the user saw: “disconnected (1008): unauthorized: gateway token missing”');
    expect(md).not.toMatch(/What the user saw: token-missing/);
    expect(renderSupportReport(input({ symptom: 'token-mismatch' }))).toContain('- What the user saw: “unauthorized: gateway token mismatch”');
    expect(renderSupportReport(input({ symptom: 'unknown' }))).toContain('- What the user saw: not sure which message');
  });

  it('anonymizeReport: the home directory becomes ~ and the login name <user>, whole words and segments only', () => {
    const text = 'config `/home/ana/.openclaw/openclaw.json`; /home/anabel/x stays; ps: ana 4242 openclaw-gateway; banana; ana.';
    expect(anonymizeReport(text, { home: '/home/ana', users: ['ana'] })).toBe('config `~/.openclaw/openclaw.json`; /home/anabel/x stays; ps: <user> 4242 openclaw-gateway; banana; <user>.');
    // A home given with a trailing slash, and no user name known.
    expect(anonymizeReport('/home/ana/.openclaw', { home: '/home/ana/', users: [] })).toBe('~/.openclaw');
  });
});
