/**
 * The journal of a run that changed something: what, when, each file with the 0600 backup taken
 * before the run first changed it, and the command that reverses each action. One JSON file per
 * run, `<state dir>/otw-journal/<timestamp>.json` (0600 in a 0700 directory, beside the backups),
 * rewritten after every change so a crash or Ctrl-C still leaves it behind. `undo` reads it.
 * It holds paths, commands and hashes only: the commands are the ones already shown on screen,
 * where tokens appear as fingerprints.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { readBounded, SMALL_FILE_BYTES } from '../fs/read-bounded.js';
import { shellQuote } from '../text/shell-quote.js';
import { backupDir, readRegularBytes, writeFileAtomic, writeTarget } from './fs-safe.js';
import type { Change } from './types.js';

export const JOURNAL_SCHEMA = 'openclaw-token-wizard.journal/v1';
export const JOURNAL_DIR = 'otw-journal';

export interface JournalFile {
  /** The path as the wizard named it (may be a symlink). */
  path: string;
  /** The file actually written (a symlink's target). */
  target: string;
  /** The copy of the file from before this run changed it; null: the run created the file. */
  backup: string | null;
  /** sha256 of the file when the journal was last written; null: missing. Undo warns when it differs. */
  sha256After: string | null;
  /** The command that puts the file back as it was. */
  reverse: string;
}

export interface JournalAction {
  at: string;
  what: string;
  commands: string[];
  /** The files it changed (restored by undo); empty for an action such as a restart. */
  files: string[];
  /** The command that reverses it, or null when there is none (said in `note`). */
  reverse: string | null;
  note?: string;
}

export interface Journal {
  schema: typeof JOURNAL_SCHEMA;
  flow: string;
  startedAt: string;
  endedAt: string | null;
  end: string | null;
  stateDir: string;
  files: JournalFile[];
  actions: JournalAction[];
  undoneAt: string | null;
}

export function journalDir(stateDir: string | null | undefined): string {
  // The same base the backups use, so both live side by side.
  return join(backupDir(stateDir, new Date(0)), '..', '..', JOURNAL_DIR);
}

/** How a non-file action is reversed: a person-readable command, or why there is none. */
export function reverseOf(command: string, what: string): { reverse: string | null; note?: string } {
  if (/^openclaw gateway restart$/.test(command)) return { reverse: 'openclaw gateway restart', note: 'after the files are restored, so the gateway reads them again' };
  if (/^openclaw gateway start$/.test(command)) return { reverse: 'openclaw gateway stop' };
  if (/^docker compose up -d\b/.test(command)) return { reverse: command, note: 'after the files are restored, so the container gets the old environment again' };
  const pid = /\(pid (\d+)/.exec(what);
  if (/^nohup openclaw .*gateway/.test(command) && pid) return { reverse: `kill ${pid[1]}`, note: 'stops the gateway the wizard started' };
  if (/^kill \d+$/.test(command)) return { reverse: null, note: 'a stopped process is not started again by undo; start the gateway as you usually do' };
  if (/^openclaw devices approve /.test(command)) return { reverse: null, note: 'an approved device stays approved; remove it with openclaw devices if you do not want it' };
  return { reverse: null };
}

export function fileReverse(path: string, backup: string | null): string {
  // cp into an existing file writes through a symlink and keeps the file's mode.
  return backup ? `cp -- ${shellQuote(backup)} ${shellQuote(path)}` : `rm -- ${shellQuote(path)}`;
}

export async function sha256OfFile(path: string): Promise<string | null> {
  try {
    return createHash('sha256')
      .update(await readRegularBytes(path))
      .digest('hex');
  } catch {
    return null;
  }
}

function stamp(d: Date): string {
  return d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.(\d+)Z$/, '.$1Z');
}

/**
 * Collects a run's changes as they are recorded and keeps the journal file up to date. `record`
 * is synchronous (it is called from ctx.record); the writes are chained and `flush` awaits them.
 */
export class JournalWriter {
  private journal: Journal | null = null;
  private path: string | null = null;
  private chain: Promise<void> = Promise.resolve();
  /** A write that failed: reported by flush, never thrown into the step that made the change. */
  error: Error | null = null;

