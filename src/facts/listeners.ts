/**
 * Who is listening on the gateway port, which other OpenClaw gateways run on this machine, and
 * what the gateway lock files say.
 *
 * Finding the port's owner, cheapest first: the pids named by live gateway locks, proven by the
 * socket inode in their own /proc/<pid>/fd (no other process is looked at); then `ss -p` and
 * `lsof` (both walk every process's descriptors, slow on busy hosts); finally /proc ourselves.
 * Each listener's pid is then enriched from /proc/<pid>/{cmdline,comm,environ} and, above all,
 * from what it has open (process-state-dir.ts): that tells which state dir the running gateway
 * really uses, which `openclaw gateway status` only guesses from the CLI's own environment.
 *
 * This module only reads. It never signals a process except with signal 0 (existence test).
 */
import { constants as fsConstants } from 'node:fs';
import { access, readdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, isAbsolute, join } from 'node:path';
import { readCommand as run } from './read-command.js';
import { resolveHome } from './paths.js';
import { type OpenFilesAttribution, profileStateDirs, readFdTargets, readLockFile, stateDirFromOpenFiles } from './process-state-dir.js';
import { CONCURRENCY, mapLimit, pidsForInodes, type ProcInfo, readProcInfo, readProcListenSockets, scanGatewayCandidates, socketInodesOf } from './proc-read.js';
import type { ListenerFacts, ListenerProcess } from './types.js';
import { dedupe, deriveStateDir, formatCommandLine, mentionsOpenClaw, parseLsofListeners, parseSsListeners, type ProcNetEntry, type RawListener } from './listener-parsers.js';

// Re-exported: callers and tests import the parsers from here.
export {
  deriveStateDir,
  formatCommandLine,
  looksLikeGatewayProcess,
  mentionsOpenClaw,
  parseCmdline,
  parseEnviron,
  parseLockFile,
  parseLsofListeners,
  parseProcNetTcp,
  parseSsListeners,
  portOfAddress,
  type ProcNetEntry,
  type RawListener,
} from './listener-parsers.js';

export interface ReadListenersOptions {
  port: number;
  /** The host the wizard will connect to; listeners that serve it are listed first. */
  host?: string;
  env: NodeJS.ProcessEnv;
  /** State dirs whose lock dirs are read (the one the CLI resolved, profiles seen, ...). */
  stateDirs: string[];
  timeoutMs: number;
  /** Override tool paths (tests point them at nonexistent files to force a fallback). */
  tools?: { ss?: string; lsof?: string };
  /** Root of the proc filesystem, `/proc` unless a test passes a fixture tree. */
  procRoot?: string;
  /**
   * Scan every process for other gateways: `auto` (default) only when the port is not served by a
   * gateway of one of `stateDirs`; `always`; `never`. Only the port's own pids are always read.
   */
  otherGateways?: 'auto' | 'always' | 'never';
}

type Lock = ListenerFacts['locks'][number];

/* ------------------------------------------------------------------------------------------ */
/* I/O                                                                                         */
/* ------------------------------------------------------------------------------------------ */

function toListenerProcess(pid: number | null, address: string, toolCommand: string | null, info: ProcInfo | null, open: OpenFilesAttribution | null = null): ListenerProcess {
  const command = info?.comm ?? toolCommand;
  const commandLine = info && info.argv.length > 0 ? formatCommandLine(info.argv) : null;
  const derived = info?.env ? deriveStateDir(info.env, info.argv) : { stateDir: null, configPath: null, home: null };
  const out: ListenerProcess = {
    pid,
    address,
    command,
    commandLine,
    isGateway: mentionsOpenClaw(command, commandLine),
    stateDir: derived.stateDir,
    configPath: derived.configPath,
    home: derived.home,
  };
  // What it has open beats what its environment suggests: `--dev`/`--profile` leave no trace there.
  if (open) {
    out.stateDir = open.stateDir;
    out.configPath = open.configPath ?? (derived.stateDir === open.stateDir ? derived.configPath : null);
    out.stateDirSource = open.via === 'lock' ? 'open-lock' : 'open-state-db';
  } else if (derived.stateDir) out.stateDirSource = 'environment';
  return out;
}

