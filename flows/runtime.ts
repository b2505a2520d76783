/**
 * Runs a flow machine for real: provides its actors (diagnose, the prompter's confirmations, the
 * fix steps and their verification), turns Ctrl-C into a clean stop that lists what was already
 * changed, saves a snapshot for `--resume` when the flow waits for the person, and prints the summary.
 */
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { createActor, fromPromise, type AnyActorLogic, type PromiseActorLogic, type Snapshot } from 'xstate';
import { diagnose } from '../src/diagnosis/gather.js';
import type { DiagnoseOptions, DiagnosisFacts, DiagnosisReport } from '../src/diagnosis/types.js';
import type { DiagnosisView } from '../src/diagnosis/view.js';
import { createPrompter, CANCELLED, type Prompter } from '../src/prompter.js';
import { redactText } from '../src/secret.js';
import { findOpenClawCli } from '../src/facts/openclaw-cli.js';
import { resolveOpenClawPaths } from '../src/facts/paths.js';
import { secretValues } from '../src/hygiene.js';
import type { ActionContext, Change } from '../src/actions/types.js';
import { writeFileAtomic } from '../src/actions/fs-safe.js';
import { acquireRunLock } from '../src/actions/run-lock.js';
import { JournalWriter, withUndoLine } from '../src/actions/journal.js';
import { dueSteps } from '../src/checks/derive.js';
import { confirmationOf } from '../src/checks/check.js';
import { isFindingId, STEP_IDS, stepById, type StepId } from '../src/checks/index.js';
import { flowActors, type Answer, type DiagnosisSummary, type FlowOutput, type StepOutcome, type StepResult, type Verification } from './shared.js';
import { recoveryMachine } from './recovery.js';
import { setupMachine } from './setup.js';
import { rotateMachine } from './rotate.js';
import { supportMachine, type Symptom } from './support.js';
import { anonymizeReport, diagnosisPathBeside, renderSupportReport } from '../src/render/report.js';
import { writeReportFiles } from '../src/actions/report-file.js';
import { displayHome } from '../src/paths-display.js';
import { userInfo } from 'node:os';
import { WIZARD_VERSION } from '../src/version.js';
import type { Finding } from '../src/types.js';
import { plural } from '../src/render/style.js';
import { debugLog } from '../src/debug-log.js';
import { CLIENT_FAILURES, controlUiConnectedSince, EXIT_UI_NOT_CONNECTED, verdict } from './verdict.js';
import { flushJournal, outroLine, summarize } from './summary.js';
import { buildRunDocument, type FlowRunDocument, type FlowRunOutcome } from './run-document.js';

/** Every actor a flow machine invokes, as the runtime implements them (tests replace some). */
export interface SessionActors {
  diagnose: (typeof flowActors)['diagnose'];
  confirmStep: (typeof flowActors)['confirmStep'];
  applyStep: (typeof flowActors)['applyStep'];
  verifyStep: (typeof flowActors)['verifyStep'];
  waitForPerson: (typeof flowActors)['waitForPerson'];
  findOpenClaw: (typeof flowActors)['findOpenClaw'];
  askSymptom: PromiseActorLogic<Symptom | 'cancel', void>;
  writeReport: PromiseActorLogic<string | null, { symptom: Symptom | null; recovery: FlowOutput | null }>;
}

export type FlowName = 'recovery' | 'setup' | 'rotate' | 'support';

export interface FlowRunOptions {
  flow: FlowName;
  diagnose: DiagnoseOptions;
  yes: boolean;
  dryRun: boolean;
  tty: boolean;
  showToken: boolean;
  resume: boolean;
  reportPath?: string;
  /** --force: the report may replace an existing file. */
  force?: boolean;
  /** --wait: how long to watch for the Control UI after it got the link (default 90 s). */
  controlUiWaitMs?: number;
  input?: Readable;
  output?: Writable;
  /** For tests: replace machine actors (scripted confirmations, fake diagnosis). */
  overrides?: Partial<SessionActors>;
}

