/**
 * runFlow end to end in this process: scripted actors where the real ones would need a person or
 * a gateway, the real diagnosis where the exit code depends on its findings, clack writing to a
 * PassThrough (tty:false), and --resume snapshots under the sandbox's state dir.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { stripVTControlCharacters } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { fromPromise } from 'xstate';
import { acquireRunLock } from '../../src/actions/run-lock.js';
import { runFlow, type FlowName, type FlowRunOptions, type SessionActors } from '../../flows/runtime.js';
import { fingerprintOf } from '../../src/secret.js';
import type { DiagnosisSummary, StepResult, Verification } from '../../flows/shared.js';
import type { StepId } from '../../src/checks/index.js';
import { cleanupAll, e2eSandbox, writeConfig, type E2eSandbox } from '../support/e2e.js';
import { fakeToken, freePort } from '../support/sandbox.js';

const TOKEN = fakeToken('runtime');

afterEach(cleanupAll);

const summary = (s: Partial<DiagnosisSummary>): DiagnosisSummary => ({ healthy: false, gatewayAccepts: false, findingIds: [], steps: [], ...s });

/** A scripted diagnosis: each call returns the next summary (the last one repeats), counting calls. */
function diagnoses(...list: DiagnosisSummary[]) {
  const calls = { n: 0 };
  const logic = fromPromise<DiagnosisSummary, void>(async () => list[Math.min(calls.n++, list.length - 1)]!);
  return { logic, calls };
}

const answer = (a: 'yes' | 'no' | 'cancel') => fromPromise<'yes' | 'no' | 'cancel', { step: StepId }>(async () => a);
const applied = (r: Omit<StepResult, 'step'>) => fromPromise<StepResult, { step: StepId }>(async ({ input }) => ({ step: input.step, ...r }));

async function run(sb: E2eSandbox, flow: FlowName, extra: Partial<FlowRunOptions> = {}) {
  const output = new PassThrough();
  let text = '';
  output.on('data', (c: Buffer) => (text += c.toString()));
  const r = await runFlow({
    flow,
    diagnose: { env: sb.env, cwd: sb.cwd, timeoutMs: 3000 },
    yes: false,
    dryRun: false,
    tty: false,
    showToken: false,
    resume: false,
    input: new PassThrough(),
    output,
    ...extra,
  });
  return { ...r, out: stripVTControlCharacters(text) };
}

/** A config whose token the sandbox gateway would enforce, on a port where nothing listens. */
async function gatewayDown(sb: E2eSandbox) {
  await writeConfig(sb, { gateway: { mode: 'local', port: await freePort(), auth: { mode: 'token', token: TOKEN } } });
}

