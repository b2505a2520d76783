/**
 * `explain`: what a pasted OpenClaw auth message means, offline. Nothing from the message is
 * printed back (a paste can carry a token, e.g. a dashboard link with #token=): only the table's
 * own words and the finding's title from the check registry.
 */
import type { FindingId } from '../checks/index.js';
import { lookup, type Explanation } from './table.js';

export const EXPLAIN_SCHEMA = 'openclaw-token-wizard.explain/v1';

export interface ExplainAnswer {
  schema: typeof EXPLAIN_SCHEMA;
  recognised: boolean;
  finding: Explanation['finding'];
  /** The check's title, so `explain` and `diagnose` name the problem alike. */
  title: string | null;
  cause: string | null;
  fix: string[];
  confirm: string | null;
}

/**
 * The check's title, from the registry. Loading it costs explain 15-18 ms more than loading one
 * check module; a loader per check module made each check its own chunk of the bundle, which
 * `diagnose` (it needs every check) then opened one by one: 35 of its 83 files.
 */
async function titleOf(id: FindingId): Promise<string | null> {
  const { CHECKS } = await import('../checks/index.js');
  return CHECKS.find((c) => c.id === id)?.title ?? null;
}

export async function explainMessage(message: string): Promise<ExplainAnswer> {
  const e = lookup(message);
  if (!e) return { schema: EXPLAIN_SCHEMA, recognised: false, finding: null, title: null, cause: null, fix: [], confirm: null };
  const title = e.finding ? await titleOf(e.finding) : null;
  return { schema: EXPLAIN_SCHEMA, recognised: true, finding: e.finding, title, cause: e.cause, fix: [...e.fix], confirm: e.confirm };
}

/** The answer for a person: finding, cause, fix (one command a line), and the live check. */
export function formatExplanation(a: ExplainAnswer): string {
  if (!a.recognised)
    return [
      'Not an OpenClaw auth message the wizard knows.',
      'Paste the whole line (the Control UI card, the CLI error or the gateway log record), or run',
      '  openclaw-token-wizard diagnose',
      'which reads the gateway, its config and its log directly.',
      '',
    ].join('\n');
  const lines = [
    a.finding ? `Finding: ${a.finding}${a.title ? ` (${a.title})` : ''}` : "Finding: none of the wizard's checks covers this one",
    `Cause:   ${a.cause ?? ''}`,
    'Fix:',
    ...a.fix.map((f) => `  ${f}`),
    `Confirm: ${a.confirm ?? ''}`,
    '',
  ];
  return lines.join('\n');
}