export interface FlowRunResult {
  exitCode: number;
  end: string;
  changes: Change[];
  last: DiagnosisReport | null;
  /** The run as one JSON document (what `--json` prints). */
  document: FlowRunDocument;
}

export class FlowSession {
  readonly secrets = new Set<string>();
  readonly changes: Change[] = [];
  /** Every change, as it is recorded, into <state dir>/otw-journal/ for `undo`. */
  readonly journal: JournalWriter;
  readonly prompter: Prompter;
  readonly controller = new AbortController();
  facts: DiagnosisFacts | null = null;
  view: DiagnosisView | null = null;
  first: DiagnosisReport | null = null;
  last: DiagnosisReport | null = null;
  lastDiagnosedAt: number | null = null;
  stepNumber = 0;
  readonly started = Date.now();
  /** The plan each step showed before it ran, for the --json document. */
  readonly plans = new Map<string, string[]>();
  /** support: the report and the diagnosis written beside it. */
  reportFiles: { markdown: string; diagnosis: string | null } | null = null;
  /**
   * A client failure this run has seen. The diagnosis reads client failures only since the last
   * gateway start, so after the wizard restarts the gateway the failure vanishes from the log's
   * view although the browser still lacks the token: it stays open until the Control UI connects
   * or the Control UI step has run.
   */
  clientFailure: Finding | null = null;
  /** A Control UI (not a CLI) failed during this run: only its connect in the log settles that. */
  controlUiFailed = false;
  /** When the last step began applying: a connect counts only after the last change. */
  lastChangeAt = Date.now();

  constructor(readonly opts: FlowRunOptions) {
    this.journal = new JournalWriter(opts.flow);
    this.prompter = createPrompter({
      yes: opts.yes || opts.dryRun,
      tty: opts.tty,
      input: opts.input,
      output: opts.output,
      redact: (t) => this.redact(t),
      signal: this.controller.signal,
    });
  }

  redact(text: string): string {
    const known = [...this.secrets, ...secretValues(this.facts?.sources ?? []).map((v) => v.reveal())];
    return redactText(text, known);
  }

  /** When the current step was applied, and the view it was applied to: its proof compares against them. */
  private applied: { step: StepId; since: Date; before: DiagnosisView } | null = null;
  /** The message the user sees, when pasted in `support` (quoted in the report, secrets removed). */
  private pasted: { quote: string; finding: string | null } | null = null;

  actionContext(): ActionContext {
    if (!this.facts || !this.view) throw new Error('no diagnosis yet');
    return {
      env: this.opts.diagnose.env,
      cwd: this.opts.diagnose.cwd,
      dryRun: this.opts.dryRun,
      prompter: this.prompter,
      timeoutMs: this.opts.diagnose.timeoutMs,
      facts: this.facts,
      view: this.view,
      record: (c) => {
        this.changes.push(c);
        this.journal.record(c, this.facts?.paths?.stateDir ?? null);
      },
      remember: (s) => this.secrets.add(s),
      signal: this.controller.signal,
      showToken: this.opts.showToken,
      output: this.opts.output,
      controlUiWaitMs: this.opts.controlUiWaitMs,
    };
  }

  /** A Control UI connect in the gateway's log since the last change (the run's start when nothing changed). */
  controlUiConnected(): boolean {
    return controlUiConnectedSince(this.facts?.log?.handshakes ?? [], Math.min(this.lastChangeAt, Date.now()));
  }

