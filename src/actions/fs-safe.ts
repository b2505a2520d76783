/**
 * The two ways the wizard writes a file it did not create: a backup first, then an atomic write.
 *
 * Backups live under the state dir, `<state dir>/otw-backups/<timestamp>/<escaped path>`, mode
 * 0600 in 0700 directories, whatever the source's mode. Why there and not next to the file: a
 * `.env` sits in a project directory, where a copy named `.env.otw-bak-…` escapes a `.env` ignore
 * rule (git, docker build contexts) and a 0644 copy of a 0600 file widens who can read the token.
 * The state dir is private to the person and holds the config already, so every backup is in
 * one place that no project rule has to know about.
 */
import { constants } from 'node:fs';
import { lstat, mkdir, open, readlink, realpath, rename, stat, unlink } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { homedir } from 'node:os';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';

/** Larger than any config or `.env` the wizard edits; a bigger file is not backed up blindly. */
const MAX_BACKUP_BYTES = 16 * 1024 * 1024;

export interface BackupOptions {
  /** OpenClaw's state dir; default $OPENCLAW_STATE_DIR, else ~/.openclaw. */
  stateDir?: string | null;
  now?: Date;
}

export function backupDir(stateDir: string | null | undefined, now: Date): string {
  const base = stateDir ?? (process.env.OPENCLAW_STATE_DIR?.trim() || join(homedir(), '.openclaw'));
  return join(
    base,
    'otw-backups',
    now
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d+Z$/, 'Z'),
  );
}

/**
 * `/home/u/proj/.env` → `~%2Fproj%2F.env` (under HOME) or `srv%2Fapp%2F.env`: one flat,
 * reversible file name per source, short enough to read in a summary.
 */
export function escapedPathName(path: string): string {
  const full = resolve(path);
  const home = homedir();
  const name = full.startsWith(`${home}/`) ? `~/${full.slice(home.length + 1)}` : full.replace(/^\/+/, '');
  return encodeURIComponent(name).replace(/^\./, '%2E');
}

/**
 * Copy `path` (through symlinks: the content a reader sees) into the backup dir and return the
 * backup's path. Never overwrites an earlier backup. Reads a regular file only, bounded, opened
 * non-blocking, so a FIFO or a device is refused instead of hanging.
 */
export async function backupFile(path: string, opts: BackupOptions | Date = {}): Promise<string> {
  const o = opts instanceof Date ? { now: opts } : opts;
  const content = await readRegularBytes(path);
  const dir = backupDir(o.stateDir, o.now ?? new Date());
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const name = escapedPathName(path);
  for (let i = 0; ; i++) {
    const target = join(dir, i === 0 ? name : `${name}-${i}`);
    let fh;
    try {
      fh = await open(target, 'wx', 0o600);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || i >= 10_000) throw err;
      continue;
    }
    try {
      await fh.chmod(0o600); // whatever the umask or the source mode
      await fh.writeFile(content);
      await fh.sync();
    } finally {
      await fh.close();
    }
    return target;
  }
}

/** A regular file's bytes, bounded, opened non-blocking (a FIFO or a device is refused, not waited on). */
export async function readRegularBytes(path: string): Promise<Buffer> {
  const fh = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw new Error(`${path} is not a regular file: not backed up`);
    if (st.size > MAX_BACKUP_BYTES) throw new Error(`${path} is too large to back up (${st.size} bytes)`);
    return await fh.readFile();
  } finally {
    await fh.close();
  }
}

/**
 * The file a write to `path` must replace: a symlink's final target (a config kept in a dotfiles
 * repo stays a symlink, and the repo's file gets the change), else `path` itself. A dangling
 * symlink is followed to where it points, so the link comes alive instead of being replaced.
 */
export async function writeTarget(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  let current = resolve(path);
  for (let hops = 0; hops < 40; hops++) {
    let st;
    try {
      st = await lstat(current);
    } catch {
      return current; // nothing there: a new file
    }
    if (!st.isSymbolicLink()) return current;
    const link = await readlink(current);
    current = isAbsolute(link) ? link : resolve(dirname(current), link);
  }
  throw new Error(`${path}: too many symbolic links`);
}

/**
 * Write through a temp file in the target's directory and rename it over the target, so a crash
 * or Ctrl-C leaves either the old file or the new one, never half of it. Writes through symlinks
 * to their target and keeps the target's mode (a new file is owner-only, as OpenClaw keeps its
 * config and `.env` files). Returns the path actually written.
 */
export async function writeFileAtomic(path: string, content: string | Uint8Array): Promise<string> {
  const target = await writeTarget(path);
  let mode = 0o600;
  try {
    const st = await stat(target);
    if (!st.isFile()) throw new Error(`${path} is not a regular file: not written`);
    mode = st.mode & 0o777;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const tmp = join(dirname(target), `.${basename(target)}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const fh = await open(tmp, 'wx', 0o600);
    try {
      await fh.writeFile(content);
      await fh.chmod(mode); // after creation: the umask does not apply to chmod
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, target);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
  return target;
}
