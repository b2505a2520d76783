/**
 * The one way the wizard reads a file it did not write: regular files only, never more than
 * `maxBytes`, opened non-blocking so a FIFO or a device (a `.env` symlinked to /dev/zero, an
 * `EnvironmentFile=` that is a pipe) is refused instead of hanging or growing without end.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';

export type BoundedRead = { ok: true; text: string; size: number; truncated: boolean } | { ok: false; missing: boolean; message: string };

export interface BoundedReadOptions {
  /** Refuse (or, with `tail`, cut) a file larger than this. */
  maxBytes: number;
  /** Read only the last `maxBytes` of a larger file instead of refusing it (logs). */
  tail?: boolean;
}

/** 1 MiB: every config, `.env`, compose and service file we read is far smaller. */
export const SMALL_FILE_BYTES = 1024 * 1024;

// O_NONBLOCK: opening a FIFO for reading without a writer would otherwise wait forever.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

function refusal(err: unknown): BoundedRead {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return { ok: false, missing: true, message: 'not found' };
  if (code === 'EACCES' || code === 'EPERM') return { ok: false, missing: false, message: 'permission denied' };
  if (code === 'ELOOP') return { ok: false, missing: false, message: 'too many symbolic links (a symlink loop)' };
  if (code === 'EISDIR') return { ok: false, missing: false, message: 'is a directory' };
  return { ok: false, missing: false, message: code ?? (err instanceof Error ? err.message : String(err)) };
}

function kindOf(st: { isDirectory(): boolean; isFIFO(): boolean; isSocket(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean }): string {
  if (st.isDirectory()) return 'is a directory';
  if (st.isFIFO()) return 'is a FIFO (named pipe), not a regular file';
  if (st.isSocket()) return 'is a socket, not a regular file';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'is a device, not a regular file';
  return 'is not a regular file';
}

/** Where to start and how much to read, or why not to read at all. */
function plan(size: number, opts: BoundedReadOptions): { start: number; length: number; truncated: boolean } | string {
  if (size <= opts.maxBytes) return { start: 0, length: size, truncated: false };
  if (!opts.tail) return `too large (${size} bytes, limit ${opts.maxBytes})`;
  return { start: size - opts.maxBytes, length: opts.maxBytes, truncated: true };
}

export async function readBounded(path: string, opts: BoundedReadOptions): Promise<BoundedRead> {
  let fh;
  try {
    fh = await open(path, OPEN_FLAGS);
  } catch (err) {
    return refusal(err);
  }
  try {
    const st = await fh.stat();
    if (!st.isFile()) return { ok: false, missing: false, message: kindOf(st) };
    const p = plan(st.size, opts);
    if (typeof p === 'string') return { ok: false, missing: false, message: p };
    const buf = Buffer.alloc(p.length);
    let off = 0;
    while (off < p.length) {
      const { bytesRead } = await fh.read(buf, off, p.length - off, p.start + off);
      if (bytesRead === 0) break;
      off += bytesRead;
    }
    return { ok: true, text: buf.subarray(0, off).toString('utf8'), size: st.size, truncated: p.truncated };
  } catch (err) {
    return refusal(err);
  } finally {
    await fh.close().catch(() => undefined);
  }
}

/** The same contract, synchronously, for parsers that stay plain functions (compose). */
export function readBoundedSync(path: string, opts: BoundedReadOptions): BoundedRead {
  let fd: number;
  try {
    fd = openSync(path, OPEN_FLAGS);
  } catch (err) {
    return refusal(err);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return { ok: false, missing: false, message: kindOf(st) };
    const p = plan(st.size, opts);
    if (typeof p === 'string') return { ok: false, missing: false, message: p };
    const buf = Buffer.alloc(p.length);
    let off = 0;
    while (off < p.length) {
      const n = readSync(fd, buf, off, p.length - off, p.start + off);
      if (n === 0) break;
      off += n;
    }
    return { ok: true, text: buf.subarray(0, off).toString('utf8'), size: st.size, truncated: p.truncated };
  } catch (err) {
    return refusal(err);
  } finally {
    closeSync(fd);
  }
}
