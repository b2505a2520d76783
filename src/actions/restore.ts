/**
 * What `undo` does to files: compare each journalled file with its backup (a diff a person can
 * read, tokens as fingerprints), then put the backup's bytes back, atomically, through symlinks,
 * keeping the file's mode, and read them back. A file the run created is removed.
 */
import { createHash } from 'node:crypto';
import { unlink } from 'node:fs/promises';
import { createTwoFilesPatch } from 'diff';
import { redactText } from '../secret.js';
import { sanitizeForTerminal } from '../text/sanitize.js';
import { readRegularBytes, writeFileAtomic } from './fs-safe.js';
import type { Journal, JournalFile } from './journal.js';

export interface FilePlan {
  file: JournalFile;
  /** The file now; null when missing. */
  current: Buffer | null;
  /** What undo puts back; null: the run created the file, undo removes it. */
  restore: Buffer | null;
  /** The backup could not be read: this file cannot be restored. */
  problem: string | null;
  /** The file changed after the wizard wrote it: undo would discard someone else's edit. */
  changedSince: boolean;
  /** Already as it was before the run. */
  same: boolean;
}

async function bytesOrNull(path: string): Promise<Buffer | null> {
  try {
    return await readRegularBytes(path);
  } catch {
    return null;
  }
}

const sha = (b: Buffer | null) => (b ? createHash('sha256').update(b).digest('hex') : null);

/** Files in reverse order of first change, so the oldest state is what remains. */
export async function planRestore(journal: Journal): Promise<FilePlan[]> {
  const out: FilePlan[] = [];
  for (const file of [...journal.files].reverse()) {
    const current = await bytesOrNull(file.path);
    const restore = file.backup ? await bytesOrNull(file.backup) : null;
    const problem = file.backup && !restore ? `the backup ${file.backup} cannot be read` : null;
    const same = !problem && (restore ? !!current && current.equals(restore) : !current);
    out.push({ file, current, restore, problem, changedSince: sha(current) !== file.sha256After, same });
  }
  return out;
}

/** Token-like values in config or `.env` text: the value after a token/password/secret key, and long opaque runs. */
function tokenLike(text: string): string[] {
  const keyed = [...text.matchAll(/(?:token|password|secret)["'`]?\s*[:=]\s*["'`]?([^"'`\s,}]+)/gi)].map((m) => m[1]!);
  const opaque = [...text.matchAll(/[A-Za-z0-9_-]{20,}/g)].map((m) => m[0]).filter((s) => /\d/.test(s) && /[a-z]/i.test(s));
  return [...keyed, ...opaque];
}

/** A unified diff from the file now to what undo restores, with every token as its fingerprint. */
export function restoreDiff(plan: FilePlan, known: string[] = []): string {
  const now = plan.current?.toString('utf8') ?? '';
  const then = plan.restore?.toString('utf8') ?? '';
  const secrets = [...known, ...tokenLike(now), ...tokenLike(then)];
  const patch = createTwoFilesPatch(plan.file.path, plan.file.path, now, then, 'now', plan.restore ? 'after undo' : 'removed by undo', { context: 2 });
  // Drop the "Index:" and "=====" lines; the ---/+++ lines name the file (a path, not a secret:
  // the opaque-run guess would take a temp dir's random suffix for a token), the rest is redacted.
  const [, , minus = '', plus = '', ...hunks] = patch.split('\n');
  return sanitizeForTerminal(`${minus}\n${plus}\n${redactText(hunks.join('\n'), secrets)}`).trimEnd();
}

export type RestoreResult = { path: string; ok: true; message: string } | { path: string; ok: false; message: string };

/** Put one file back and read it back: byte-identical to the backup, or a failure that says so. */
export async function restoreFile(plan: FilePlan): Promise<RestoreResult> {
  const path = plan.file.path;
  if (plan.problem) return { path, ok: false, message: plan.problem };
  if (plan.same) return { path, ok: true, message: `${path} is already as it was before the run` };
  try {
    if (!plan.restore) {
      await unlink(plan.file.target);
      return { path, ok: true, message: `removed ${path} (the run created it)` };
    }
    const written = await writeFileAtomic(path, plan.restore);
    const back = await readRegularBytes(path);
    if (!back.equals(plan.restore)) return { path, ok: false, message: `${path} was written but reads back differently from the backup` };
    return { path, ok: true, message: `restored ${path}${written === path ? '' : ` (→ ${written})`} from ${plan.file.backup}` };
  } catch (err) {
    return { path, ok: false, message: `${path}: ${(err as Error).message}` };
  }
}
