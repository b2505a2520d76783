/**
 * Setting or commenting out OPENCLAW_GATEWAY_TOKEN on one line of a .env file as a fix step's
 * action: the byte-exact, read-back edit of env-line-edit.ts, recorded as a change with its backup.
 */
import { setEnvLine } from './env-line-edit.js';
import type { ActionContext, ActionOutcome } from './types.js';

const VARIABLE = 'OPENCLAW_GATEWAY_TOKEN';

export async function rewriteEnvLine(ctx: ActionContext, file: string, line: number, value: string | null, what: string): Promise<ActionOutcome> {
  if (ctx.dryRun) return { ok: true, message: `dry run: would edit ${file} line ${line}` };
  const r = await setEnvLine(file, line, VARIABLE, value, { stateDir: ctx.facts.paths?.stateDir ?? null, note: 'the config token is the one source of truth' });
  if (!r.ok) return { ok: false, message: r.message };
  ctx.record({ at: new Date().toISOString(), what: `${what} (${file} line ${line})`, commands: [`edit ${file} line ${line}`], files: [r.file], backups: [r.backup] });
  return { ok: true, message: `${what} in ${file} line ${line} (backup ${r.backup})` };
}
