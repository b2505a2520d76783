/**
 * Where a support report may go: its directory must exist (a report into a missing directory
 * is said, not silently dropped), and an existing file is never overwritten: the report goes
 * beside it under the first free numbered name (`report-2.md`), and the caller says so.
 */
import { lstat, stat } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';

export type ReportPath = { ok: true; path: string; instead: string | null } | { ok: false; message: string };

const taken = (p: string) =>
  lstat(p).then(
    () => true,
    () => false,
  );

export async function freeReportPath(wanted: string): Promise<ReportPath> {
  const dir = dirname(wanted);
  const d = await stat(dir).catch(() => null);
  if (!d) return { ok: false, message: `cannot write the report to ${wanted}: the directory ${dir} does not exist` };
  if (!d.isDirectory()) return { ok: false, message: `cannot write the report to ${wanted}: ${dir} is not a directory` };
  if (!(await taken(wanted))) return { ok: true, path: wanted, instead: null };
  const ext = extname(wanted);
  const stem = basename(wanted, ext);
  for (let n = 2; n < 1000; n++) {
    const candidate = join(dir, `${stem}-${n}${ext}`);
    if (!(await taken(candidate))) return { ok: true, path: candidate, instead: wanted };
  }
  return { ok: false, message: `cannot write the report: ${wanted} and 998 numbered names beside it exist` };
}
