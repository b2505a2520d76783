/**
 * Who is listening on the gateway port, which other OpenClaw gateways run on this machine, and
 * what the gateway lock files say.
 *
 * Three ways to find listeners, fastest first: `ss` (one netlink query), `lsof` (walks every
 * process, slow on busy hosts, but present on machines without iproute2), and finally reading
 * /proc ourselves (always there on Linux, but mapping socket inodes to pids means walking every
 * /proc/<pid>/fd). Each listener's pid is then enriched from /proc/<pid>/{cmdline,comm,environ}:
 * the environment tells which state dir the running gateway really uses, which is the piece that
 * `openclaw gateway status` only guesses from the CLI's own environment.
 *
 * This module only reads. It never signals a process except with signal 0 (existence test).
 */
import { closeSync, constants as fsConstants, openSync, readSync } from 'node:fs';
import { access, readdir, readlink, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, delimiter, isAbsolute, join } from 'node:path';
import { readCommand as run } from './read-command.js';
import { resolveHome } from './paths.js';
import { type OpenFilesAttribution, parseLockPayload, profileStateDirs, readFdTargets, readLockFile, stateDirFromOpenFiles } from './process-state-dir.js';
import type { ListenerFacts, ListenerProcess } from './types.js';

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
/* Pure parsers                                                                                */
/* ------------------------------------------------------------------------------------------ */

export interface RawListener {
  /** `127.0.0.1:18789`, `[::1]:18789`, `*:18789`, as the tool printed it (normalised for /proc). */
  address: string;
  port: number;
  pid: number | null;
  /** Process name as the tool reported it (kernel `comm`, truncated to 15 chars). */
  command: string | null;
}

/** The port at the end of `host:port`, `[v6]:port` or `*:port`; null if there is none. */
export function portOfAddress(address: string): number | null {
  const m = /:(\d{1,5})$/.exec(address.trim());
  return m ? Number(m[1]) : null;
}

/**
 * `ss -ltnpH` output. Columns: State Recv-Q Send-Q Local Peer [Process]. The process column is
 * missing when the socket belongs to a process we may not inspect (another user, another pid
 * namespace); several processes share one socket after fork, so `users:(...)` may list many.
 */
export function parseSsListeners(text: string): RawListener[] {
  const out: RawListener[] = [];
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    // Tolerate a header line: older ss versions lack -H and we may have retried without it.
    if (!trimmed || /^(State|Netid)\b/.test(trimmed)) continue;
    const fields = trimmed.split(/\s+/);
    // With -t the first column is the state; with -a/-u (not used) a Netid column would come first.
    const offset = fields[0] === 'tcp' ? 1 : 0;
    const local = fields[offset + 3];
    if (!local) continue;
    const port = portOfAddress(local);
    if (port === null) continue;
    const usersAt = trimmed.indexOf('users:(');
    const procs: Array<{ name: string; pid: number }> = [];
    if (usersAt >= 0) {
      const re = /\("((?:[^"\\]|\\.)*)",pid=(\d+)(?:,fd=\d+)?\)/g;
      const users = trimmed.slice(usersAt);
      for (let m = re.exec(users); m; m = re.exec(users)) procs.push({ name: m[1] ?? '', pid: Number(m[2]) });
    }
    if (procs.length === 0) out.push({ address: local, port, pid: null, command: null });
    for (const p of procs) out.push({ address: local, port, pid: p.pid, command: p.name || null });
  }
  return dedupe(out);
}

/**
 * `lsof -nP -iTCP:PORT -sTCP:LISTEN -FpcnT` output: one field per line, the first character
 * names the field. `p` starts a process, `c` is its command, `f` starts a file, `n` is the
 * socket name, `T` carries TCP info (`TST=LISTEN`).
 */
