/**
 * Rewriting one `OPENCLAW_GATEWAY_TOKEN=` line of a .env file (or commenting it out), after a
 * backup, atomically. The line must still assign the variable, so a file changed since the
 * diagnosis is left alone.
 */
import { readFile } from 'node:fs/promises';
import { backupFile, writeFileAtomic } from './fs-safe.js';
import type { ActionContext, ActionOutcome } from './types.js';

export async function rewriteEnvLine(ctx: ActionContext, file: string, line: number, replacement: string | null, what: string): Promise<ActionOutcome> {
  if (ctx.dryRun) return { ok: true, message: `dry run: would edit ${file} line ${line}` };
  const text = await readFile(file, 'utf8');
  const lines = text.split('\n');
  const current = lines[line - 1];
  if (current === undefined || !/^\s*(export\s+)?OPENCLAW_GATEWAY_TOKEN\s*=/.test(current)) {
    return { ok: false, message: `${file} line ${line} no longer sets OPENCLAW_GATEWAY_TOKEN: left unchanged` };
  }
  const backup = await backupFile(file);
  lines[line - 1] = replacement ?? `# ${current.trim()}   # disabled by openclaw-token-wizard ${new Date().toISOString().slice(0, 10)}: the config token is the one source of truth`;
  await writeFileAtomic(file, lines.join('\n'));
  ctx.record({ at: new Date().toISOString(), what: `${what} (${file} line ${line})`, commands: [`edit ${file} line ${line}`], files: [file], backups: [backup] });
  return { ok: true, message: `${what} in ${file} line ${line} (backup ${backup})` };
}
