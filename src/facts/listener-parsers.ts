/**
 * Pure parsers for the listener facts: `ss`, `lsof` and /proc/net/tcp output, /proc/<pid>
 * cmdline and environ blobs, the state dir a process environment implies, what looks like a
 * gateway process, gateway lock payloads. No I/O here: listeners.ts reads, these interpret.
 */
import { basename, join } from 'node:path';
import { parseLockPayload } from './process-state-dir.js';

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
  for (let i = 0; i < 8;) {
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
export function deriveStateDir(env: Record<string, string | undefined>, argv: string[] = []): { stateDir: string | null; configPath: string | null; home: string | null } {
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
const GATEWAY_CLIENT_SUBCOMMANDS = new Set(['status', 'stop', 'start', 'restart', 'install', 'uninstall', 'probe', 'call', 'health', 'discover', 'auth-token', 'logs', 'usage-cost', 'help']);

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

export function dedupe(list: RawListener[]): RawListener[] {
  const seen = new Set<string>();
  return list.filter((l) => {
    const key = `${l.pid ?? '-'}|${l.address}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