export function parseLsofListeners(text: string): RawListener[] {
  const out: RawListener[] = [];
  let pid: number | null = null;
  let command: string | null = null;
  for (const line of text.split('\n')) {
    if (!line) continue;
    const tag = line[0];
    const value = line.slice(1);
    if (tag === 'p') {
      pid = /^\d+$/.test(value) ? Number(value) : null;
      command = null;
    } else if (tag === 'c') {
      command = value || null;
    } else if (tag === 'n') {
      // A connected socket prints `local->remote`; -sTCP:LISTEN excludes those, but be sure.
      if (value.includes('->')) continue;
      const port = portOfAddress(value);
      if (port === null) continue;
      out.push({ address: value, port, pid, command });
    }
  }
  return dedupe(out);
}

export interface ProcNetEntry {
  address: string;
  port: number;
  /** Two hex digits; `0A` is TCP_LISTEN. */
  state: string;
  inode: number;
  uid: number;
}

/** `0100007F` → `127.0.0.1`: the kernel prints the address as a host-order (little-endian) u32. */
function decodeV4(hex: string): string {
  const bytes: number[] = [];
  for (let i = 6; i >= 0; i -= 2) bytes.push(parseInt(hex.slice(i, i + 2), 16));
  return bytes.join('.');
}

/** IPv6 is four host-order u32 words; each word's bytes are reversed, the words are in order. */
function decodeV6(hex: string): string {
  const bytes: number[] = [];
  for (let w = 0; w < 4; w++) {
    const word = hex.slice(w * 8, w * 8 + 8);
    for (let i = 6; i >= 0; i -= 2) bytes.push(parseInt(word.slice(i, i + 2), 16));
  }
  // v4-mapped addresses read better in their usual form.
  if (bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff) {
    return `::ffff:${bytes.slice(12).join('.')}`;
  }
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0)).toString(16));
  // Compress the longest run of zero groups (RFC 5952), so `::1` rather than `0:0:0:0:0:0:0:1`.
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLen && j - i > 1) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (bestStart < 0) return groups.join(':');
  return `${groups.slice(0, bestStart).join(':')}::${groups.slice(bestStart + bestLen).join(':')}`;
}

/** One of /proc/net/tcp or /proc/net/tcp6, every row (filter on `state === '0A'` for listeners). */
export function parseProcNetTcp(text: string): ProcNetEntry[] {
  const out: ProcNetEntry[] = [];
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    // sl local rem st tx:rx tr:when retrnsmt uid timeout inode ...
    if (f.length < 10 || !/^\d+:$/.test(f[0] ?? '')) continue;
    const [hexAddr, hexPort] = (f[1] ?? '').split(':');
    if (!hexAddr || !hexPort) continue;
    let host: string;
    if (hexAddr.length === 8) host = decodeV4(hexAddr);
    else if (hexAddr.length === 32) host = `[${decodeV6(hexAddr)}]`;
    else continue;
    const port = parseInt(hexPort, 16);
    out.push({
      address: `${host}:${port}`,
      port,
      state: (f[3] ?? '').toUpperCase(),
      uid: Number(f[7]),
      inode: Number(f[9]),
    });
  }
  return out;
}

/** /proc/<pid>/cmdline: NUL-separated argv. A process that set its title leaves NUL padding. */
export function parseCmdline(raw: string): string[] {
  return raw.split('\0').filter((a) => a !== '');
}