  async runDiagnosis(): Promise<DiagnosisSummary> {
    const spin = this.prompter.spinner();
    spin.start(this.last ? 'Checking again' : 'Checking the config, env files, Docker, services, listeners, the log and the live gateway');
    const t0 = Date.now();
    const diagnosis = await diagnose(this.opts.diagnose);
    const facts = diagnosis.facts;
    let report = diagnosis.report;
    this.facts = facts;
    this.view = diagnosis.view;
    for (const v of secretValues(facts.sources)) this.secrets.add(v.reveal());
    debugLog()?.addSecrets(this.secrets);
    debugLog()?.diagnosis(this.last ? 'check again' : 'first check', diagnosis.report, Date.now() - t0);
    const failure = report.findings.find((f) => CLIENT_FAILURES.has(f.id));
    if (failure) this.clientFailure = failure;
    if (report.findings.some((f) => CLIENT_FAILURES.has(f.id) && f.step === 'putTokenIntoControlUi')) this.controlUiFailed = true;
    // Handing over the link is not the client connecting: only its connect after the last change settles the failure.
    if (this.controlUiConnected()) this.clientFailure = null;
    const carried = !failure && this.clientFailure && diagnosis.view.tokenForClients ? this.clientFailure : null;
    if (carried) report = { ...report, healthy: false, findings: [...report.findings, carried] };
    this.first ??= report;
    this.last = report;
    this.lastDiagnosedAt = t0;
    const errors = report.findings.filter((f) => f.severity === 'error');
    const acceptedLabel = report.sources.find((s) => s.id === report.gateway.acceptedSource)?.label;
    const accepts = `The gateway at ${report.gateway.url} accepts ${acceptedLabel ? `the token from ${acceptedLabel}` : 'the token'}`;
    spin.stop(report.healthy ? accepts : carried && errors.length === 1 ? `${accepts}; the failed client is not back yet` : `${plural(errors.length, 'problem')} found at ${report.gateway.url}`);
    for (const f of report.findings) {
      const line = `${f.title} [${f.id}]${f === carried ? ' (seen before the gateway restarted)' : ''}`;
      if (f.severity === 'error') this.prompter.error(line);
      else if (f.severity === 'warning') this.prompter.warn(line);
      else this.prompter.info(line);
    }
    const steps = dueSteps(report.findings, STEP_IDS);
    return {
      healthy: report.healthy,
      gatewayAccepts: !!report.gateway.acceptedSource || report.sources.some((s) => s.accepted === true),
      findingIds: report.findings.map((f) => f.id).filter(isFindingId),
      steps: carried && !steps.includes('putTokenIntoControlUi') ? [...steps, 'putTokenIntoControlUi'] : steps,
    };
  }

  async confirmStep(step: StepId): Promise<Answer> {
    const spec = stepById(step);
    this.stepNumber += 1;
    this.prompter.step(`Step ${this.stepNumber}: ${spec.title}`);
    if (this.opts.flow === 'support') this.prompter.say(spec.say);
    const view = this.actionContext().view;
    const plan = spec.plan(view);
    this.plans.set(
      step,
      plan.map((c) => this.redact(c)),
    );
    // A plan is the commands a person could type for the same change, not always what the wizard
    // runs: a config value is edited in place (no OpenClaw start-up), a new token comes from
    // Node's crypto, not openssl. The title says so.
    if (plan.length) this.prompter.commands(plan, this.opts.dryRun ? 'Would do the same as' : 'Same as');
    if (this.opts.dryRun) return 'yes';
    const { explicit, consequence } = confirmationOf(spec, view);
    const question = consequence ? `${spec.title}? ${consequence}` : explicit ? `${spec.title}: this changes something outside OpenClaw's config. Go ahead?` : `${spec.title}?`;
    const a = await this.prompter.confirm(question, { explicit });
    return a === CANCELLED ? 'cancel' : a ? 'yes' : 'no';
  }

  async applyStep(step: StepId): Promise<StepResult> {
    const spec = stepById(step);
    const ctx = this.actionContext();
    this.lastChangeAt = Date.now();
    this.applied = { step, since: new Date(), before: ctx.view };
    let r: Awaited<ReturnType<typeof spec.apply>>;
    try {
      r = await spec.apply(ctx);
    } catch (err) {
      // Said at once (a write refused, say); the machine records the same words as the step's failure.
      this.prompter.error(`failed: ${this.redact(err instanceof Error ? err.message : String(err))}`);
      throw err;
    }
    if (r.ok && r.unconfirmed) this.prompter.info(r.message);
    else if ((r.ok && r.seenFailing) || r.waiting) this.prompter.warn(r.message);
    else if (r.ok) this.prompter.success(r.message);
    else this.prompter.error(r.message);
    return { step, ok: r.ok, message: this.redact(r.message), waiting: r.waiting };
  }