  constructor(
    private readonly flow: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  get file(): string | null {
    return this.path;
  }

  record(change: Change, stateDir: string | null): void {
    this.chain = this.chain
      .then(() => this.add(change, stateDir))
      .catch((err: unknown) => {
        this.error = err instanceof Error ? err : new Error(String(err));
      });
  }

  /** Write the journal's final state (the run's end); returns its path, or null when nothing changed. */
  async flush(end?: string): Promise<string | null> {
    await this.chain;
    if (!this.journal || !this.path) return null;
    if (end) {
      this.journal.end = end;
      this.journal.endedAt = this.now().toISOString();
    }
    try {
      await this.write();
    } catch (err) {
      this.error = err instanceof Error ? err : new Error(String(err));
    }
    return this.error ? null : this.path;
  }

  private async add(change: Change, stateDir: string | null): Promise<void> {
    if (!this.journal) {
      const started = this.now();
      const dir = journalDir(stateDir);
      this.journal = { schema: JOURNAL_SCHEMA, flow: this.flow, startedAt: started.toISOString(), endedAt: null, end: null, stateDir: join(dir, '..'), files: [], actions: [], undoneAt: null };
      this.path = join(dir, `${stamp(started)}.json`);
      await mkdir(dir, { recursive: true, mode: 0o700 });
    }
    const j = this.journal;
    // files[i] was backed up as backups[i]; a file with no backup did not exist before.
    for (const [i, path] of change.files.entries()) {
      const target = await writeTarget(path);
      const backup = change.backups[i] ?? null;
      // Only the first backup of a file counts: it holds the file as it was before the run.
      if (j.files.some((f) => f.target === target)) continue;
      j.files.push({ path, target, backup, sha256After: null, reverse: fileReverse(path, backup) });
    }
    const reverse = change.files.length ? { reverse: change.files.map((f, i) => fileReverse(f, change.backups[i] ?? null)).join(' && ') } : reverseOf(change.commands[0] ?? '', change.what);
    j.actions.push({ at: change.at, what: change.what, commands: change.commands, files: change.files, ...reverse });
    await this.write();
  }

  private async write(): Promise<void> {
    const j = this.journal!;
    for (const f of j.files) f.sha256After = await sha256OfFile(f.target);
    await writeFileAtomic(this.path!, JSON.stringify(j, null, 2) + '\n');
  }
}

/** The journals under a state dir, newest first. */
export async function listJournals(stateDir: string | null): Promise<Array<{ path: string; journal: Journal }>> {
  const dir = journalDir(stateDir);
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.json'));
  } catch {
    return [];
  }
  const out: Array<{ path: string; journal: Journal }> = [];
  for (const name of names.sort().reverse()) {
    const path = join(dir, name);
    const j = await readJournal(path);
    if (j) out.push({ path, journal: j });
  }
  return out;
}

export async function readJournal(path: string): Promise<Journal | null> {
  const r = await readBounded(path, { maxBytes: SMALL_FILE_BYTES });
  if (!r.ok) return null;
  try {
    const j = JSON.parse(r.text) as Journal;
    return j.schema === JOURNAL_SCHEMA && Array.isArray(j.files) && Array.isArray(j.actions) ? j : null;
  } catch {
    return null;
  }
}

/** The command that undoes the last run, with the options that find the same state dir. */
export function undoCommand(o: { configFlag?: string | null; profile?: string | null; dev?: boolean }): string {
  const args = ['openclaw-token-wizard', 'undo'];
  if (o.configFlag) args.push('--config', o.configFlag);
  if (o.profile) args.push('--profile', o.profile);
  if (o.dev) args.push('--dev');
  return args.map(shellQuote).join(' ');
}

/** A run's closing line, followed by how to undo it when the run changed something. */
export function withUndoLine(closing: string, changed: boolean, o: Parameters<typeof undoCommand>[0]): string {
  return changed ? `${closing}\nTo undo these changes: ${undoCommand(o)}` : closing;
}

export async function markUndone(path: string, journal: Journal, at: Date): Promise<void> {
  await writeFileAtomic(path, JSON.stringify({ ...journal, undoneAt: at.toISOString() }, null, 2) + '\n');
}
