// support's "What does the user see?": a pasted message is read as `explain` reads it, and the
// report quotes it with anything that can carry a secret removed.
import { describe, expect, it } from 'vitest';
import { quotePasted, readPasted } from '../../src/explain/pasted.js';
import { renderSupportReport, type SupportReportInput } from '../../src/render/report.js';

const TOKEN = 'a3f9c1d2e4b5a6978877665544332211aabbccdd';

describe('a pasted message in support', () => {
  it('is read like explain reads it', async () => {
    const p = await readPasted('disconnected (1008): unauthorized: gateway token mismatch (open the dashboard URL and paste the token in Control UI settings)');
    expect(p.answer.finding).toBe('client-token-mismatch');
    expect(p.quote).toBe('disconnected (1008): unauthorized: gateway token mismatch (open the dashboard URL and paste the token in Control UI settings)');
  });
  it('quotes it without secrets, escapes or line breaks', () => {
    const q = quotePasted(`\x1b[31mhttp://127.0.0.1:18789/#token=${TOKEN}\x1b[0m\nunauthorized: too many failed authentication attempts (retry later) password: hunter2x`);
    expect(q).not.toContain(TOKEN);
    expect(q).not.toContain('hunter2x');
    expect(q).not.toContain('\x1b');
    expect(q).toBe('http://127.0.0.1:18789/#token=<redacted> unauthorized: too many failed authentication attempts (retry later) password: <redacted>');
    expect(quotePasted(`Bearer ${TOKEN}`)).toBe('Bearer <redacted>');
  });
  it('the report quotes it under "What the user saw" with the finding explain names', async () => {
    const p = await readPasted('unauthorized: too many failed authentication attempts (retry later)');
    const input: SupportReportInput = {
      generatedAt: '2026-11-30T00:00:00Z',
      wizardVersion: '0.0.0',
      openclawVersion: null,
      platform: 'linux x64',
      node: 'v20',
      symptom: 'other',
      pasted: { quote: p.quote, finding: p.answer.finding },
      first: null,
      last: null,
      outcomes: [],
      changes: [],
      transcript: [],
      end: 'cancelled',
      durationMs: 0,
      debugLog: null,
    };
    const md = renderSupportReport(input);
    expect(md).toContain('- What the user saw (pasted):\n  > unauthorized: too many failed authentication attempts (retry later)\n  (explain: rate-limited)');
  });
});