  /** The article's step 4 after every change: diagnose again, and read the step's own proof from it. */
  async verifyStep(step: StepId): Promise<Verification> {
    const applied = this.applied?.step === step ? this.applied : null;
    const summary = await this.runDiagnosis();
    const after = this.view!;
    if (!applied) return { summary, proof: { held: false, observed: 'the step did not run, so there is nothing to verify' } };
    const proof = stepById(step).proof({ before: applied.before, after, findings: this.last?.findings ?? [], since: applied.since });
    if (proof.held) this.prompter.success(`Verified: ${proof.observed}`);
    else this.prompter.warn(`Not confirmed: ${proof.observed}`);
    return { summary, proof: { held: proof.held, observed: this.redact(proof.observed) } };
  }

  async waitForPerson(step: StepId | null): Promise<'done' | 'later'> {
    const spec = step ? stepById(step) : null;
    if (spec && this.view) this.prompter.commands(spec.plan(this.view), 'Do this by hand');
    if (!this.prompter.interactive) return 'later';
    const a = await this.prompter.select(
      'When you have done it:',
      [
        { value: 'done', label: 'Done: check again' },
        { value: 'later', label: 'Later: save progress and exit (continue with --resume)' },
      ],
      'done',
    );
    return a === 'done' ? 'done' : 'later';
  }

  async askSymptom(): Promise<Symptom | 'cancel'> {
    this.prompter.say('Hi! I will check your OpenClaw gateway setup step by step. Nothing changes without your OK.');
    const a = await this.prompter.select<Symptom | 'paste'>(
      'Which message does the user see?',
      [
        { value: 'token-missing', label: 'disconnected (1008): unauthorized: gateway token missing' },
        { value: 'token-mismatch', label: 'unauthorized: gateway token mismatch' },
        { value: 'paste', label: 'Paste the message (Control UI card, CLI error or log line)' },
        { value: 'other', label: 'Something else' },
        { value: 'unknown', label: 'Not sure' },
      ],
      'unknown',
    );
    if (a === CANCELLED) return 'cancel';
    if (a !== 'paste') return a;
    return this.askPasted();
  }

  /** The pasted message, read as `explain` reads it; the report quotes it (secrets removed). */
  private async askPasted(): Promise<Symptom | 'cancel'> {
    const text = this.prompter.text ? await this.prompter.text('Paste what the user sees:') : '';
    if (text === CANCELLED) return 'cancel';
    if (!text.trim()) return 'unknown';
    const { readPasted } = await import('../src/explain/pasted.js');
    const p = await readPasted(text);
    this.pasted = { quote: p.quote, finding: p.answer.finding };
    this.prompter.info(
      p.answer.recognised ? `That is ${p.answer.finding ?? 'a known message'}${p.answer.title ? `: ${p.answer.title}` : ''}.` : 'Not a message the wizard knows; the checks will tell.',
    );
    return p.answer.finding === 'client-token-missing' ? 'token-missing' : p.answer.finding === 'client-token-mismatch' ? 'token-mismatch' : 'other';
  }

  async writeReport(symptom: Symptom | null, recovery: FlowOutput | null): Promise<string | null> {
    const path = this.opts.reportPath ?? join(this.opts.diagnose.cwd, `openclaw-token-wizard-report-${new Date().toISOString().slice(0, 10)}.md`);
    const md = renderSupportReport({
      generatedAt: new Date().toISOString(),
      wizardVersion: WIZARD_VERSION,
      openclawVersion: this.facts?.cli?.version ?? null,
      platform: `${process.platform} ${process.arch}`,
      node: process.version,
      symptom,
      pasted: this.pasted,
      first: this.first,
      last: this.last,
      outcomes: recovery?.outcomes ?? [],
      changes: this.changes,
      transcript: this.prompter.transcript,
      end: recovery?.end ?? 'cancelled',
      durationMs: Date.now() - this.started,
      debugLog: debugLog() ? { path: debugLog()!.path, text: debugLog()!.read() } : null,
    });
    if (this.opts.dryRun) {
      this.prompter.info(`dry run: would write the report to ${path}`);
      return null;
    }
    return this.saveReport(path, md);
  }