/** A listener or gateway whose open files told nothing: a live lock naming its pid still does. */
function attributeFromLocks(list: ListenerProcess[], locks: Lock[]): void {
  for (const l of list) {
    if (l.pid === null || l.stateDirSource === 'open-lock' || l.stateDirSource === 'open-state-db') continue;
    const lock = locks.find((k) => k.pid === l.pid && k.alive !== false && k.stateDir);
    if (!lock?.stateDir) continue;
    l.stateDir = lock.stateDir;
    l.configPath = lock.configPath ?? l.configPath;
    l.stateDirSource = 'lock-file';
  }
}

async function isExecutable(p: string): Promise<boolean> {
  try {
    await access(p, fsConstants.X_OK);
    return (await stat(p)).isFile();
  } catch {
    return false;
  }
}

/**
 * ss lives in /usr/sbin or /sbin on some distributions, which a normal user's PATH may lack, so
 * look there too rather than report "not found" for a tool that is installed.
 */
async function resolveTool(name: string, env: NodeJS.ProcessEnv): Promise<string | null> {
  const dirs = (env.PATH ?? '').split(delimiter).filter((d) => d && isAbsolute(d));
  for (const d of [...dirs, '/usr/sbin', '/sbin', '/usr/bin', '/bin']) {
    const p = join(d, name);
    if (await isExecutable(p)) return p;
  }
  return null;
}

type ToolResult = { ok: true; listeners: RawListener[] } | { ok: false; reason: string };

function toolEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  // A fixed locale keeps the output format stable; PATH only matters to the tool's own helpers.
  return { PATH: env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C' };
}

async function viaSs(file: string, port: number, opts: ReadListenersOptions): Promise<ToolResult> {
  const filter = `sport = :${port}`;
  let r = await run(file, ['-ltnpH', filter], { timeoutMs: opts.timeoutMs, env: toolEnv(opts.env) });
  // Old iproute2 (< 4.x) has no -H; the parser skips the header, so retry without it.
  if (!r.ok && !r.failure && /invalid option|unrecognized option/i.test(r.stderr)) {
    r = await run(file, ['-ltnp', filter], { timeoutMs: opts.timeoutMs, env: toolEnv(opts.env) });
  }
  if (!r.ok) return { ok: false, reason: `ss: ${r.failure ?? (r.stderr.trim().split('\n')[0] || `exit ${r.exitCode}`)}` };
  return { ok: true, listeners: parseSsListeners(r.stdout).filter((l) => l.port === port) };
}

async function viaLsof(file: string, port: number, opts: ReadListenersOptions): Promise<ToolResult> {
  const r = await run(file, ['-nP', `-iTCP:${port}`, '-sTCP:LISTEN', '-FpcnT'], {
    timeoutMs: opts.timeoutMs,
    env: toolEnv(opts.env),
  });
  if (r.failure) return { ok: false, reason: `lsof: ${r.failure}` };
  // lsof exits 1 when it found nothing, which for us is the answer "port is free".
  if (r.exitCode === 0 || (r.exitCode === 1 && r.stdout.trim() === '')) {
    return { ok: true, listeners: parseLsofListeners(r.stdout).filter((l) => l.port === port) };
  }
  return { ok: false, reason: `lsof: ${r.stderr.trim().split('\n')[0] || `exit ${r.exitCode}`}` };
}

