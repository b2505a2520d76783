/**
 * Starting, restarting and stopping the gateway, the way the person would: a service through
 * `openclaw gateway restart`, a hand-run gateway by ending its pid and running it again in the
 * background. Every wait polls the live gateway, has a timeout and stops on Ctrl-C.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { probeGateway } from '../gateway/probe.js';
import type { ProbeResult } from '../gateway/types.js';
import { lastFatalLine } from '../facts/fatal-line.js';
import type { ListenerProcess } from '../facts/types.js';
import { readBounded } from '../fs/read-bounded.js';
import { failureReason, knownSecrets, runOpenClaw, shellQuote } from './openclaw-cli.js';
import type { ActionContext, ActionOutcome } from './types.js';

export function hasService(ctx: Pick<ActionContext, 'facts'>): boolean {
  return (ctx.facts.services?.files ?? []).some((f) => f.kind === 'systemd' || f.kind === 'launchd');
}

/** The hand-run gateway of this state dir, if one listens on the port. */
export function ownGatewayProcess(ctx: Pick<ActionContext, 'facts'>): ListenerProcess | null {
  const own = ctx.facts.paths?.stateDir ?? null;
  return ctx.facts.listeners?.listeners.find((l) => l.isGateway && l.pid && (!l.stateDir || !own || l.stateDir === own)) ?? null;
}

export function gatewayRunArgs(ctx: Pick<ActionContext, 'facts'>): string[] {
  const args = ['gateway', 'run', '--port', String(ctx.facts.target.port)];
  const bind = ctx.facts.config?.gateway.bind;
  args.push('--bind', bind && bind !== 'custom' ? bind : 'loopback');
  return args;
}

function backgroundLog(ctx: Pick<ActionContext, 'facts'>): string {
  return join(ctx.facts.paths?.stateDir ?? '.', 'logs', 'openclaw-token-wizard-gateway.log');
}

export function startInBackgroundCommand(ctx: Pick<ActionContext, 'facts'>): string {
  return `nohup openclaw ${gatewayRunArgs(ctx).map(shellQuote).join(' ')} > ${shellQuote(backgroundLog(ctx))} 2>&1 &`;
}

/**
 * A gateway the wizard started in the background. A start that fails prints its fatal line and
 * exits (after a triage of ~10 s, for a real OpenClaw), so a wait for it can end as soon as that is
 * seen instead of when its time is up.
 */
export interface StartedGateway {
  /** The file its output goes to, and that file's size when it started: only what came after is its own. */
  outputFile: string;
  outputFrom: number;
  /** How it exited; null while it runs. */
  exited(): { code: number | null; signal: NodeJS.Signals | null } | null;
}

/** The most of a started gateway's output read for its fatal line: the line comes last. */
const START_OUTPUT_BYTES = 64 * 1024;

/** Why a started gateway will not come up: `short` for the spinner, `full` (with its fatal line) for the step. */
export interface StartFailure {
  short: string;
  full: string;
}

/**
 * Why a gateway the wizard started will not come up, from what it printed and how it exited; null
 * while nothing says so (it may still be starting). An exit with code 0 is not taken for a failure:
 * a launcher may hand over to another process.
 */
