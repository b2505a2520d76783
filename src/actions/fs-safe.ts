import { copyFile, rename, writeFile, stat, open, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';

/**
 * Copy a file next to itself before the wizard edits it: `<name>.otw-bak-<timestamp>`. Never
 * overwrites an earlier backup, so repeated runs keep every previous state.
 */
export async function backupFile(path: string, now: Date = new Date()): Promise<string> {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  let target = `${path}.otw-bak-${stamp}`;
  for (let i = 1; ; i++) {
    try {
      await copyFile(path, target, 1 /* COPYFILE_EXCL */);
      return target;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || i > 50) throw err;
      target = `${path}.otw-bak-${stamp}-${i}`;
    }
  }
}

/**
 * Write through a temp file in the same directory and rename over the target, so a crash or
 * Ctrl-C leaves either the old file or the new one, never half of it. Keeps the file's mode.
 */
export async function writeFileAtomic(path: string, content: string): Promise<void> {
  let mode = 0o600;
  try {
    mode = (await stat(path)).mode & 0o777;
  } catch {
    // new file: owner-only, as OpenClaw keeps its config and .env files
  }
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(tmp, content, { mode });
    const fh = await open(tmp, 'r+');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
}
