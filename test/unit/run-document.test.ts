/**
 * The --json run document says where its `remaining` list comes from: the last diagnosis, and
 * whether a change was made after it (a run stopped during a restart has not diagnosed since), as
 * the human ending does with "Still to do, as last diagnosed".
 */
import { describe, expect, it } from 'vitest';
import { buildRunDocument, type RunDocumentInput } from '../../flows/run-document.js';
import type { DiagnosisReport } from '../../src/diagnosis/types.js';

const DIAGNOSED_AT = Date.parse('2026-11-30T10:00:00.000Z');
const finding = { id: 'multiple-gateways', severity: 'error', title: 'Another gateway is running', fix: ['kill 4242'] };
const last = { healthy: false, gateway: { url: 'ws://127.0.0.1:18789', acceptedSource: null }, findings: [finding] } as unknown as DiagnosisReport;

function documentWith(changedAt: number | null, lastDiagnosedAt: number | null = DIAGNOSED_AT) {
  const input: RunDocumentInput = {
    flow: 'recovery',
    dryRun: false,
    outcome: 'cancelled',
    exitCode: 130,
    outcomes: [],
    plans: new Map(),
    changes: changedAt === null ? [] : [{ at: new Date(changedAt).toISOString(), what: 'stopped pid 4242', commands: [], files: [], backups: [] }],
    first: last,
    last: lastDiagnosedAt === null ? null : last,
    lastDiagnosedAt,
    journal: null,
    undoFrom: {},
    plan: [],
  };
  return buildRunDocument(input);
}

describe('run document: remaining, as of the last diagnosis', () => {
  it('a change after the last diagnosis marks remaining stale, with the diagnosis time', () => {
    const doc = documentWith(DIAGNOSED_AT + 500);
    expect(doc.remaining.map((f) => f.id)).toEqual(['multiple-gateways']);
    expect(doc.remainingAsOf).toBe('2026-11-30T10:00:00.000Z');
    expect(doc.remainingStale).toBe(true);
  });

  it('changes before the last diagnosis, or none, leave it current', () => {
    expect(documentWith(DIAGNOSED_AT - 500)).toMatchObject({ remainingAsOf: '2026-11-30T10:00:00.000Z', remainingStale: false });
    expect(documentWith(null)).toMatchObject({ remainingAsOf: '2026-11-30T10:00:00.000Z', remainingStale: false });
  });

  it('no diagnosis: nothing remaining, no time, not stale', () => {
    expect(documentWith(DIAGNOSED_AT, null)).toMatchObject({ remaining: [], remainingAsOf: null, remainingStale: false });
  });
});
