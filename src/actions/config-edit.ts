/**
 * Changing OpenClaw's config: by editing the file ourselves, so only the bytes of each value set
 * change (comments, order, numbers, formatting and `meta` stay), after a backup, atomically,
 * through a symlink to its target, the same change the `openclaw config set` commands shown would
 * make. The CLI is used only for a config the wizard cannot edit safely itself (one that spreads
 * over `$include` files, or a value the byte editor refuses): each `openclaw config set` is a
 * whole OpenClaw start-up, seconds of a fix's time to connected. A file that could not be read
 * or parsed is never rewritten.
 */
import { lstat, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { readBounded, SMALL_FILE_BYTES } from '../fs/read-bounded.js';
import { cutMessage, type Secret } from '../secret.js';
import { sanitizeForTerminal } from '../text/sanitize.js';
import { backupFile, writeFileAtomic } from './fs-safe.js';
import { commandLine, configBatchArgs, configSetArgs, configSetCommand, failureReason, knownSecrets, runOpenClaw } from './openclaw-cli.js';
import type { ActionContext, ActionOutcome } from './types.js';

export interface ConfigAssignment {
  path: string;
  value: unknown;
  /** How the value is shown (a token shows as its fingerprint). */
  display?: string;
}

export function configCommands(assignments: ConfigAssignment[]): string[] {
  return assignments.map((a) => (a.display ? commandLine(['config', 'set', a.path, JSON.stringify(a.display)]) : configSetCommand(a.path, a.value)));
}

/** The secrets a failure message may echo: the known ones and the credential values being set. */
function secretsFor(ctx: ActionContext, assignments: ConfigAssignment[]): Array<Secret | string> {
  const setting = assignments.flatMap((a) => (typeof a.value === 'string' && /token|password|secret/i.test(a.path) ? [a.value] : []));
  return [...knownSecrets(ctx), ...setting];
}

async function exists(path: string): Promise<boolean> {
  return lstat(path).then(
    () => true,
    () => false,
  );
}

export async function applyConfig(ctx: ActionContext, what: string, assignments: ConfigAssignment[]): Promise<ActionOutcome> {
  const shown = configCommands(assignments);
  const configPath = ctx.facts.config?.path ?? ctx.facts.paths?.configPath;
  if (!configPath) return { ok: false, message: 'no home directory: cannot locate the OpenClaw config' };
  // Not "would run openclaw config set": the run edits the file itself (see editConfigFile).
  if (ctx.dryRun) return { ok: true, message: `dry run: would set ${assignments.map((a) => a.path).join(', ')} in ${configPath}` };
  // The host's `openclaw config set` edits the host's config: a container's mounted one is edited here.
  const cliCanDoIt = !!ctx.facts.cli?.found && !ctx.facts.container?.container?.config;
  const direct = await editConfigFile(ctx, configPath, what, assignments, cliCanDoIt);
  if (direct) return direct;

  const stateDir = ctx.facts.paths?.stateDir ?? null;
  // Whether the file is there now, not what the facts said: a config the reader choked on still gets its backup.
  const backups = (await exists(configPath)) ? [await backupFile(configPath, { stateDir })] : [];
  // Several values: one run of the CLI (the commands shown stay one per value, to type by hand).
  const only = assignments.length === 1 ? assignments[0] : undefined;
  const r = await runOpenClaw(ctx, only ? configSetArgs(only.path, only.value) : configBatchArgs(assignments));
  if (!r.ok) {
    if (backups.length) ctx.record({ at: new Date().toISOString(), what: `backed up ${configPath}`, commands: [], files: [configPath], backups });
    const which = only ? only.path : `--batch-json (${assignments.map((a) => a.path).join(', ')})`;
    return { ok: false, message: `openclaw config set ${which} failed: ${failureReason(r, secretsFor(ctx, assignments))}` };
  }
  ctx.record({ at: new Date().toISOString(), what, commands: shown, files: [configPath], backups });
  return { ok: true, message: `${what} (${configPath})` };
}

/** `$include` pulls parts of the config from other files: which file holds a value is OpenClaw's call. */
const INCLUDES = /["']?\$include["']?\s*:/;

/**
 * A byte edit of each value, refused as a whole if any part cannot be done. With `orCli`, a file
 * the wizard cannot edit safely is left to `openclaw config set` (null), not refused.
 */
async function editConfigFile(ctx: ActionContext, configPath: string, what: string, assignments: ConfigAssignment[], orCli: boolean): Promise<ActionOutcome | null> {
  const byHand = `run these by hand: ${configCommands(assignments).join(' ; ')}`;
  const read = await readBounded(configPath, { maxBytes: SMALL_FILE_BYTES });
  if (!read.ok && !read.missing) return orCli ? null : { ok: false, message: `cannot read ${configPath} (${read.message}): left unchanged; ${byHand}` };
  if (orCli && read.ok && INCLUDES.test(read.text)) return null;
  let text = read.ok ? read.text : '{}\n';
  // The JSON5 editor is loaded only when the wizard edits the file itself (no openclaw CLI).
  const { editJson5Value } = await import('../text/json5-edit.js');
  for (const a of assignments) {
    const r = editJson5Value(text, a.path.split('.'), a.value);
    if (!r.ok) {
      if (orCli) return null;
      const why = cutMessage(sanitizeForTerminal(r.message), 200);
      return { ok: false, message: `${configPath} cannot be edited safely (${why}): left unchanged; ${byHand}` };
    }
    text = r.text;
  }
  const backups = read.ok ? [await backupFile(configPath, { stateDir: ctx.facts.paths?.stateDir ?? null })] : [];
  if (!read.ok) await mkdir(dirname(configPath), { recursive: true, mode: 0o700 });
  const written = await writeFileAtomic(configPath, text);
  const where = written === configPath ? configPath : `${configPath} → ${written}`;
  ctx.record({ at: new Date().toISOString(), what, commands: [`edit ${where}: ${assignments.map((a) => a.path).join(', ')}`], files: [written], backups });
  return { ok: true, message: `${what} (${where}, edited in place${orCli ? '' : ': openclaw CLI not found'})` };
}
