import { gatewayCli } from '../checks/container-commands.js';
import { run, type RunResult } from '../exec.js';
import { cutMessage, redactText, type Secret } from '../secret.js';
import { sanitizeForTerminal } from '../text/sanitize.js';
import { shellCommand, shellQuote } from '../text/shell-quote.js';
import type { ActionContext } from './types.js';

export { shellQuote };

/**
 * Run an `openclaw` command for a change. The person sees the command first (redacted by the
 * prompter), so what the wizard runs is always something they could have typed.
 */
export async function runOpenClaw(ctx: ActionContext, args: string[], timeoutMs = 60_000): Promise<RunResult> {
  // A gateway in a container: its own CLI, in its container (the plan printed the same command).
  if (ctx.facts.container?.container) {
    const inv = gatewayCli(ctx.view, args);
    return run(inv.file, inv.args, { timeoutMs, env: ctx.env, cwd: inv.cwd ?? ctx.cwd });
  }
  const bin = ctx.facts.cli?.path ?? 'openclaw';
  return run(bin, args, { timeoutMs, env: ctx.env, cwd: ctx.cwd });
}

/**
 * `openclaw config set` parses the value as JSON5 and falls back to the raw string. Plain words
 * (`local`, `token`) go as they are, the way a person types them; everything else is JSON, so an
 * all-digit token stays a string and an array stays an array.
 */
export function configSetArgs(path: string, value: unknown): string[] {
  const bare = typeof value === 'string' && /^[a-z][a-z-]*$/.test(value) && !['true', 'false', 'null'].includes(value);
  return ['config', 'set', path, bare ? value : JSON.stringify(value)];
}

/**
 * One `openclaw config set --batch-json` for several values: each `openclaw` run costs seconds of
 * start-up (3 s on 2 cores, observed on 2026.9.6), and the batch writes the file once. The values
 * go as JSON, exactly what `configSetArgs` would have them parse to.
 */
export function configBatchArgs(assignments: Array<{ path: string; value: unknown }>): string[] {
  return ['config', 'set', '--batch-json', JSON.stringify(assignments.map((a) => ({ path: a.path, value: a.value })))];
}

/** `openclaw config set PATH VALUE`, quoted for a POSIX shell whatever the value holds. */
export function configSetCommand(path: string, value: unknown): string {
  return commandLine(configSetArgs(path, value));
}

export function commandLine(args: string[]): string {
  return shellCommand(['openclaw', ...args]);
}

/** Every raw secret the facts know, for redacting what a failing command printed. */
export function knownSecrets(ctx: Pick<ActionContext, 'facts'>): Secret[] {
  return ctx.facts.sources.flatMap((s) => (s.value ? [s.value] : []));
}

/**
 * Why a command failed, in one line a person can read: the first non-empty stderr line (or the
 * last, for commands that end with their error), redacted before it is cut so that no part of a
 * token survives the cut, and stripped of escape sequences (stderr is not ours).
 */
export function failureReason(r: RunResult, secrets: Iterable<Secret | string>, opts: { line?: 'first' | 'last'; max?: number } = {}): string {
  const lines = r.stderr.split('\n').filter((l) => l.trim());
  const line = opts.line === 'last' ? lines[lines.length - 1] : lines[0];
  return cutMessage(sanitizeForTerminal(redactText(r.failure ?? line?.trim() ?? `exit ${r.exitCode}`, secrets)), opts.max ?? 300);
}