  /** Set when the report could not be written: the run exits non-zero and the report went to stdout. */
  reportFailed = false;

  /** The report and the diagnosis beside it, anonymised; if they cannot be written, the report on stdout instead. */
  private async saveReport(path: string, md: string): Promise<string | null> {
    const env = this.opts.diagnose.env;
    const who = { home: displayHome(env), users: [env.USER, env.LOGNAME, safeUserName()].filter((u): u is string => !!u) };
    const clean = (text: string) => anonymizeReport(this.redact(text), who);
    // The diagnosis itself, for `diagnose --from`: what the user's wizard saw, replayable.
    const saved = this.last ?? this.first;
    const jsonPath = diagnosisPathBeside(path);
    const files: Array<[string, string]> = [[path, clean(md)]];
    if (saved) files.push([jsonPath, clean(JSON.stringify(saved, null, 2)) + '\n']);
    const w = await writeReportFiles(files, !!this.opts.force);
    if (!w.ok) {
      this.reportFailed = true;
      this.prompter.error(`The report was not written: ${clean(w.reason)}. It follows here instead; copy it from the screen.`);
      (this.opts.output ?? process.stdout).write(`\n${clean(md)}\n`);
      return null;
    }
    this.reportFiles = { markdown: path, diagnosis: saved ? jsonPath : null };
    this.prompter.success(`Report written to ${path}${saved ? ` and the diagnosis to ${jsonPath}` : ''} (tokens appear only as fingerprints)`);
    return path;
  }

  findOpenClaw = async () => {
    const c = await findOpenClawCli({ env: this.opts.diagnose.env, timeoutMs: this.opts.diagnose.timeoutMs });
    if (c.found) this.prompter.success(`OpenClaw ${c.version ?? '(version unknown)'} at ${c.path}`);
    else this.prompter.warn('OpenClaw is not installed here (no openclaw on PATH). Install it with: npm install -g openclaw@latest. Or try the wizard first: openclaw-token-wizard demo');
    return { found: c.found, version: c.version };
  };

  /** Work still running when the machine ended (a Ctrl-C during a wait): the summary comes after it. */
  readonly inFlight = new Set<Promise<unknown>>();
  private track<T>(work: Promise<T>): Promise<T> {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work)).catch(() => undefined);
    return work;
  }

  actors(): SessionActors {
    const base: SessionActors = {
      diagnose: fromPromise(() => this.track(this.runDiagnosis())),
      confirmStep: fromPromise<Answer, { step: StepId }>(({ input }) => this.confirmStep(input.step)),
      applyStep: fromPromise<StepResult, { step: StepId }>(({ input }) => this.track(this.applyStep(input.step))),
      verifyStep: fromPromise<Verification, { step: StepId }>(({ input }) => this.track(this.verifyStep(input.step))),
      waitForPerson: fromPromise<'done' | 'later', { step: StepId | null }>(({ input }) => this.waitForPerson(input.step)),
      findOpenClaw: fromPromise(() => this.findOpenClaw()),
      askSymptom: fromPromise(() => this.askSymptom()),
      writeReport: fromPromise<string | null, { symptom: Symptom | null; recovery: FlowOutput | null }>(({ input }) => this.writeReport(input.symptom, input.recovery)),
    };
    return { ...base, ...(this.opts.overrides ?? {}) };
  }
}

function safeUserName(): string | null {
  try {
    return userInfo().username;
  } catch {
    return null;
  }
}

function machineFor(flow: FlowName, session: FlowSession): AnyActorLogic {
  const actors = session.actors();
  switch (flow) {
    case 'recovery':
      return recoveryMachine.provide({ actors });
    case 'setup':
      return setupMachine.provide({ actors });
    case 'rotate':
      return rotateMachine.provide({ actors });
    case 'support':
      return supportMachine.provide({ actors: { ...actors, recovery: recoveryMachine.provide({ actors }) } });
  }
}

export function resumeFile(facts: DiagnosisFacts | null, stateDir: string | null, flow: FlowName): string | null {
  const dir = facts?.paths?.stateDir ?? stateDir;
  return dir ? join(dir, 'openclaw-token-wizard', `resume-${flow}.json`) : null;
}

