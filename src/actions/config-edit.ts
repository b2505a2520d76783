/**
 * Changing OpenClaw's config: through `openclaw config set` when the CLI is here (it validates
 * and keeps its own .bak ring), else by editing the file ourselves, only when it is plain JSON
 * (a JSON5 file with comments would lose them), after a backup, atomically.
 */
import { readFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { backupFile, writeFileAtomic } from './fs-safe.js';
import { commandLine, configSetArgs, runOpenClaw } from './openclaw-cli.js';
import type { ActionContext, ActionOutcome } from './types.js';

export interface ConfigAssignment {
  path: string;
  value: unknown;
  /** How the value is shown (a token shows as its fingerprint). */
  display?: string;
}

export function configCommands(assignments: ConfigAssignment[]): string[] {
  return assignments.map((a) => (a.display ? `openclaw config set ${a.path} '${JSON.stringify(a.display)}'` : commandLine(configSetArgs(a.path, a.value))));
}

export async function applyConfig(ctx: ActionContext, what: string, assignments: ConfigAssignment[]): Promise<ActionOutcome> {
  const shown = configCommands(assignments);
  const configPath = ctx.facts.config?.path ?? ctx.facts.paths?.configPath;
  if (!configPath) return { ok: false, message: 'no home directory: cannot locate the OpenClaw config' };
  if (ctx.dryRun) return { ok: true, message: `dry run: would run ${shown.join(' && ')}` };
  const backups: string[] = [];
  if (ctx.facts.config?.exists) backups.push(await backupFile(configPath));

  if (ctx.facts.cli?.found) {
    for (const a of assignments) {
      const r = await runOpenClaw(ctx, configSetArgs(a.path, a.value));
      if (!r.ok) {
        const why = (r.failure ?? r.stderr.split('\n').find((l) => l.trim()) ?? `exit ${r.exitCode}`).slice(0, 300);
        if (backups.length) ctx.record({ at: new Date().toISOString(), what: `backed up ${configPath}`, commands: [], files: [], backups });
        return { ok: false, message: `openclaw config set ${a.path} failed: ${why}` };
      }
    }
    ctx.record({ at: new Date().toISOString(), what, commands: shown, files: [configPath], backups });
    return { ok: true, message: `${what} (${configPath})` };
  }

  let doc: Record<string, unknown> = {};
  if (ctx.facts.config?.exists) {
    if (!ctx.facts.config.isPlainJson) {
      return { ok: false, message: `the openclaw CLI is not on PATH and ${configPath} is JSON5 (comments would be lost): run these by hand: ${shown.join(' ; ')}` };
    }
    doc = JSON.parse(await readFile(configPath, 'utf8')) as Record<string, unknown>;
  } else {
    await mkdir(dirname(configPath), { recursive: true, mode: 0o700 });
  }
  for (const a of assignments) setPath(doc, a.path, a.value);
  await writeFileAtomic(configPath, JSON.stringify(doc, null, 2) + '\n');
  ctx.record({ at: new Date().toISOString(), what, commands: [`edit ${configPath}: ${assignments.map((a) => a.path).join(', ')}`], files: [configPath], backups });
  return { ok: true, message: `${what} (${configPath}, edited directly: openclaw CLI not found)` };
}

export function setPath(doc: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node: Record<string, unknown> = doc;
  for (const k of keys.slice(0, -1)) {
    const next = node[k];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[k] = {};
    node = node[k] as Record<string, unknown>;
  }
  node[keys[keys.length - 1]!] = value;
}
