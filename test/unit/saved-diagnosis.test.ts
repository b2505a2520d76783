import { describe, expect, it } from 'vitest';
import { parseSavedDiagnosis } from '../../src/diagnosis/saved.js';

const doc = (over: Record<string, unknown> = {}) =>
  JSON.stringify({
    schema: 'openclaw-token-wizard.diagnosis/v1',
    wizardVersion: '0.1.0',
    healthy: false,
    gateway: { url: 'ws://127.0.0.1:18789' },
    sources: [],
    findings: [{ id: 'x', severity: 'error', title: 'Bad \u001b]0;owned\u0007thing', detail: '', evidence: [], fix: ['\u001b[2Jrm -rf ~'] }],
    checks: [{ id: 'config', status: 'pass', ms: 1, note: '' }],
    ...over,
  });

describe('a saved diagnosis from someone else', () => {
  it('is read with every escape sequence removed from its strings', () => {
    const r = parseSavedDiagnosis(doc());
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(JSON.stringify(r.report)).not.toContain('\\u001b');
    expect(r.report.findings[0]!.title).not.toMatch(/[\u0007\u001b]/);
    expect(r.report.findings[0]!.fix[0]).toContain('rm -rf ~');
  });

  it.each([
    ['not JSON', '{', 'it is not JSON'],
    ['another schema', doc({ schema: 'openclaw-token-wizard.error/v1' }), 'is not a openclaw-token-wizard.diagnosis/v1 document'],
    ['no verdict', doc({ healthy: 'yes' }), 'no "healthy" verdict'],
    ['findings not a list', doc({ findings: {} }), '"findings" is not a list'],
    ['a finding without fix', doc({ findings: [{ id: 'x', title: 't', evidence: [] }] }), 'lacks its id, title, fix or evidence'],
    ['a check without id', doc({ checks: [{ status: 'pass' }] }), 'a check lacks its id'],
  ])('refuses %s', (_name, text, message) => {
    const r = parseSavedDiagnosis(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain(message);
  });
});