describe('runFlow exit codes', () => {
  it('connected → 0', async () => {
    const sb = await e2eSandbox();
    const d = diagnoses(summary({ healthy: true, gatewayAccepts: true }));
    const r = await run(sb, 'recovery', { overrides: { diagnose: d.logic } });
    expect(r).toMatchObject({ exitCode: 0, end: 'connected', changes: [] });
    expect(d.calls.n).toBe(1);
    expect(r.out).toContain('Connected: the gateway accepts the token and no client reports a failure.');
  });

  it('the Control UI step ran but its proof did not hold → ui-not-connected, exit 3, not "Connected"', async () => {
    const sb = await e2eSandbox();
    const d = diagnoses(summary({ gatewayAccepts: true, steps: ['putTokenIntoControlUi'] }), summary({ healthy: true, gatewayAccepts: true }));
    const verifyStep = fromPromise<Verification, { step: StepId }>(async () => ({
      summary: summary({ healthy: true, gatewayAccepts: true }),
      proof: { held: false, observed: 'no Control UI connection in the gateway log since the token was handed over' },
    }));
    const r = await run(sb, 'recovery', { overrides: { diagnose: d.logic, confirmStep: answer('yes'), applyStep: applied({ ok: true, message: 'link shown' }), verifyStep } });
    expect(r).toMatchObject({ exitCode: 3, end: 'ui-not-connected' });
    expect(r.out).toContain('Gateway ready; the Control UI has not connected yet. Next: open it with the token: openclaw-token-wizard open');
    expect(r.out).not.toContain('Connected:');
  });

  it('the Control UI step proved a connect → connected, exit 0', async () => {
    const sb = await e2eSandbox();
    const d = diagnoses(summary({ gatewayAccepts: true, steps: ['putTokenIntoControlUi'] }), summary({ healthy: true, gatewayAccepts: true }));
    const verifyStep = fromPromise<Verification, { step: StepId }>(async () => ({
      summary: summary({ healthy: true, gatewayAccepts: true }),
      proof: { held: true, observed: 'the Control UI connected' },
    }));
    const r = await run(sb, 'recovery', { overrides: { diagnose: d.logic, confirmStep: answer('yes'), applyStep: applied({ ok: true, message: 'opened' }), verifyStep } });
    expect(r).toMatchObject({ exitCode: 0, end: 'connected' });
  });

  it('setup with the Control UI step declined → ui-not-connected, exit 3, never "Ready"', async () => {
    const sb = await e2eSandbox();
    const d = diagnoses(summary({ healthy: true, gatewayAccepts: true }));
    const findOpenClaw = fromPromise<{ found: boolean; version: string | null }, void>(async () => ({ found: true, version: '2026.9.6' }));
    const r = await run(sb, 'setup', { overrides: { diagnose: d.logic, findOpenClaw, confirmStep: answer('no') } });
    expect(r).toMatchObject({ exitCode: 3, end: 'ui-not-connected' });
    expect(r.out).not.toContain('Ready:');
  });

  it('a step that failed is listed as a failure with its reason; a declined one is not', async () => {
    const sb = await e2eSandbox();
    const d = diagnoses(summary({ steps: ['startGateway', 'generateToken'] }));
    const confirmStep = fromPromise<'yes' | 'no' | 'cancel', { step: StepId }>(async ({ input }) => (input.step === 'startGateway' ? 'yes' : 'no'));
    const applyStep = applied({ ok: false, message: 'docker compose up failed: permission denied' });
    const r = await run(sb, 'recovery', { overrides: { diagnose: d.logic, confirmStep, applyStep } });
    expect(r.out).toMatch(/Failed:?\s+│?\s*• Start the gateway: docker compose up failed: permission denied/);
    expect(r.out).not.toContain('Generate a gateway token and save it in the config: declined');
    expect(r.changes).toEqual([]);
  });

  it('cancelled at a confirmation → 130, and says nothing was changed', async () => {
    const sb = await e2eSandbox();
    const d = diagnoses(summary({ steps: ['generateToken'] }));
    const r = await run(sb, 'recovery', { overrides: { diagnose: d.logic, confirmStep: answer('cancel') } });
    expect(r).toMatchObject({ exitCode: 130, end: 'cancelled' });
    expect(r.out).toContain('Nothing was changed.');
    expect(r.out).toContain('Cancelled. Nothing else was changed.');
  });

  it('stuck with error findings → 1 (real diagnosis, no terminal: every step declined)', async () => {
    const sb = await e2eSandbox();
    await gatewayDown(sb);
    const r = await run(sb, 'recovery');
    expect(r.end).toBe('stuck');
    expect(r.exitCode).toBe(1);
    expect(r.last?.findings.map((f) => f.id)).toContain('gateway-not-running');
    expect(r.last?.findings.find((f) => f.id === 'gateway-not-running')?.severity).toBe('error');
    expect(r.out).toContain('Start the gateway? no (not a terminal: nothing changed)');
    expect(r.out).toContain('Still to do');
    expect(r.changes).toEqual([]);
    expect(r.out).not.toContain(TOKEN);
  });

  it('stuck without error findings (scripted, no report) → 0', async () => {
    const sb = await e2eSandbox();
    const d = diagnoses(summary({}));
    const r = await run(sb, 'recovery', { overrides: { diagnose: d.logic } });
    expect(r).toMatchObject({ exitCode: 0, end: 'stuck' });
    expect(r.out).toContain('Not fixed yet');
  });

  it('Ctrl-C during a confirmation → 130', async () => {
    const sb = await e2eSandbox();
    const d = diagnoses(summary({ steps: ['generateToken'] }));
    const r = await withSigintDuring(sb, 'recovery', d.logic);
    expect(r).toMatchObject({ exitCode: 130, end: 'cancelled' });
  });
});

/**
 * Sends SIGINT (to runFlow's handler only: the test runner's own listeners are set aside) while a
 * confirmation is open, the way a person presses Ctrl-C.
 */
async function withSigintDuring(sb: E2eSandbox, flow: FlowName, diagnose: SessionActors['diagnose'], extra: Partial<FlowRunOptions> = {}) {
  const others = process.listeners('SIGINT');
  process.removeAllListeners('SIGINT');
  try {
    const confirmStep = fromPromise<'yes' | 'no' | 'cancel', { step: StepId }>(
      ({ signal }) =>
        new Promise((_resolve, reject) => {
          setImmediate(() => process.emit('SIGINT'));
          signal.addEventListener('abort', () => reject(new Error('stopped')));
        }),
    );
    return await run(sb, flow, { ...extra, overrides: { diagnose, confirmStep } });
  } finally {
    for (const l of others) process.on('SIGINT', l as never);
  }
}

