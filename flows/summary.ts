/**
 * How a run ends on screen: the journal line, what failed, what changed (with backups), the plan of
 * a dry run, what is still to do, and the closing line, all from what the run observed.
 */
import { stepById } from '../src/checks/index.js';
import { OPEN_CONTROL_UI } from '../src/checks/words.js';
import type { JournalWriter } from '../src/actions/journal.js';
import type { Change } from '../src/actions/types.js';
import type { DiagnosisReport } from '../src/diagnosis/types.js';
import type { DiagnosisView } from '../src/diagnosis/view.js';
import type { Prompter } from '../src/prompter.js';
import type { StepOutcome } from './shared.js';
import type { RunEnd } from './verdict.js';

/** What the ending reads of a run (the runtime's FlowSession is one). */
export interface EndingSession {
  readonly prompter: Prompter;
  readonly changes: Change[];
  readonly opts: { dryRun: boolean };
  readonly last: DiagnosisReport | null;
  /** When the last diagnosis started reading the machine (ms since the epoch); null before the first. */
  readonly lastDiagnosedAt: number | null;
  readonly view: DiagnosisView | null;
  readonly journal: Pick<JournalWriter, 'flush' | 'error'>;
  redact(text: string): string;
  controlUiConnected(): boolean;
}

/**
 * Whether a change was made after the last diagnosis began: a run stopped while waiting after a
 * change (Ctrl-C during a restart) has not diagnosed since, so its "still to do" may be out of date.
 */
export function changedSinceDiagnosis(lastDiagnosedAt: number | null, changes: readonly Change[]): boolean {
  return lastDiagnosedAt !== null && changes.some((c) => Date.parse(c.at) >= lastDiagnosedAt);
}

export async function flushJournal(session: EndingSession, end: string): Promise<void> {
  const path = await session.journal.flush(end);
  if (session.journal.error) session.prompter.warn(`Could not write the undo journal: ${session.redact(session.journal.error.message)}; the backups are listed below`);
  else if (path) session.prompter.info(`Journal of this run (for undo): ${path}`);
}

/** Steps that ran and failed (not the ones the person declined or stopped): listed as failures, with the reason. */
export function failedSteps(outcomes: readonly StepOutcome[]): string[] {
  return outcomes.filter((o) => !o.ok && o.message !== 'declined' && o.message !== 'cancelled').map((o) => `• ${stepById(o.step).title}: ${o.message}`);
}

export function summarize(session: EndingSession, end: RunEnd | 'paused', outcomes: readonly StepOutcome[]): void {
  const p = session.prompter;
  const failed = failedSteps(outcomes);
  if (failed.length) p.note(failed.join('\n'), 'Failed');
  if (session.changes.length) {
    p.note(
      session.changes.map((c) => `• ${c.what}${c.backups.length ? `\n  backup: ${c.backups.join(', ')}` : ''}`).join('\n'),
      end === 'cancelled' ? 'Already changed before you stopped' : 'Changed',
    );
  } else if (end === 'cancelled') {
    p.info('Nothing was changed.');
  }
  if (session.opts.dryRun) {
    const cmds = session.prompter.transcript.filter((t) => t.kind === 'command').map((t) => t.text);
    p.note(cmds.length ? cmds.map((c, i) => `${i + 1}. ${c}`).join('\n') : 'Nothing to do.', 'Plan (dry run: nothing was changed)');
  }
  const remaining = session.last?.findings ?? [];
  if (end !== 'connected' && end !== 'ready' && end !== 'ui-not-connected' && remaining.length) {
    // The change may have settled some of these, so say where the list comes from.
    const stale = changedSinceDiagnosis(session.lastDiagnosedAt, session.changes);
    p.note(remaining.map((f) => `${f.severity === 'error' ? '■' : '▲'} ${f.title}\n${f.fix.map((c) => `  $ ${c}`).join('\n')}`).join('\n'), stale ? 'Still to do, as last diagnosed' : 'Still to do');
    if (stale) p.info('That diagnosis came before the latest change, which may have settled some of it: openclaw-token-wizard diagnose shows where things stand now.');
  }
  if ((end === 'connected' || end === 'ready') && session.view) {
    const t = session.view.tokenForClients;
    // A Control UI already seen connecting needs no advice to open one; other browsers use the same command.
    if (t)
      p.info(`Clients use the token ${t.describe()}.${session.controlUiConnected() ? ' Another browser or device: openclaw-token-wizard open' : ` Open the Control UI with it: ${OPEN_CONTROL_UI}`}`);
  }
}

export function outroLine(end: RunEnd, session: EndingSession): string {
  switch (end) {
    case 'ui-not-connected':
      return `Gateway ready; the Control UI has not connected yet. Next: open it with the token: ${OPEN_CONTROL_UI}`;
    case 'connected':
      return 'Connected: the gateway accepts the token and no client reports a failure.';
    case 'ready':
      return 'Ready: the gateway runs with a saved token and the Control UI has it.';
    case 'cancelled':
      return 'Cancelled. Nothing else was changed.';
    case 'openclaw-missing':
      return 'Install OpenClaw first, then run openclaw-token-wizard setup again.';
    default:
      return session.last?.healthy ? 'The gateway is healthy.' : 'Not fixed yet: the remaining steps are listed above.';
  }
}