async function viaProc(port: number, procRoot: string, sockets: ProcNetEntry[] | null): Promise<ToolResult> {
  if (sockets === null) return { ok: false, reason: `${join(procRoot, 'net', 'tcp')}: not readable` };
  const mine = sockets.filter((s) => s.port === port);
  const owners = await pidsForInodes(procRoot, new Set(mine.map((s) => s.inode).filter((i) => i > 0)));
  return {
    ok: true,
    listeners: dedupe(mine.map((s) => ({ address: s.address, port, pid: owners.get(s.inode) ?? null, command: null }))),
  };
}

/** Signal 0 tests existence without delivering anything; EPERM means it exists as another user. */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Lock dirs: current `<stateDir>/tmp/openclaw-<uid>/` and legacy `<tmpdir>/openclaw-<uid>/`. */
export function lockDirs(stateDirs: string[], env: NodeJS.ProcessEnv, uid: number | null): string[] {
  if (uid === null) return [];
  const name = `openclaw-${uid}`;
  const dirs = stateDirs.map((s) => join(s, 'tmp', name));
  // The gateway's os.tmpdir() follows its own TMPDIR; ours and the diagnosed env's cover the usual cases.
  for (const t of [tmpdir(), env.TMPDIR]) if (t) dirs.push(join(t, name));
  return [...new Set(dirs)];
}

async function readLocks(dirs: string[]): Promise<Lock[]> {
  const locks: Lock[] = [];
  for (const dir of dirs) {
    let names: string[];
    try {
      names = await readdir(dir);
    } catch {
      continue;
    }
    // `gateway.state.lock` and `gateway.<sha256(configPath)[0:8]>.lock` both match.
    for (const name of names.filter((n) => /^gateway\..+\.lock$/.test(n)).sort()) {
      const file = join(dir, name);
      const parsed = readLockFile(file);
      const pid = parsed?.pid ?? null;
      locks.push({
        file,
        pid,
        configPath: parsed?.configPath ?? null,
        port: parsed?.port ?? null,
        alive: pid === null ? null : pidAlive(pid),
        stateDir: parsed?.stateDir ?? null,
      });
    }
  }
  return locks;
}

function isWildcardHost(h: string): boolean {
  return h === '*' || h === '0.0.0.0' || h === '[::]' || h === '::';
}

function hostOf(address: string): string {
  return address.replace(/:\d+$/, '').replace(/%[^\]]*$/, '');
}

/** Listeners that would answer a connection to `host` first; order is otherwise kept. */
function sortForHost(list: ListenerProcess[], host: string | undefined): ListenerProcess[] {
  if (!host) return list;
  const want = host.replace(/^\[|\]$/g, '').toLowerCase();
  const loop = want === 'localhost' ? ['127.0.0.1', '::1'] : [want];
  const score = (l: ListenerProcess): number => {
    const h = hostOf(l.address)
      .replace(/^\[|\]$/g, '')
      .toLowerCase();
    if (loop.includes(h)) return 0;
    if (isWildcardHost(h)) return 1;
    return 2;
  };
  return list
    .map((l, i) => ({ l, i }))
    .sort((a, b) => score(a.l) - score(b.l) || a.i - b.i)
    .map((x) => x.l);
}

/**
 * Whether to look at every process for other gateways. `auto`: only when this port is not served
 * by a gateway whose state dir is one of the diagnosed ones (nothing listens, a stranger listens,
 * or a gateway of another profile answers): then the other gateways explain where it went. In the
 * common healthy case the scan of every process on the machine is skipped.
 */
function wantsOtherGateways(mode: ReadListenersOptions['otherGateways'], listeners: ListenerProcess[], stateDirs: string[]): boolean {
  if (mode === 'always') return true;
  if (mode === 'never') return false;
  const served = listeners.some((l) => l.isGateway && l.stateDir !== null && stateDirs.includes(l.stateDir));
  return !served;
}

/**
 * Other OpenClaw gateway processes: scan /proc/<pid>/comm and cmdline (bounded), keep those that
 * look like a gateway and are not one of this port's listeners. The listeners' helper workers
 * (children) and their launchers (`openclaw gateway run` with the same state dir, or a listener's
 * parent) belong to the same gateway and are left out, so that one gateway never reads as two.
 */