describe('bad input: runs that must not write', () => {
  it('D10: a dry run that reaches a step done by hand writes no resume file', async () => {
    const sb = await e2eSandbox();
    await gatewayDown(sb);
    const saved = join(sb.stateDir, 'openclaw-token-wizard', 'resume-recovery.json');
    const r = await run(sb, 'recovery', { dryRun: true, overrides: { applyStep: applied({ ok: false, waiting: true, message: 'do it by hand' }) } });
    expect(r).toMatchObject({ exitCode: 1, end: 'paused' });
    expect(r.out).toContain('Dry run: the plan stops at a step you do by hand; nothing was saved.');
    expect(existsSync(saved)).toBe(false);
  });

  it('two runs on one config: the second says who holds the lock and changes nothing', async () => {
    const sb = await e2eSandbox();
    await gatewayDown(sb);
    const held = await acquireRunLock(sb.stateDir, { command: 'openclaw-token-wizard fix' });
    if (!('release' in held)) throw new Error('the sandbox lock was not taken');
    try {
      const r = await run(sb, 'recovery');
      expect(r).toMatchObject({ exitCode: 1, end: 'locked', changes: [] });
      expect(r.out).toContain(`Another openclaw-token-wizard run (pid ${process.pid}, openclaw-token-wizard fix, since `);
    } finally {
      await held.release();
    }
  });
});

describe('--resume', () => {
  it('a flow that waits for the person saves a token-free snapshot; --resume continues from it and deletes it', async () => {
    const sb = await e2eSandbox();
    await gatewayDown(sb);
    const saved = join(sb.stateDir, 'openclaw-token-wizard', 'resume-recovery.json');

    // Run 1: the real diagnosis (so the runtime knows the token), a step that needs the person, no terminal → "later".
    const first = await run(sb, 'recovery', {
      overrides: { confirmStep: answer('yes'), applyStep: applied({ ok: false, waiting: true, message: `set it by hand to ${TOKEN}` }) },
    });
    expect(first).toMatchObject({ exitCode: 1, end: 'paused' });
    expect(first.out).toContain('Do this by hand');
    expect(first.out).toContain('Saved. When you have done it, run: openclaw-token-wizard --resume');
    const text = await readFile(saved, 'utf8');
    expect(text).not.toContain(TOKEN);
    expect(text).toContain(fingerprintOf(TOKEN));
    const snap = JSON.parse(text) as { value: unknown; context: { round: number; attempted: string[]; outcomes: Array<{ waiting?: boolean }> } };
    expect(snap.value).toBe('paused');
    expect(snap.context.round).toBe(1);
    expect(snap.context.attempted).toEqual(['startGateway']);
    expect(snap.context.outcomes.map((o) => o.waiting)).toEqual([true]);

    // Run 2: RESUME → diagnose (scripted healthy now) → connected; the saved file is gone.
    const d = diagnoses(summary({ healthy: true, gatewayAccepts: true }));
    const second = await run(sb, 'recovery', { resume: true, overrides: { diagnose: d.logic } });
    expect(second).toMatchObject({ exitCode: 0, end: 'connected' });
    expect(d.calls.n).toBe(1);
    expect(second.out).toContain(`Resuming the recovery flow saved in ${saved}`);
    expect(existsSync(saved)).toBe(false);
  });

  it('--resume with nothing saved starts over', async () => {
    const sb = await e2eSandbox();
    const d = diagnoses(summary({ healthy: true, gatewayAccepts: true }));
    const r = await run(sb, 'recovery', { resume: true, overrides: { diagnose: d.logic } });
    expect(r).toMatchObject({ exitCode: 0, end: 'connected' });
    expect(r.out).toContain('Nothing to resume');
    expect(r.out).toContain('starting over');
  });
});

describe('support session', () => {
  it('a step the user must do by hand ends the session with its report instead of hanging', async () => {
    const sb = await e2eSandbox();
    const reportPath = join(sb.cwd, 'report.md');
    const d = diagnoses(summary({ steps: ['repairConfigFile'] }));
    const r = await run(sb, 'support', {
      reportPath,
      overrides: { diagnose: d.logic, confirmStep: answer('yes'), applyStep: applied({ ok: false, waiting: true, message: 'edit the file by hand' }) },
    });
    expect(r.end).toBe('stuck');
    const report = await readFile(reportPath, 'utf8');
    expect(report).toContain('Outcome: **stuck**');
    expect(report).toContain('edit the file by hand');
  });

  it('Ctrl-C in the middle of the recovery → 130, and the report is still written', async () => {
    const sb = await e2eSandbox();
    const reportPath = join(sb.cwd, 'report.md');
    const d = diagnoses(summary({ steps: ['generateToken'] }));
    const r = await withSigintDuring(sb, 'support', d.logic, { reportPath });
    expect(r).toMatchObject({ exitCode: 130, end: 'cancelled' });
    expect(await readFile(reportPath, 'utf8')).toContain('Outcome: **cancelled**');
  });
});