/** argv for display: arguments with spaces are quoted so the line can be read back. */
export function formatCommandLine(argv: string[]): string {
  return argv.map((a) => (/[\s"'\\$]/.test(a) ? JSON.stringify(a) : a)).join(' ');
}

/** /proc/<pid>/environ: NUL-separated `NAME=value`. The first `=` splits (values may hold `=`). */
export function parseEnviron(raw: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const entry of raw.split('\0')) {
    const eq = entry.indexOf('=');
    if (eq <= 0) continue;
    env[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  return env;
}

/** `~` and `~/x` expand against home, as OpenClaw's resolveUserPath does. */
function expandHome(p: string, home: string | null): string {
  if (home && (p === '~' || p.startsWith('~/'))) return join(home, p.slice(1));
  return p;
}

/** Profile from argv: `--dev` is the `dev` profile, `--profile x` / `--profile=x` a named one. */
function profileFromArgv(argv: string[]): string | null {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (a === '--dev') return 'dev';
    if (a === '--profile') return argv[i + 1] ?? null;
    if (a.startsWith('--profile=')) return a.slice('--profile='.length) || null;
  }
  return null;
}

/**
 * Where a process with this environment keeps its state, resolved as OpenClaw does
 * (src/config/paths.ts): OPENCLAW_STATE_DIR, else `<OPENCLAW_HOME || HOME>/.openclaw[-profile]`.
 * argv is a fallback for the profile: a gateway started as `openclaw --profile x gateway run` in
 * one process keeps its original environment in /proc, without the variables the CLI set later.
 */
export function deriveStateDir(
  env: Record<string, string | undefined>,
  argv: string[] = [],
): { stateDir: string | null; configPath: string | null; home: string | null } {
  const rawHome = env.HOME?.trim() || null;
  const ocHome = env.OPENCLAW_HOME?.trim() ? expandHome(env.OPENCLAW_HOME.trim(), rawHome) : null;
  const home = ocHome ?? rawHome;
  const configPath = env.OPENCLAW_CONFIG_PATH?.trim() ? expandHome(env.OPENCLAW_CONFIG_PATH.trim(), home) : null;
  const explicit = env.OPENCLAW_STATE_DIR?.trim();
  if (explicit) return { stateDir: expandHome(explicit, home), configPath, home };
  if (!home) return { stateDir: null, configPath, home };
  // Only a --profile/--dev flag moves the state dir; an exported OPENCLAW_PROFILE alone changes
  // the port and log name but not the directory (the same rule as src/facts/paths.ts).
  const profileRaw = profileFromArgv(argv);
  const profile = profileRaw && profileRaw.toLowerCase() !== 'default' ? profileRaw : null;
  return { stateDir: join(home, profile ? `.openclaw-${profile}` : '.openclaw'), configPath, home };
}

/** The listener rule from the brief and from `openclaw gateway status`: anything mentioning openclaw. */
export function mentionsOpenClaw(command: string | null, commandLine: string | null): boolean {
  return /openclaw/i.test(command ?? '') || /openclaw/i.test(commandLine ?? '');
}

/** `openclaw gateway <sub>` subcommands that talk to a gateway rather than being one. */
const GATEWAY_CLIENT_SUBCOMMANDS = new Set([
  'status', 'stop', 'start', 'restart', 'install', 'uninstall', 'probe', 'call', 'health',
  'discover', 'auth-token', 'logs', 'usage-cost', 'help',
]);

/**
 * Stricter than {@link mentionsOpenClaw}, for scanning every process: this wizard, an editor on
 * ~/.openclaw/openclaw.json or `openclaw gateway status` all mention openclaw but are not
 * gateways. A gateway is the process named `openclaw-gateway` (kernel comm is cut to 15 chars:
 * `openclaw-gatewa`), an argv word `openclaw-gateway`, or the openclaw entry point (bin
 * `openclaw`, `openclaw.mjs`, or any script under node_modules/openclaw/) followed by `gateway`
 * with `run` or no client subcommand (`openclaw --dev gateway`, `... gateway --port 1`).
 */
export function looksLikeGatewayProcess(comm: string | null, argv: string[]): boolean {
  if (comm && /^openclaw-gatewa/i.test(comm.trim())) return true;
  let entryAt = -1;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    const base = basename(a);
    if (/^openclaw-gateway\b/i.test(base)) return true;
    if (entryAt < 0 && (/^openclaw(\.m?js|\.cjs)?$/i.test(base) || /[\\/]node_modules[\\/]openclaw[\\/]/i.test(a))) entryAt = i;
  }
  if (entryAt < 0) return false;
  const gw = argv.indexOf('gateway', entryAt + 1);
  if (gw < 0) return false;
  const next = argv.slice(gw + 1).find((a) => !a.startsWith('-'));
  return next === undefined || !GATEWAY_CLIENT_SUBCOMMANDS.has(next);
}

/** The lock payload: `{pid, configPath, stateDir?, port?, ...}` (src/infra/gateway-lock.ts). */
export function parseLockFile(text: string): { pid: number | null; configPath: string | null; stateDir: string | null; port: number | null } {
  return parseLockPayload(text);
}

function dedupe(list: RawListener[]): RawListener[] {
  const seen = new Set<string>();
  return list.filter((l) => {
    const key = `${l.pid ?? '-'}|${l.address}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/* ------------------------------------------------------------------------------------------ */
/* I/O                                                                                         */
/* ------------------------------------------------------------------------------------------ */

/** Upper bound on /proc entries visited per scan, so a host with a runaway fork stays fast. */
const MAX_PIDS = 8192;
/** Concurrent /proc reads: enough to hide latency, few enough not to exhaust file descriptors. */
const CONCURRENCY = 32;

/**
 * Read at most `max` bytes. /proc files report size 0, so read until EOF rather than trusting
 * stat; the bound keeps a huge environ or cmdline from costing anything.
 */
/**
 * Read a small file (mostly under /proc). Synchronous on purpose: a /proc read is an in-kernel
 * copy of a few hundred bytes, while the promise API costs three thread-pool round trips and a
 * 64 KiB buffer per file, which for a scan of every process dominated diagnose's own CPU time.
 */
async function readSmall(path: string, max = 64 * 1024): Promise<string | null> {
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

async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
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

async function listPids(procRoot: string): Promise<number[]> {
  try {
    const names = await readdir(procRoot);
    return names.filter((n) => /^\d+$/.test(n)).map(Number).slice(0, MAX_PIDS);
  } catch {
    return [];
  }
}

interface ProcInfo {
  comm: string | null;
  argv: string[];
  env: Record<string, string> | null;
  ppid: number | null;
}

async function readProcInfo(procRoot: string, pid: number, withEnv = true): Promise<ProcInfo> {
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
    const rest = statText.slice(statText.lastIndexOf(')') + 1).trim().split(/\s+/);
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

function toListenerProcess(
  pid: number | null,
  address: string,
  toolCommand: string | null,
  info: ProcInfo | null,
  open: OpenFilesAttribution | null = null,
): ListenerProcess {
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

/** Every LISTEN socket of this network namespace, from tcp and tcp6. Null when neither is readable. */
async function readProcListenSockets(procRoot: string): Promise<ProcNetEntry[] | null> {
  const [v4, v6] = await Promise.all([
    readSmall(join(procRoot, 'net', 'tcp'), 16 * 1024 * 1024),
    readSmall(join(procRoot, 'net', 'tcp6'), 16 * 1024 * 1024),
  ]);
  if (v4 === null && v6 === null) return null;
  return [...parseProcNetTcp(v4 ?? ''), ...parseProcNetTcp(v6 ?? '')].filter((e) => e.state === '0A');
}

/** Socket inodes held by one process: its fd symlinks read `socket:[inode]`. */
async function socketInodesOf(procRoot: string, pid: number): Promise<number[]> {
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
async function pidsForInodes(procRoot: string, wanted: Set<number>): Promise<Map<number, number>> {
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
    const h = hostOf(l.address).replace(/^\[|\]$/g, '').toLowerCase();
    if (loop.includes(h)) return 0;
    if (isWildcardHost(h)) return 1;
    return 2;
  };
  return list.map((l, i) => ({ l, i })).sort((a, b) => score(a.l) - score(b.l) || a.i - b.i).map((x) => x.l);
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
async function scanGatewayCandidates(procRoot: string): Promise<number[]> {
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
    const moreDirs = lockDirs([...listeners, ...otherGateways].map((l) => l.stateDir).filter((s): s is string => !!s), opts.env, uid).filter((d) => !seen.has(d));
    locks.push(...(await readLocks(moreDirs)));
    attributeFromLocks(listeners, locks);
    attributeFromLocks(otherGateways, locks);

    return { port, method, listeners, otherGateways, locks, error: method === 'none' ? reasons.join('; ') : null };
  } catch (err) {
    // Fact modules never throw: an unexpected failure is a fact too.
    return { port, method: 'none', listeners: [], otherGateways: [], locks: [], error: `listeners: ${err instanceof Error ? err.message : String(err)}` };
  }
}
