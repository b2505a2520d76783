/**
 * The `--json` result of a flow run (`fix`, `setup`, `rotate`, `support`, `demo`): one document on
 * stdout when the run ends, built only from what the run observed: each step and its result,
 * each change with its backups, the journal and the command that undoes the run, what is still to
 * do, and the exit code. Tokens appear only as fingerprints: the whole document goes through the
 * run's redactor before it is printed.
 */
import { dueSteps } from '../src/checks/derive.js';
import { STEP_IDS, stepById, type StepId } from '../src/checks/index.js';
import type { Change } from '../src/actions/types.js';
import type { DiagnosisReport } from '../src/diagnosis/types.js';
import { undoCommand } from '../src/actions/journal.js';
import { WIZARD_VERSION } from '../src/version.js';
import type { StepOutcome } from './shared.js';
import { changedSinceDiagnosis } from './summary.js';

export const FLOW_RUN_SCHEMA = 'openclaw-token-wizard.run/v1';

/**
 * What became of one step:
 * - `verified`: applied, and the diagnosis after it showed the step's proof;
 * - `not-confirmed`: applied, but the diagnosis after it did not show the proof (`observed` says what it saw);
 * - `applied`: applied, and no diagnosis followed (the run ended first);
 * - `planned`: a dry run: shown, not run;
 * - `waiting`: the person must act outside the wizard (a manual restart): the run paused;
 * - `failed`: the step ran and failed (`reason`);
 * - `declined`: the person (or a missing terminal, or an explicit question under --yes) said no;
 * - `cancelled`: Esc / Ctrl-C at this step;
 * - `skipped`: the first diagnosis asked for it, but it was not run (`reason`: no longer needed, or not reached).
 */
export type StepResultKind = 'verified' | 'not-confirmed' | 'applied' | 'planned' | 'waiting' | 'failed' | 'declined' | 'cancelled' | 'skipped';

export interface FlowRunStep {
  step: StepId;
  title: string;
  result: StepResultKind;
  /** What the step itself reported when it ran (null: it did not run). */
  message: string | null;
  /** Why it failed, waits for you, or was skipped; null otherwise. */
  reason: string | null;
  /** What the diagnosis after the step observed (verified / not-confirmed). */
  observed: string | null;
  /** The commands shown before the step ran (its plan). */
  commands: string[];
  at: string | null;
}

export interface FlowRunChange {
  at: string;
  what: string;
  commands: string[];
  /** Each file changed, with the 0600 copy taken before (null: the run created the file). */
  files: Array<{ path: string; backup: string | null }>;
}

/** How a run ended: the flow ends, plus `paused` (waits for --resume) and `locked` (another run holds the lock). */
export type FlowRunOutcome = 'connected' | 'ready' | 'ui-not-connected' | 'stuck' | 'cancelled' | 'failed' | 'openclaw-missing' | 'paused' | 'locked';

export interface FlowRunDocument {
  schema: typeof FLOW_RUN_SCHEMA;
  wizardVersion: string;
  flow: 'recovery' | 'setup' | 'rotate' | 'support';
  dryRun: boolean;
  outcome: FlowRunOutcome;
  exitCode: number;
  /** The last diagnosis's verdict and gateway; null when no diagnosis ran. */
  healthy: boolean | null;
  gateway: { url: string; acceptedSource: string | null } | null;
  steps: FlowRunStep[];
  changes: FlowRunChange[];
  /** A dry run's plan: every command it would run, in order (empty otherwise). */
  plan: string[];
  /** The run's journal (for `undo`), when it changed something. */
  journal: string | null;
  /** The command that undoes this run, when it changed something. */
  undo: string | null;
  /** The findings still open after the last diagnosis, with their fix commands. */
  remaining: Array<{ id: string; severity: string; title: string; fix: string[] }>;
  /** When the diagnosis `remaining` comes from began (ISO time); null when no diagnosis ran. */
  remainingAsOf: string | null;
  /** A change was made after that diagnosis (a run stopped during a restart): `remaining` may be out of date. */
  remainingStale: boolean;
  /** support: where the Markdown report and the diagnosis beside it were written. */
  report: { markdown: string; diagnosis: string | null } | null;
  /** outcome `failed`: the internal error; `locked`: who holds the lock. */
  error: string | null;
}

