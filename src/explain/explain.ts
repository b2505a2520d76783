/**
 * `explain`: what a pasted OpenClaw auth message means, offline. Nothing from the message is
 * printed back (a paste can carry a token, e.g. a dashboard link with #token=): only the table's
 * own words and the finding's title from the check registry.
 */
import type { Check } from '../checks/check.js';
import type { FindingId } from '../checks/index.js';
import { CHECK_MODULES } from './check-modules.js';
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
 * The check's title. Each check lives in `src/checks/<id>.ts` (ARCHITECTURE.md), so only that one
 * module is loaded: the whole registry would cost more than the answer is allowed to take.
 */
async function titleOf(id: FindingId): Promise<string | null> {
  const mod = await CHECK_MODULES[id]();
  const check = Object.values(mod).find((v): v is Check => typeof v === 'object' && v !== null && (v as Check).id === id && typeof (v as Check).title === 'string');
  return check?.title ?? null;
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