async function findOtherGateways(
  procRoot: string,
  candidates: number[],
  listeners: ListenerProcess[],
  listenerInfo: Map<number, ProcInfo>,
  sockets: ProcNetEntry[] | null,
): Promise<ListenerProcess[]> {
  const listenerPids = new Set(listeners.map((l) => l.pid).filter((p): p is number => p !== null));
  const listenerParents = new Set([...listenerInfo.values()].map((i) => i.ppid).filter((p): p is number => p !== null && p > 1));
  const listenerStateDirs = new Set(listeners.filter((l) => l.isGateway && l.stateDir).map((l) => l.stateDir));

  const listenByInode = new Map((sockets ?? []).map((s) => [s.inode, s.address] as const));
  const out: ListenerProcess[] = [];
  for (const pid of candidates) {
    if (listenerPids.has(pid)) continue;
    const info = await readProcInfo(procRoot, pid);
    if (info.ppid !== null && listenerPids.has(info.ppid)) continue; // a worker of a listener
    if (listenerParents.has(pid)) continue; // the launcher that started a listener
    const base = toListenerProcess(pid, '', null, info, stateDirFromOpenFiles(procRoot, pid));
    const namedGateway = /^openclaw-gatewa/i.test(info.comm ?? '');
    if (!namedGateway && base.stateDir && listenerStateDirs.has(base.stateDir)) continue; // its launcher
    // Where it listens, if anywhere: '' means not listening (stale, starting, or not ours to see).
    const addrs = (await socketInodesOf(procRoot, pid)).map((i) => listenByInode.get(i)).filter((a): a is string => !!a);
    out.push({ ...base, address: [...new Set(addrs)].join(', '), isGateway: true });
  }
  return out;
}

/**
 * The cheap way to the port's owner, tried before any tool: the kernel's LISTEN sockets for the
 * port (/proc/net/tcp*) and the pids named by live gateway locks, checked by their descriptors.
 * `ss -p`, `lsof` and the /proc fallback all walk every process's descriptors to map a socket to
 * its pid, which on a host with thousands of processes costs more than everything else diagnose
 * does. A lock only nominates a pid: it counts only if that pid holds the very socket inode.
 * Returns null (use the tools) unless every listening socket of the port has a proven owner.
 */
function viaLockedPids(port: number, procRoot: string, sockets: ProcNetEntry[] | null, locks: Lock[]): RawListener[] | null {
  const mine = (sockets ?? []).filter((s) => s.port === port && s.inode > 0);
  if (!mine.length) return null;
  const wanted = new Set(mine.map((s) => s.inode));
  const owners = new Map<number, number>();
  for (const pid of new Set(locks.filter((l) => l.alive && l.pid !== null).map((l) => l.pid as number))) {
    for (const t of readFdTargets(procRoot, pid)) {
      const m = /^socket:\[(\d+)\]$/.exec(t);
      const inode = m ? Number(m[1]) : 0;
      if (wanted.has(inode) && !owners.has(inode)) owners.set(inode, pid);
    }
  }
  if (owners.size < wanted.size) return null;
  return dedupe(mine.map((s) => ({ address: s.address, port, pid: owners.get(s.inode) ?? null, command: null })));
}

type Found = { method: ListenerFacts['method']; raw: RawListener[]; reasons: string[] };

