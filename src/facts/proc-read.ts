/**
 * Reading /proc for the listener facts: small bounded reads of a process's comm, cmdline,
 * environ and stat, the kernel's LISTEN sockets, socket inodes held by a process, and the scan of
 * every process for gateway-looking ones. Unreadable entries (another user's process, one that
 * just exited) are skipped, never errors.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { looksLikeGatewayProcess, parseCmdline, parseEnviron, parseProcNetTcp, type ProcNetEntry } from './listener-parsers.js';

/** Upper bound on /proc entries visited per scan, so a host with a runaway fork stays fast. */
const MAX_PIDS = 8192;
/** Concurrent /proc reads: enough to hide latency, few enough not to exhaust file descriptors. */
export const CONCURRENCY = 32;

/**
 * Read at most `max` bytes. /proc files report size 0, so read until EOF rather than trusting
 * stat; the bound keeps a huge environ or cmdline from costing anything.
 */
/**
 * Read a small file (mostly under /proc). Synchronous on purpose: a /proc read is an in-kernel
 * copy of a few hundred bytes, while the promise API costs three thread-pool round trips and a
 * 64 KiB buffer per file, which for a scan of every process dominated diagnose's own CPU time.
 */
export async function readSmall(path: string, max = 64 * 1024): Promise<string | null> {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const chunk = Buffer.allocUnsafe(Math.min(max, 8192));
    const parts: Buffer[] = [];
    let total = 0;
    while (total < max) {
      const n = readSync(fd, chunk, 0, Math.min(chunk.length, max - total), null);
      if (n === 0) break;
      parts.push(Buffer.from(chunk.subarray(0, n)));
      total += n;
    }
    return Buffer.concat(parts, total).toString('utf8');
  } catch {
    return null;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

export async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

export async function listPids(procRoot: string): Promise<number[]> {
  try {
    const names = await readdir(procRoot);
    return names
      .filter((n) => /^\d+$/.test(n))
      .map(Number)
      .slice(0, MAX_PIDS);
  } catch {
    return [];
  }
}

export interface ProcInfo {
  comm: string | null;
  argv: string[];
  env: Record<string, string> | null;
  ppid: number | null;
}

export async function readProcInfo(procRoot: string, pid: number, withEnv = true): Promise<ProcInfo> {
  const dir = join(procRoot, String(pid));
  const [comm, cmdline, environ, statText] = await Promise.all([
    readSmall(join(dir, 'comm'), 256),
    readSmall(join(dir, 'cmdline')),
    withEnv ? readSmall(join(dir, 'environ'), 256 * 1024) : Promise.resolve(null),
    readSmall(join(dir, 'stat'), 4096),
  ]);
  // stat: `pid (comm) state ppid ...`; comm may contain spaces and parens, so split after the last `)`.
  let ppid: number | null = null;
  if (statText) {
    const rest = statText
      .slice(statText.lastIndexOf(')') + 1)
      .trim()
      .split(/\s+/);
    const n = Number(rest[1]);
    ppid = Number.isInteger(n) && n >= 0 ? n : null;
  }
  return {
    comm: comm?.trim() || null,
    argv: cmdline ? parseCmdline(cmdline) : [],
    env: environ ? parseEnviron(environ) : null,
    ppid,
  };
}

/** Every LISTEN socket of this network namespace, from tcp and tcp6. Null when neither is readable. */
export async function readProcListenSockets(procRoot: string): Promise<ProcNetEntry[] | null> {
  const [v4, v6] = await Promise.all([readSmall(join(procRoot, 'net', 'tcp'), 16 * 1024 * 1024), readSmall(join(procRoot, 'net', 'tcp6'), 16 * 1024 * 1024)]);
  if (v4 === null && v6 === null) return null;
  return [...parseProcNetTcp(v4 ?? ''), ...parseProcNetTcp(v6 ?? '')].filter((e) => e.state === '0A');
}

/** Socket inodes held by one process: its fd symlinks read `socket:[inode]`. */
export async function socketInodesOf(procRoot: string, pid: number): Promise<number[]> {
  const fdDir = join(procRoot, String(pid), 'fd');
  let fds: string[];
  try {
    fds = await readdir(fdDir);
  } catch {
    return []; // another user's process, or it just exited
  }
  const inodes: number[] = [];
  for (const fd of fds) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(await readlink(join(fdDir, fd)));
      if (m) inodes.push(Number(m[1]));
    } catch {
      /* fd closed meanwhile */
    }
  }
  return inodes;
}

/**
 * Map socket inodes to pids by walking /proc/<pid>/fd. This is the expensive part of the /proc
 * fallback, so it stops as soon as every wanted inode has an owner (a socket shared after fork
 * then reports only one of its processes; ss and lsof, tried first, report all of them).
 */
export async function pidsForInodes(procRoot: string, wanted: Set<number>): Promise<Map<number, number>> {
  const owners = new Map<number, number>();
  if (wanted.size === 0) return owners;
  const pids = await listPids(procRoot);
  await mapLimit(pids, CONCURRENCY, async (pid) => {
    if (owners.size >= wanted.size) return;
    for (const inode of await socketInodesOf(procRoot, pid)) {
      if (wanted.has(inode) && !owners.has(inode)) owners.set(inode, pid);
    }
  });
  return owners;
}

/**
 * Process names whose command line is worth reading: a gateway is `openclaw-gateway` by title, or
 * a JavaScript runtime running openclaw. Everything else (a `sleep`, a shell, a browser tab) is
 * decided from its 15-character comm alone, one small read instead of two.
 */
const MAYBE_GATEWAY_COMM = /openclaw|node|bun|deno|mainthread|npm|npx|pnpm|yarn|tsx/i;
/** Let other checks' I/O run between batches: the /proc reads here are synchronous. */
const YIELD_EVERY = 128;

/** Pids whose comm/cmdline look like a gateway: a bounded scan of /proc, unreadable entries skipped. */
export async function scanGatewayCandidates(procRoot: string): Promise<number[]> {
  const pids = (await listPids(procRoot)).filter((p) => p !== process.pid);
  const hits: number[] = [];
  for (let i = 0; i < pids.length; i++) {
    if (i % YIELD_EVERY === YIELD_EVERY - 1) await new Promise((r) => setImmediate(r));
    const pid = pids[i] as number;
    const dir = join(procRoot, String(pid));
    const comm = (await readSmall(join(dir, 'comm'), 256))?.trim() || null;
    if (!comm || !MAYBE_GATEWAY_COMM.test(comm)) continue;
    const cmdline = await readSmall(join(dir, 'cmdline'));
    if (looksLikeGatewayProcess(comm, cmdline ? parseCmdline(cmdline) : [])) hits.push(pid);
  }
  return hits;
}