export interface RunDocumentInput {
  flow: FlowRunDocument['flow'];
  dryRun: boolean;
  outcome: FlowRunOutcome;
  exitCode: number;
  outcomes: readonly StepOutcome[];
  /** The plan each step showed before it ran (the runtime records it at confirmation). */
  plans: ReadonlyMap<string, string[]>;
  changes: readonly Change[];
  first: DiagnosisReport | null;
  last: DiagnosisReport | null;
  /** When the last diagnosis began (ms since the epoch); null before the first. */
  lastDiagnosedAt: number | null;
  journal: string | null;
  undoFrom: Parameters<typeof undoCommand>[0];
  plan: string[];
  report?: { markdown: string; diagnosis: string | null } | null;
  error?: string | null;
}

function resultOf(o: StepOutcome, dryRun: boolean): Pick<FlowRunStep, 'result' | 'message' | 'reason' | 'observed'> {
  const none = { message: null, reason: null, observed: null };
  if (o.message === 'declined') return { result: 'declined', ...none };
  if (o.message === 'cancelled') return { result: 'cancelled', ...none };
  if (o.waiting) return { result: 'waiting', message: o.message, reason: o.message, observed: null };
  if (!o.ok) return { result: 'failed', message: o.message, reason: o.message.replace(/^failed: /, ''), observed: o.proof?.observed ?? null };
  if (dryRun) return { result: 'planned', message: o.message, reason: null, observed: null };
  if (!o.proof) return { result: 'applied', message: o.message, reason: null, observed: null };
  return { result: o.proof.held ? 'verified' : 'not-confirmed', message: o.message, reason: null, observed: o.proof.observed };
}

/** Steps the first diagnosis asked for that never ran: no longer asked for at the end, or not reached. */
function skippedSteps(input: RunDocumentInput): FlowRunStep[] {
  if (!input.first) return [];
  const ran = new Set(input.outcomes.map((o) => o.step));
  const stillDue = new Set(input.last ? dueSteps(input.last.findings, STEP_IDS) : []);
  return dueSteps(input.first.findings, STEP_IDS)
    .filter((id) => !ran.has(id))
    .map((id) => ({
      step: id,
      title: stepById(id).title,
      result: 'skipped' as const,
      message: null,
      reason: stillDue.has(id) ? 'not reached: the run ended before this step' : 'no longer needed: the diagnosis after the earlier steps did not ask for it',
      observed: null,
      commands: input.plans.get(id) ?? [],
      at: null,
    }));
}

export function buildRunDocument(input: RunDocumentInput): FlowRunDocument {
  const steps: FlowRunStep[] = input.outcomes.map((o) => ({
    step: o.step,
    title: stepById(o.step).title,
    ...resultOf(o, input.dryRun),
    commands: input.plans.get(o.step) ?? [],
    at: o.at,
  }));
  const changed = input.changes.length > 0;
  return {
    schema: FLOW_RUN_SCHEMA,
    wizardVersion: WIZARD_VERSION,
    flow: input.flow,
    dryRun: input.dryRun,
    outcome: input.outcome,
    exitCode: input.exitCode,
    healthy: input.last?.healthy ?? null,
    gateway: input.last ? { url: input.last.gateway.url, acceptedSource: input.last.gateway.acceptedSource } : null,
    steps: [...steps, ...skippedSteps(input)],
    changes: input.changes.map((c) => ({ at: c.at, what: c.what, commands: c.commands, files: c.files.map((path, i) => ({ path, backup: c.backups[i] ?? null })) })),
    plan: input.dryRun ? input.plan : [],
    journal: changed ? input.journal : null,
    undo: changed ? undoCommand(input.undoFrom) : null,
    remaining: (input.last?.findings ?? []).map((f) => ({ id: f.id, severity: f.severity, title: f.title, fix: f.fix })),
    remainingAsOf: input.last && input.lastDiagnosedAt !== null ? new Date(input.lastDiagnosedAt).toISOString() : null,
    remainingStale: input.last !== null && changedSinceDiagnosis(input.lastDiagnosedAt, input.changes),
    report: input.report ?? null,
    error: input.error ?? null,
  };
}