const TITLES: Record<FlowName, string> = {
  recovery: 'openclaw-token-wizard: fix "gateway token missing / mismatch"',
  setup: 'openclaw-token-wizard setup: first-time walkthrough',
  rotate: 'openclaw-token-wizard rotate: new token, everywhere',
  support: 'openclaw-token-wizard support: session script',
};

/**
 * Runs a flow under the state dir's run lock: two runs changing one config at once would each
 * report a token the other replaced. A dry run changes nothing and takes no lock.
 */
export async function runFlow(opts: FlowRunOptions): Promise<FlowRunResult> {
  const stateDir = stateDirOf(opts);
  if (opts.dryRun || !stateDir) return runFlowUnlocked(opts);
  const lock = await acquireRunLock(stateDir, { command: `openclaw-token-wizard ${opts.flow}` });
  if ('heldBy' in lock) {
    const h = lock.heldBy;
    const out = opts.output ?? process.stdout;
    const why = `Another openclaw-token-wizard run (pid ${h.pid}, ${h.command}, since ${h.since}) is changing this OpenClaw setup. Let it finish, then run this again.`;
    out.write(`${why}\n`);
    return { exitCode: 1, end: 'locked', changes: [], last: null, document: lockedDocument(opts, why) };
  }
  // Nothing can be saved in a state dir this user cannot write: each step says so when it fails.
  if ('unavailable' in lock) return runFlowUnlocked(opts, `No run lock: ${lock.unavailable}. Changes there will fail.`);
  try {
    return await runFlowUnlocked(opts);
  } finally {
    await lock.release();
  }
}

function stateDirOf(opts: FlowRunOptions): string | null {
  try {
    return resolveOpenClawPaths({ env: opts.diagnose.env, configFlag: opts.diagnose.configFlag, profile: opts.diagnose.profile, dev: opts.diagnose.dev }).stateDir;
  } catch {
    return null;
  }
}

