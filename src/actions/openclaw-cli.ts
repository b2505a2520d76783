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

/**
 * `openclaw config set` parses the value as JSON5 and falls back to the raw string. Plain words
 * (`local`, `token`) go as they are, the way a person types them; everything else is JSON, so an
 * all-digit token stays a string and an array stays an array.
 */
export function configSetArgs(path: string, value: unknown): string[] {
  const bare = typeof value === 'string' && /^[a-z][a-z-]*$/.test(value) && !['true', 'false', 'null'].includes(value);
  return ['config', 'set', path, bare ? (value as string) : JSON.stringify(value)];
}

export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

export function commandLine(args: string[]): string {
  return ['openclaw', ...args].map(shellQuote).join(' ');
}
