/**
 * The wording points of the terminal-conventions issue: counts read as English ("1 problem"), one
 * spelling of "cancelled" everywhere, and no advice to open a Control UI that was seen connecting.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { summarize, type EndingSession } from '../../flows/summary.js';
import { createPrompter } from '../../src/prompter.js';
import { plural } from '../../src/render/style.js';
import type { DiagnosisReport } from '../../src/diagnosis/types.js';
import type { DiagnosisView } from '../../src/diagnosis/view.js';
import { REPO } from '../support/cli.js';

const sources = (dir: string): string[] =>
  readdirSync(join(REPO, dir), { recursive: true, withFileTypes: true })
    .filter((f) => f.isFile() && f.name.endsWith('.ts'))
    .map((f) => join(f.parentPath, f.name));

function ending(connected: boolean): string[] {
  const prompter = createPrompter({ yes: true, tty: false, output: new PassThrough() });
  const session: EndingSession = {
    prompter,
    changes: [],
    opts: { dryRun: false },
    last: { findings: [] } as unknown as DiagnosisReport,
    lastDiagnosedAt: null,
    view: { tokenForClients: { describe: () => 'sha256:12345678 (48 chars)' } } as unknown as DiagnosisView,
    journal: { flush: async () => null, error: null },
    redact: (t) => t,
    controlUiConnected: () => connected,
  };
  summarize(session, 'connected', []);
  return prompter.transcript.map((t) => t.text);
}

describe('wording', () => {
  it('counts: "1 problem", "2 problems", never "problem(s)"', () => {
    expect(plural(1, 'problem')).toBe('1 problem');
    expect(plural(2, 'problem')).toBe('2 problems');
    expect(plural(0, 'problem')).toBe('0 problems');
    for (const f of [...sources('src'), ...sources('flows')]) expect(readFileSync(f, 'utf8'), f).not.toMatch(/\b(problem|finding|file|step|change|token|source|process|client)\(s\)/);
  });

  it('one spelling: "cancelled", never "canceled", in every message', () => {
    const files = [...sources('src'), ...sources('flows')];
    expect(files.length).toBeGreaterThan(50);
    for (const f of files) expect(readFileSync(f, 'utf8'), f).not.toMatch(/\bcanceled\b/i);
  });

  it('a run stopped after a change it has not diagnosed since says its "still to do" list is from before that change', () => {
    const stopped = (changedAt: number): string => {
      const prompter = createPrompter({ yes: true, tty: false, output: new PassThrough() });
      const finding = { id: 'multiple-gateways', severity: 'error', title: 'Another gateway is running', fix: ['kill 4242'] };
      summarize(
        {
          prompter,
          changes: [{ at: new Date(changedAt).toISOString(), what: 'stopped pid 4242', commands: [], files: [], backups: [] }],
          opts: { dryRun: false },
          last: { findings: [finding] } as unknown as DiagnosisReport,
          lastDiagnosedAt: 1_000_000,
          view: null,
          journal: { flush: async () => null, error: null },
          redact: (t) => t,
          controlUiConnected: () => false,
        },
        'cancelled',
        [],
      );
      return prompter.transcript.map((t) => t.text).join('\n');
    };
    const after = stopped(1_000_500);
    expect(after).toContain('Still to do, as last diagnosed: ■ Another gateway is running');
    expect(after).toContain('openclaw-token-wizard diagnose shows where things stand now');
    const before = stopped(999_000);
    expect(before).toContain('Still to do: ■ Another gateway is running');
    expect(before).not.toContain('as last diagnosed');
  });

  it('after a Control UI was seen connecting, the ending does not say to open the Control UI; before, it does', () => {
    const seen = ending(true).join('\n');
    expect(seen).toContain('Clients use the token sha256:12345678 (48 chars).');
    expect(seen).not.toContain('Open the Control UI with it');
    expect(seen).toContain('Another browser or device: openclaw-token-wizard open');
    expect(ending(false).join('\n')).toContain('Open the Control UI with it');
  });
});
