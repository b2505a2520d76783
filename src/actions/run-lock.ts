/**
 * One wizard run at a time per state dir: two `fix --yes` on one config would each write a token
 * and one would report a token the config no longer holds. The lock is a file in the state dir
 * that appears complete or not at all (written aside, then hard-linked into place, which fails if
 * it exists). A lock whose process has gone (or whose pid now belongs to a process started later)
 * is stale and taken over; a live one is reported with who holds it.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { link, mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface LockHolder {
  pid: number;
  since: string;
  command: string;
}

/** `unavailable`: the lock cannot be written at all (a read-only state dir); says why. */
export type RunLockResult = { release(): Promise<void> } | { heldBy: LockHolder } | { unavailable: string };

interface LockRecord extends LockHolder {
  /** The holder's start time in clock ticks since boot (Linux), so a reused pid is not mistaken for it. */
  startTicks: string | null;
  nonce: string;
}

export const LOCK_NAME = 'openclaw-token-wizard.lock';

function startTicks(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 22, counted after the parenthesised command name (which may hold spaces).
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

function holderAlive(rec: LockRecord): boolean {
  try {
    process.kill(rec.pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const now = startTicks(rec.pid);
  return rec.startTicks === null || now === null || now === rec.startTicks;
}

function parseRecord(text: string): LockRecord | null {
  try {
    const r = JSON.parse(text) as Partial<LockRecord>;
    return typeof r.pid === 'number' && Number.isInteger(r.pid) && r.pid > 0 ? ({ since: '?', command: '?', startTicks: null, nonce: '', ...r } as LockRecord) : null;
  } catch {
    return null;
  }
}

/** Try to put `record` in place; false when a lock file is already there. */
async function place(path: string, record: LockRecord): Promise<boolean> {
  const aside = `${path}.${record.nonce}.new`;
  await writeFile(aside, JSON.stringify(record), { mode: 0o600, flag: 'wx' });
  try {
    await link(aside, path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    await unlink(aside).catch(() => undefined);
  }
}

/**
 * Move a stale lock out of the way. It is renamed aside first and checked: if what was moved is
 * not the stale lock that was read (another run replaced it meanwhile), it is put back.
 */
async function removeStale(path: string, staleText: string): Promise<void> {
  const aside = `${path}.${randomBytes(6).toString('hex')}.stale`;
  try {
    await rename(path, aside);
  } catch {
    return; // already gone
  }
  const moved = await readFile(aside, 'utf8').catch(() => staleText);
  if (moved !== staleText) await link(aside, path).catch(() => undefined);
  await unlink(aside).catch(() => undefined);
}

const UNWRITABLE = new Set(['EACCES', 'EPERM', 'EROFS']);

/** The lock, who holds it, or (a state dir this user cannot write) why there can be none. */
export async function acquireRunLock(stateDir: string, opts: { command?: string; now?: Date } = {}): Promise<RunLockResult> {
  try {
    return await acquire(stateDir, opts);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    if (!UNWRITABLE.has(code)) throw err;
    return { unavailable: `${stateDir} is not writable (${code === 'EROFS' ? 'read-only file system' : 'permission denied'})` };
  }
}

async function acquire(stateDir: string, opts: { command?: string; now?: Date }): Promise<RunLockResult> {
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  const path = join(stateDir, LOCK_NAME);
  const record: LockRecord = {
    pid: process.pid,
    since: (opts.now ?? new Date()).toISOString(),
    command: opts.command ?? process.argv.slice(1).join(' '),
    startTicks: startTicks(process.pid),
    nonce: randomBytes(8).toString('hex'),
  };
  for (let attempt = 0; attempt < 5; attempt++) {
    if (await place(path, record)) return { release: () => release(path, record.nonce) };
    const text = await readFile(path, 'utf8').catch(() => null);
    if (text === null) continue; // released meanwhile: try again
    const holder = parseRecord(text);
    if (holder && holderAlive(holder)) return { heldBy: { pid: holder.pid, since: holder.since, command: holder.command } };
    await removeStale(path, text);
  }
  const text = await readFile(path, 'utf8').catch(() => '');
  const holder = parseRecord(text);
  return { heldBy: { pid: holder?.pid ?? 0, since: holder?.since ?? '?', command: holder?.command ?? `unreadable lock ${path}` } };
}

async function release(path: string, nonce: string): Promise<void> {
  const text = await readFile(path, 'utf8').catch(() => null);
  if (text !== null && parseRecord(text)?.nonce === nonce) await unlink(path).catch(() => undefined);
}
