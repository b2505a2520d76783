import { run, type RunResult } from '../exec.js';
import type { ActionContext } from './types.js';

/**
 * Run an `openclaw` command for a change. The person sees the command first (redacted by the
 * prompter), so what the wizard runs is always something they could have typed.
 */
export async function runOpenClaw(ctx: ActionContext, args: string[], timeoutMs = 60_000): Promise<RunResult> {
  const bin = ctx.facts.cli?.path ?? 'openclaw';
  return run(bin, args, { timeoutMs, env: ctx.env, cwd: ctx.cwd });
}

/** `openclaw config set` parses values as JSON5: JSON-quote strings so an all-digit token stays a string. */
export function configSetArgs(path: string, value: unknown): string[] {
  return ['config', 'set', path, JSON.stringify(value)];
}

export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

export function commandLine(args: string[]): string {
  return ['openclaw', ...args].map(shellQuote).join(' ');
}