export async function startFailure(g: StartedGateway): Promise<StartFailure | null> {
  const fatal = lastFatalLine(await outputSince(g), 'openclaw');
  if (fatal) return { short: 'the gateway refused to start', full: `the gateway refused to start: ${fatal}` };
  const exit = g.exited();
  if (!exit || (exit.code === 0 && !exit.signal)) return null;
  const how = exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`;
  return { short: `the gateway exited (${how})`, full: `the gateway exited (${how}) before it accepted connections; its output: ${g.outputFile}` };
}

async function outputSince(g: StartedGateway): Promise<string[]> {
  let size: number;
  try {
    size = (await stat(g.outputFile)).size;
  } catch {
    return [];
  }
  const fresh = Math.min(size - g.outputFrom, START_OUTPUT_BYTES);
  if (fresh <= 0) return [];
  // The file only grows while it is written: its last `fresh` bytes all came after the start.
  const r = await readBounded(g.outputFile, { maxBytes: fresh, tail: true });
  return r.ok ? r.text.split(/\r?\n/) : [];
}

/** Start `openclaw gateway run` detached, so it outlives the wizard, logging to the state dir. */
export async function startGatewayInBackground(ctx: ActionContext): Promise<ActionOutcome & { started?: StartedGateway }> {
  if (ctx.dryRun) return { ok: true, message: `dry run: would run ${startInBackgroundCommand(ctx)}` };
  if (!ctx.facts.cli?.found || !ctx.facts.cli.path) return { ok: false, message: 'the openclaw CLI is not on PATH: start the gateway by hand' };
  const logFile = backgroundLog(ctx);
  await mkdir(join(logFile, '..'), { recursive: true });
  const fh = await open(logFile, 'a');
  let started: StartedGateway;
  try {
    const outputFrom = (await fh.stat()).size;
    const child = spawn(ctx.facts.cli.path, gatewayRunArgs(ctx), {
      cwd: ctx.cwd,
      env: ctx.env,
      detached: true,
      stdio: ['ignore', fh.fd, fh.fd],
    });
    let exit: ReturnType<StartedGateway['exited']> = null;
    child.once('exit', (code, signal) => (exit = { code, signal }));
    child.once('error', () => (exit = { code: 127, signal: null }));
    child.unref();
    started = { outputFile: logFile, outputFrom, exited: () => exit };
    ctx.record({
      at: new Date().toISOString(),
      what: `started the gateway in the background (pid ${child.pid ?? '?'}, log ${logFile})`,
      commands: [startInBackgroundCommand(ctx)],
      files: [],
      backups: [],
    });
  } finally {
    await fh.close();
  }
  return { ok: true, message: `gateway starting in the background; its output goes to ${logFile}`, started };
}

export async function stopPid(ctx: ActionContext, pid: number, timeoutMs = 15_000): Promise<ActionOutcome> {
  if (ctx.dryRun) return { ok: true, message: `dry run: would run kill ${pid}` };
  if (pid === process.pid || pid === process.ppid || pid <= 1) return { ok: false, message: `refusing to stop pid ${pid}: it is this wizard, its parent or init` };
  try {
    process.kill(pid, 'SIGTERM');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return { ok: true, message: `pid ${pid} had already exited` };
    return { ok: false, message: `could not signal pid ${pid}: ${(err as Error).message}` };
  }
  ctx.record({ at: new Date().toISOString(), what: `stopped pid ${pid}`, commands: [`kill ${pid}`], files: [], backups: [] });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!alive(pid)) return { ok: true, message: `pid ${pid} stopped` };
    await sleep(200, undefined, { signal: ctx.signal }).catch(() => undefined);
    if (ctx.signal.aborted) break;
  }
  return { ok: false, message: `pid ${pid} is still running after ${Math.round(timeoutMs / 1000)} s` };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  // A process that has exited but not been reaped by its parent still answers signal 0: its
  // state in /proc is Z, and for us it has stopped.
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}

export type WaitGoal = 'accepts-token' | 'answers';

/**
 * Poll the gateway until it accepts `token` (or merely answers), showing a spinner with elapsed
 * time. Returns the last probe so the caller can say exactly what is still wrong.
 */
export async function waitForGateway(
  ctx: ActionContext,
  opts: { token: string | null; goal: WaitGoal; timeoutMs: number; label: string; started?: StartedGateway },
): Promise<{ ok: boolean; last: ProbeResult | null; failedStart?: StartFailure }> {
  const spin = ctx.prompter.spinner();
  spin.start(opts.label);
  const deadline = Date.now() + opts.timeoutMs;
  let last: ProbeResult | null = null;
  while (Date.now() < deadline && !ctx.signal.aborted) {
    last = await probeGateway({ url: ctx.facts.target.url, token: opts.token ?? undefined, timeoutMs: 3000, allowInsecure: ctx.facts.target.allowInsecureWs ?? false });
    const reached = last.kind === 'hello-ok' || last.kind === 'rejected';
    if (opts.goal === 'accepts-token' ? last.kind === 'hello-ok' : reached) {
      spin.stop(`${opts.label}: done`);
      return { ok: true, last };
    }
    // Nothing listens yet: the gateway the wizard started may already have said it never will.
    const failedStart = last.kind === 'refused' && opts.started ? await startFailure(opts.started) : null;
    if (failedStart) {
      spin.error(`${opts.label}: ${failedStart.short}`);
      return { ok: false, last, failedStart };
    }
    spin.message(`${opts.label} (${describeProbe(last)})`);
    await sleep(750, undefined, { signal: ctx.signal }).catch(() => undefined);
  }
  spin.error(ctx.signal.aborted ? `${opts.label}: stopped` : `${opts.label}: gave up after ${Math.round(opts.timeoutMs / 1000)} s (${last ? describeProbe(last) : 'no answer'})`);
  return { ok: false, last };
}

export function describeProbe(r: ProbeResult): string {
  if (r.kind === 'hello-ok') return `connected to ${r.serverVersion ?? 'gateway'}`;
  if (r.kind === 'rejected') return r.closeReason ?? `rejected (${r.reject})`;
  if (r.kind === 'refused') return 'nothing listening yet';
  if (r.kind === 'starting') return 'gateway starting';
  return r.note ?? r.kind;
}

/** The restart that fits how this gateway runs; returns what was done and whether it took. */
export async function restartGateway(ctx: ActionContext, expectToken: string | null): Promise<ActionOutcome> {
  let started: StartedGateway | undefined;
  if (hasService(ctx) && ctx.facts.cli?.found) {
    if (ctx.dryRun) return { ok: true, message: 'dry run: would run openclaw gateway restart' };
    const r = await runOpenClaw(ctx, ['gateway', 'restart'], 90_000);
    ctx.record({ at: new Date().toISOString(), what: 'restarted the gateway service', commands: ['openclaw gateway restart'], files: [], backups: [] });
    if (!r.ok) return { ok: false, message: `openclaw gateway restart failed: ${failureReason(r, knownSecrets(ctx), { line: 'last' })}` };
  } else {
    const own = ownGatewayProcess(ctx);
    if (!own?.pid) return { ok: false, message: 'no gateway process of yours was found to restart: restart it by hand', waiting: true };
    if (ctx.dryRun) return { ok: true, message: `dry run: would run kill ${own.pid} && ${startInBackgroundCommand(ctx)}` };
    const stopped = await stopPid(ctx, own.pid);
    if (!stopped.ok) return stopped;
    await waitForPortFree(ctx, 10_000);
    const r = await startGatewayInBackground(ctx);
    if (!r.ok) return r;
    started = r.started;
  }
  const w = await waitForGateway(ctx, { token: expectToken, goal: expectToken ? 'accepts-token' : 'answers', timeoutMs: 120_000, label: 'Waiting for the gateway to come back', started });
  if (w.failedStart) return { ok: false, message: w.failedStart.full };
  return w.ok
    ? { ok: true, message: 'the gateway is back and accepts the config token' }
    : { ok: false, message: `the gateway did not come back accepting the token (${w.last ? describeProbe(w.last) : 'no answer'})` };
}

async function waitForPortFree(ctx: ActionContext, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !ctx.signal.aborted) {
    const r = await probeGateway({ url: ctx.facts.target.url, timeoutMs: 1000 });
    if (r.kind === 'refused') return;
    await sleep(300);
  }
}