async function runFlowUnlocked(opts: FlowRunOptions, lockNote?: string): Promise<FlowRunResult> {
  const session = new FlowSession(opts);
  const p = session.prompter;
  p.intro(TITLES[opts.flow] + (opts.dryRun ? ' (dry run: nothing will change)' : ''));
  if (lockNote) p.warn(lockNote);

  // Where a saved snapshot lives: the state dir of the config being fixed.
  const savedAt = resumeFile(null, stateDirOf(opts), opts.flow);
  let snapshot: Snapshot<unknown> | undefined;
  if (opts.resume) {
    if (!savedAt) throw new Error('no state directory to resume from');
    try {
      snapshot = JSON.parse(await readFile(savedAt, 'utf8')) as Snapshot<unknown>;
      p.info(`Resuming the ${opts.flow} flow saved in ${savedAt}`);
    } catch {
      p.warn(`Nothing to resume (${savedAt} not found): starting over`);
    }
  }

  const logic = machineFor(opts.flow, session);
  const actor = createActor(logic, { input: {}, snapshot });
  const onSigint = () => {
    session.controller.abort();
    actor.send({ type: 'CANCEL' });
  };
  process.on('SIGINT', onSigint);
  let paused = false;
  // A restored snapshot starts in `paused`: only a pause reached after RESUME ends this run.
  let watchForPause = !snapshot;
  const finished = new Promise<void>((resolve) => {
    actor.subscribe({
      next: (s: { status: string; value?: unknown }) => {
        if (s.status === 'done') resolve();
        else if (watchForPause && s.value === 'paused') {
          paused = true;
          resolve();
        }
      },
      error: () => resolve(),
      complete: () => resolve(),
    });
  });
  actor.start();
  if (snapshot) actor.send({ type: 'RESUME' });
  watchForPause = true;
  await finished;
  // Stopped during a wait or a change: its actions see the abort and end; what they changed is recorded before the summary.
  await Promise.allSettled([...session.inFlight]);
  process.off('SIGINT', onSigint);
  const undo = (closing: string) => withUndoLine(closing, session.changes.length > 0, opts.diagnose);

  const snap = actor.getSnapshot() as { status: string; output?: FlowOutput; error?: unknown; context?: { outcomes?: StepOutcome[] } };
  const outcomes = snap.output?.outcomes ?? snap.context?.outcomes ?? [];
  const finish = (end: FlowRunOutcome, exitCode: number, error: string | null = null): FlowRunResult => ({
    exitCode,
    end,
    changes: session.changes,
    last: session.last,
    document: runDocument(session, end, exitCode, outcomes, error),
  });
  if (paused && savedAt) {
    // A dry run writes nothing, and a resume file would make a later run skip steps only planned.
    if (!opts.dryRun) {
      await mkdir(join(savedAt, '..'), { recursive: true, mode: 0o700 });
      // Context holds ids, verdicts and redacted messages only: no token lands in this file.
      await writeFileAtomic(savedAt, session.redact(JSON.stringify(actor.getPersistedSnapshot())));
    }
    actor.stop();
    await flushJournal(session, 'paused');
    summarize(session, 'paused', outcomes);
    p.outro(
      opts.dryRun
        ? 'Dry run: the plan stops at a step you do by hand; nothing was saved.'
        : undo(`Saved. When you have done it, run: openclaw-token-wizard ${opts.flow === 'recovery' ? '' : opts.flow + ' '}--resume`.replace('  ', ' ')),
    );
    return finish('paused', 1);
  }
  if (savedAt && opts.resume) await rm(savedAt, { force: true });
  if (snap.status === 'error') {
    const msg = snap.error instanceof Error ? snap.error.message : String(snap.error);
    p.error(`The wizard failed: ${session.redact(msg)}`);
    await flushJournal(session, 'failed');
    summarize(session, 'failed', outcomes);
    p.outro(undo('Stopped.'));
    return finish('failed', 2, session.redact(msg));
  }
  const end = verdict({
    end: snap.output?.end ?? 'stuck',
    flow: opts.flow,
    outcomes,
    controlUiFailed: session.controlUiFailed,
    controlUiConnected: session.controlUiConnected(),
    last: session.last,
  });
  await flushJournal(session, end);
  summarize(session, end, outcomes);
  const exitCode =
    end === 'cancelled'
      ? 130
      : end === 'failed'
        ? 2
        : end === 'ui-not-connected'
          ? EXIT_UI_NOT_CONNECTED
          : end === 'connected' || end === 'ready'
            ? 0
            : session.last?.findings.some((f) => f.severity === 'error') || end === 'openclaw-missing'
              ? 1
              : 0;
  p.outro(undo(outroLine(end, session)));
  return finish(end, exitCode === 0 && session.reportFailed ? 1 : exitCode);
}

/** The run as the --json document: redacted as a whole, like everything else the run prints. */
function runDocument(session: FlowSession, outcome: FlowRunOutcome, exitCode: number, outcomes: readonly StepOutcome[], error: string | null): FlowRunDocument {
  const o = session.opts;
  const doc = buildRunDocument({
    flow: o.flow,
    dryRun: o.dryRun,
    outcome,
    exitCode,
    outcomes,
    plans: session.plans,
    changes: session.changes,
    first: session.first,
    last: session.last,
    lastDiagnosedAt: session.lastDiagnosedAt,
    journal: session.journal.error ? null : session.journal.file,
    undoFrom: o.diagnose,
    plan: session.prompter.transcript.filter((t) => t.kind === 'command').map((t) => t.text),
    report: session.reportFiles,
    error,
  });
  return JSON.parse(session.redact(JSON.stringify(doc))) as FlowRunDocument;
}

function lockedDocument(opts: FlowRunOptions, why: string): FlowRunDocument {
  return buildRunDocument({
    flow: opts.flow,
    dryRun: opts.dryRun,
    outcome: 'locked',
    exitCode: 1,
    outcomes: [],
    plans: new Map(),
    changes: [],
    first: null,
    last: null,
    lastDiagnosedAt: null,
    journal: null,
    undoFrom: opts.diagnose,
    plan: [],
    error: why,
  });
}