/** Listening sockets of the port with their pids: locked pids first, then ss, lsof, /proc. */
async function findListeners(opts: ReadListenersOptions, procRoot: string, socketsP: Promise<ProcNetEntry[] | null>, locks: Lock[]): Promise<Found> {
  const port = opts.port;
  const reasons: string[] = [];
  if (!opts.tools) {
    const fast = viaLockedPids(port, procRoot, await socketsP, locks);
    if (fast) return { method: 'proc', raw: fast, reasons };
  }
  const ssPath = opts.tools?.ss ?? (await resolveTool('ss', opts.env)) ?? 'ss';
  const ss = await viaSs(ssPath, port, opts);
  if (ss.ok) return { method: 'ss', raw: ss.listeners, reasons };
  reasons.push(ss.reason);
  const lsofPath = opts.tools?.lsof ?? (await resolveTool('lsof', opts.env)) ?? 'lsof';
  const lsof = await viaLsof(lsofPath, port, opts);
  if (lsof.ok) return { method: 'lsof', raw: lsof.listeners, reasons };
  reasons.push(lsof.reason);
  const proc = await viaProc(port, procRoot, await socketsP);
  if (proc.ok) return { method: 'proc', raw: proc.listeners, reasons };
  reasons.push(proc.reason);
  return { method: 'none', raw: [], reasons };
}

export async function readListeners(opts: ReadListenersOptions): Promise<ListenerFacts> {
  const procRoot = opts.procRoot ?? '/proc';
  const port = opts.port;
  try {
    // Only reads /proc, so it runs while the locks are read. /proc/net/tcp* serves the lock and
    // /proc paths and also tells where the other gateways listen.
    const socketsP = readProcListenSockets(procRoot);
    // The diagnosed state dirs and the profile dirs under the home: a `--profile x` gateway names
    // itself in `~/.openclaw-x/tmp/openclaw-<uid>/gateway.*.lock`, even when its descriptors are
    // not ours to read.
    const uid = typeof process.getuid === 'function' ? process.getuid() : null;
    const earlyDirs = lockDirs([...opts.stateDirs, ...profileStateDirs(resolveHome(opts.env).home)], opts.env, uid);
    const locks = await readLocks(earlyDirs);
    const { method, raw, reasons } = await findListeners(opts, procRoot, socketsP, locks);

    const infos = new Map<number, ProcInfo>();
    const openFiles = new Map<number, OpenFilesAttribution | null>();
    await mapLimit([...new Set(raw.map((l) => l.pid).filter((p): p is number => p !== null))], CONCURRENCY, async (pid) => {
      infos.set(pid, await readProcInfo(procRoot, pid));
      // Only the pids holding the port have their descriptors walked.
      openFiles.set(pid, stateDirFromOpenFiles(procRoot, pid));
    });
    const listeners = sortForHost(
      raw.map((l) => {
        const info = l.pid === null ? null : (infos.get(l.pid) ?? null);
        // A process that exited between the tool and our read has no /proc entry: keep the tool's view.
        const live = info && (info.comm || info.argv.length) ? info : null;
        return toListenerProcess(l.pid, l.address, l.command, live, l.pid === null ? null : (openFiles.get(l.pid) ?? null));
      }),
      opts.host,
    );

    const otherGateways = wantsOtherGateways(opts.otherGateways, listeners, opts.stateDirs)
      ? await findOtherGateways(procRoot, await scanGatewayCandidates(procRoot), listeners, infos, await socketsP)
      : [];

    // Plus the lock dir of every state dir a running gateway revealed.
    const seen = new Set(earlyDirs);
    const moreDirs = lockDirs(
      [...listeners, ...otherGateways].map((l) => l.stateDir).filter((s): s is string => !!s),
      opts.env,
      uid,
    ).filter((d) => !seen.has(d));
    locks.push(...(await readLocks(moreDirs)));
    attributeFromLocks(listeners, locks);
    attributeFromLocks(otherGateways, locks);

    return { port, method, listeners, otherGateways, locks, error: method === 'none' ? reasons.join('; ') : null };
  } catch (err) {
    // Fact modules never throw: an unexpected failure is a fact too.
    return { port, method: 'none', listeners: [], otherGateways: [], locks: [], error: `listeners: ${err instanceof Error ? err.message : String(err)}` };
  }
}
