/**
 * Writing the support report and its diagnosis JSON: never over an existing file unless --force,
 * and a failure is an answer with its reason (the caller prints the report instead), never lost.
 */
import { lstat } from 'node:fs/promises';
import { writeFileAtomic } from './fs-safe.js';

export type ReportWrite = { ok: true; written: string[] } | { ok: false; reason: string };

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}

/** `files`: path → content, written in order; nothing is written when one of them already exists (without `force`). */
export async function writeReportFiles(files: Array<[string, string]>, force: boolean): Promise<ReportWrite> {
  // The file being written, named in a failure (the error itself names the temp file beside it).
  let current = files[0]?.[0] ?? 'the report';
  try {
    if (!force) {
      for (const [path] of files) if (await exists(path)) return { ok: false, reason: `${path} already exists (add --force to overwrite it, or choose another file with --report)` };
    }
    const written: string[] = [];
    for (const [path, content] of files) {
      current = path;
      await writeFileAtomic(path, content);
      written.push(path);
    }
    return { ok: true, written };
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why = e.code === 'ENOENT' ? 'the directory does not exist' : e.code === 'EACCES' || e.code === 'EPERM' ? 'permission denied' : e.code === 'EROFS' ? 'read-only file system' : e.message;
    return { ok: false, reason: `could not write ${current}: ${why}` };
  }
}
