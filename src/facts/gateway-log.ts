/**
 * What clients saw, read from the gateway's own log: the browser's failed handshakes are only
 * visible here (a probe without the browser's device identity cannot reproduce them).
 *
 * Accepts the file log (tslog JSON lines) and the console form a foreground gateway prints
 * (ANSI-coloured `TIME [subsystem] message`, possibly behind a journald prefix); anything else is
 * skipped.
 *
 * Port filtering. Several gateways (profiles, tests) can write the same daily file, so each record
 * is attributed to a gateway port from, in order: `peer=…->HOST:PORT` (the gateway's own socket),
 * the context's `localPort`, `listening on ws://HOST:PORT`, then `host=` and `origin=`. Records
 * sharing a `conn=` id share a port. Records with no port at all (on 2026.9.6 that includes
 * `webchat connected` and every startup line) are kept only while the text names no port other
 * than ours: once a second gateway shows up, an unattributed record could be either one's, and a
 * wrong "runtime token generated" or "connected" would send the wizard down the wrong fix.
 */
import { START_REFUSED } from './fatal-line.js';
import { classifyAuthReason, classifyRejection } from '../gateway/classify.js';
import type { RejectReason } from '../gateway/types.js';
import { readBounded } from '../fs/read-bounded.js';
import { sanitizeForTerminal } from '../text/sanitize.js';
import type { GatewayLogFacts, LogHandshake, LogHandshakeKind } from './types.js';

export const DEFAULT_LOG_TAIL_BYTES = 2 * 1024 * 1024;

interface LogEntry {
  time: string;
  message: string;
  context: Record<string, unknown> | null;
}

type Classified =
  | { type: 'handshake'; hs: LogHandshake; conn: string | null; fromDetail: boolean }
  | { type: 'runtime-token' }
  | { type: 'config-start' }
  | { type: 'started' }
  | { type: 'blocked'; text: string }
  | { type: 'config-restored'; path: string; reason: string }
  | { type: 'untrusted-proxy'; remote: string | null; text: string }
  | { type: 'other' };

interface Item {
  entry: LogEntry;
  ports: number[];
  conn: string | null;
  what: Classified;
}

/**
 * `port` may be several ports that are one gateway's: a container's gateway logs its own port
 * (18789) while clients name the published host port in `host=` and `origin=`.
 */
export function parseGatewayLog(text: string, port: number | readonly number[]): Omit<GatewayLogFacts, 'file' | 'exists' | 'error'> {
  const ours = new Set(typeof port === 'number' ? [port] : port);
  const items: Item[] = [];
  for (const line of text.split(/\r?\n/)) {
    const entry = parseLine(line);
    if (!entry) continue;
    items.push({ entry, ports: portsOf(entry), conn: connOf(entry.message), what: classify(entry) });
  }

  // Ports learnt for a connection id apply to its other records.
  const connPorts = new Map<string, number[]>();
  for (const it of items) if (it.conn && it.ports.length && !connPorts.has(it.conn)) connPorts.set(it.conn, it.ports);
  for (const it of items) if (!it.ports.length && it.conn) it.ports = connPorts.get(it.conn) ?? [];

  const shared = items.some((it) => it.ports.some((p) => !ours.has(p)));
  const mine = items.filter((it) => (it.ports.length ? it.ports.some((p) => ours.has(p)) : !shared));

  const handshakes: LogHandshake[] = [];
  const byConn = new Map<string, LogHandshake>();
  let runtimeTokenGenerated = false;
  let lastStartAt: string | null = null;
  let startBlocked: string | null = null;
  let configRestored: GatewayLogFacts['configRestored'] = null;
  let untrustedProxy: GatewayLogFacts['untrustedProxy'] = null;
  for (const it of mine) {
    const w = it.what;
    switch (w.type) {
      case 'handshake': {
        const earlier = w.conn ? byConn.get(w.conn) : undefined;
        if (earlier) {
          // `unauthorized …` and its `closed before connect …` detail are one handshake: merge.
          mergeInto(earlier, w.hs, w.fromDetail);
        } else {
          handshakes.push(w.hs);
          if (w.conn) byConn.set(w.conn, w.hs);
        }
        break;
      }
      case 'config-start':
        // A new process is starting: what the previous one generated no longer applies.
        runtimeTokenGenerated = false;
        break;
      case 'runtime-token':
        runtimeTokenGenerated = true;
        break;
      case 'started':
        lastStartAt = it.entry.time || lastStartAt;
        startBlocked = null;
        break;
      case 'blocked':
        startBlocked = w.text;
        break;
      case 'config-restored':
        configRestored = { time: clean(it.entry.time) ?? '', path: w.path, reason: w.reason };
        break;
      case 'untrusted-proxy':
        untrustedProxy = { time: clean(it.entry.time) ?? '', remote: w.remote, text: w.text };
        break;
      default:
        break;
    }
  }
  return { handshakes, runtimeTokenGenerated, lastStartAt, startBlocked, configRestored, untrustedProxy };
}

/**
 * Only the tail is read: the records that matter are the latest, and a log that grew to gigabytes
 * (a gateway left running for months, a client in a reconnect loop) must cost what a small one does.
 */
export async function readGatewayLog(opts: { candidates: string[]; port: number; maxBytes?: number }): Promise<GatewayLogFacts> {
  const empty = { handshakes: [], runtimeTokenGenerated: false, lastStartAt: null, startBlocked: null, configRestored: null, untrustedProxy: null };
  const maxBytes = opts.maxBytes && opts.maxBytes > 0 ? opts.maxBytes : DEFAULT_LOG_TAIL_BYTES;
  for (const file of opts.candidates) {
    const r = await readBounded(file, { maxBytes, tail: true });
    if (!r.ok) {
      if (r.missing) continue;
      const error = r.message === 'is a directory' ? 'is a directory, not a log file' : r.message;
      return { file, exists: true, error, ...empty };
    }
    // Started mid-file: the first line is a fragment.
    const text = r.truncated ? r.text.slice(r.text.indexOf('\n') + 1) : r.text;
    return { file, exists: true, error: null, ...parseGatewayLog(text, opts.port) };
  }
  return { file: opts.candidates[0] ?? null, exists: false, error: null, ...empty };
}

// ------------------------------------------------------------------------------------- lines

const ANSI_RE = /\x1b\[[0-9;?]*[A-Za-z]/g;
const ISO_TIME_RE = /(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?)\s+(?:\[([^\]]+)\]\s+)?(.*)$/;
const CLOCK_RE = /^(\d{2}:\d{2}:\d{2})\s+(?:\[([^\]]+)\]\s+)?(.*)$/;

function parseLine(raw: string): LogEntry | null {
  const line = raw.trim();
  if (!line) return null;
  if (line.startsWith('{')) return parseJsonLine(line);
  const plain = line.replace(ANSI_RE, '');
  const m = ISO_TIME_RE.exec(plain) ?? CLOCK_RE.exec(plain);
  if (m) return { time: m[1] ?? '', message: (m[3] ?? '').trim(), context: null };
  return null;
}

function parseJsonLine(line: string): LogEntry | null {
  let rec: unknown;
  try {
    rec = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof rec !== 'object' || rec === null || Array.isArray(rec)) return null;
  const r = rec as Record<string, unknown>;
  const meta = r._meta as Record<string, unknown> | undefined;
  if (typeof meta !== 'object' || meta === null) return null;
  const strings: string[] = [];
  let context: Record<string, unknown> | null = null;
  for (let i = 0; i < 10; i++) {
    const v = r[String(i)];
    if (v === undefined) break;
    if (typeof v === 'string') {
      // "0" is the logger name (`{"subsystem":"gateway/ws"}`) when a subsystem logger wrote it.
      if (i === 0 && /^\{"subsystem":/.test(v)) continue;
      strings.push(v);
    } else if (typeof v === 'object' && v !== null && !Array.isArray(v) && !context) {
      context = v as Record<string, unknown>;
    }
  }
  if (!strings.length && typeof r.message === 'string') strings.push(r.message);
  const time = typeof r.time === 'string' ? r.time : typeof meta.date === 'string' ? meta.date : '';
  return { time, message: strings.join(' ').trim(), context };
}

// ------------------------------------------------------------------------------------ fields

function field(message: string, key: string): string | null {
  const m = new RegExp(`(?:^|\\s)${key}=(\\S+)`).exec(message);
  if (!m || !m[1] || m[1] === 'n/a' || m[1] === '?') return null;
  return m[1];
}

function connOf(message: string): string | null {
  const c = field(message, 'conn');
  // Request lines abbreviate the id (`64316e3a…3f66`): useless for matching.
  return c && !c.includes('…') ? c : null;
}

function portOfHostPort(hp: string | null): number | null {
  if (!hp) return null;
  const m = /:(\d{1,5})$/.exec(hp);
  return m ? Number(m[1]) : null;
}

function portOfUrl(u: string | null): number | null {
  if (!u) return null;
  try {
    const p = new URL(u).port;
    // A default port (`http://localhost`) says nothing about which gateway served the page.
    return p ? Number(p) : null;
  } catch {
    return null;
  }
}

function portsOf(e: LogEntry): number[] {
  const peer = field(e.message, 'peer');
  if (peer && peer.includes('->')) {
    const p = portOfHostPort(peer.split('->')[1] ?? null);
    if (p) return [p];
  }
  const ctxPort = e.context?.localPort;
  if (typeof ctxPort === 'number') return [ctxPort];
  const listen = /listening on wss?:\/\/(\S+?)(?:\/\S*)?(?:\s|$)/.exec(e.message);
  if (listen) {
    const p = portOfHostPort(listen[1] ?? null);
    if (p) return [p];
  }
  const host = portOfHostPort(field(e.message, 'host'));
  if (host) return [host];
  const origin = portOfUrl(field(e.message, 'origin'));
  if (origin) return [origin];
  return [];
}

// ------------------------------------------------------------------------------ classification

const KIND_BY_REJECT: Record<RejectReason, LogHandshakeKind> = {
  'token-missing': 'token-missing',
  'token-mismatch': 'token-mismatch',
  'token-not-configured': 'other-unauthorized',
  'redacted-config': 'other-unauthorized',
  'password-missing': 'password-missing',
  'password-mismatch': 'password-mismatch',
  'rate-limited': 'rate-limited',
  'device-token-mismatch': 'device-token-mismatch',
  'device-identity-required': 'device-identity',
  'control-ui-insecure-context': 'insecure-context',
  'origin-not-allowed': 'origin-not-allowed',
  'pairing-required': 'pairing-required',
  'unauthorized-other': 'other-unauthorized',
};

/** The detail record's `cause`, for failures that have no `unauthorized …` line of their own. */
const KIND_BY_CAUSE: Record<string, LogHandshakeKind> = {
  'control-ui-insecure-auth': 'insecure-context',
  'origin-mismatch': 'origin-not-allowed',
  'device-required': 'device-identity',
  'pairing-required': 'pairing-required',
};

function clientOf(message: string): { client: string | null; mode: string | null } {
  // `client=<label> <mode> v<version>`; the label may contain spaces (display names).
  const m = /\bclient=(.+?) (\S+) v(\S+)(?=\s|$)/.exec(message);
  return m ? { client: m[1] ?? null, mode: m[2] ?? null } : { client: null, mode: null };
}

/**
 * Only a whole id: the gateway cuts a close reason at 120 bytes, which can end inside
 * `(requestId: …)`, and a cut id in `openclaw devices approve` would approve nothing.
 */
function requestIdOf(text: string): string | null {
  const m = /requestId:\s*([A-Za-z0-9._-]+)\)/.exec(text) ?? /requestId=([A-Za-z0-9._-]+)(?=\s|$)/.exec(text);
  return m?.[1] ?? null;
}

const STALE_UI_RE = /^protocol mismatch: Control UI updated/i;
/** `pairing required: device is asking for more scopes than currently approved` / `…a higher role…`. */
const SCOPE_UPGRADE_RE = /^pairing required: device is asking for (?:more scopes|a higher role)/i;
/** `Config auto-restored from backup: ~/.openclaw/openclaw.json (missing-meta-vs-last-good)`. */
const CONFIG_RESTORED_RE = /^Config auto-restored from backup: (.+?) \(([a-z0-9-]+)\)/;
/**
 * 2026.9.6 file log: `gateway: observed unattributable proxy-shaped traffic from 127.0.0.1; …` (the
 * console drops the `gateway: ` prefix); older builds: `Proxy headers detected from untrusted address…`.
 */
const UNTRUSTED_PROXY_RE = /^(?:gateway: )?(?:observed unattributable proxy-shaped traffic from ([0-9A-Fa-f.:[\]]+)|Proxy headers detected from untrusted address)/;

function classify(e: LogEntry): Classified {
  const msg = e.message;
  const conn = connOf(msg);
  const base = (kind: LogHandshakeKind, reason: string | null): LogHandshake => {
    const { client, mode } = clientOf(msg);
    return {
      time: clean(e.time) ?? '',
      kind,
      client: clean(client ?? str(e.context?.client)),
      clientMode: clean(mode ?? str(e.context?.mode)),
      origin: clean(field(msg, 'origin') ?? str(e.context?.origin)),
      remote: clean(field(msg, 'remote') ?? str(e.context?.remoteAddr)),
      reason: clean(reason),
      requestId: clean(requestIdOf(msg) ?? str(e.context?.requestId)),
    };
  };

  if (/^unauthorized conn=/.test(msg)) {
    const reason = field(msg, 'reason');
    const kind = KIND_BY_REJECT[classifyAuthReason(reason) ?? 'unauthorized-other'];
    return { type: 'handshake', hs: base(kind, reason), conn, fromDetail: false };
  }
  if (/^webchat connected conn=/.test(msg)) {
    return { type: 'handshake', hs: base('connected', null), conn, fromDetail: false };
  }
  if (/^closed before connect conn=/.test(msg)) {
    const code = field(msg, 'code');
    const reasonMatch = /\breason=(.*?)(?: phase=\S+)?(?: suppressed=\d+)?$/.exec(msg);
    const closeReason = reasonMatch?.[1] && reasonMatch[1] !== 'n/a' ? reasonMatch[1] : null;
    // Two different "protocol mismatch" failures: a served UI bundle older than the gateway (the
    // page must be reloaded) and a client built for another protocol version (close 1002).
    if (closeReason && STALE_UI_RE.test(closeReason)) return { type: 'handshake', hs: base('stale-control-ui', closeReason), conn, fromDetail: true };
    if (code === '1002') return { type: 'handshake', hs: base('protocol-mismatch', closeReason ?? 'protocol mismatch'), conn, fromDetail: true };
    if (code !== '1008') return { type: 'other' };
    const authReason = str(e.context?.authReason);
    const cause = str(e.context?.cause);
    const fromAuth = authReason ? classifyAuthReason(authReason) : null;
    const kind: LogHandshakeKind = (fromAuth ? KIND_BY_REJECT[fromAuth] : undefined) ?? (cause ? KIND_BY_CAUSE[cause] : undefined) ?? KIND_BY_REJECT[classifyRejection(closeReason, null)];
    const upgrade = kind === 'pairing-required' && closeReason !== null && SCOPE_UPGRADE_RE.test(closeReason);
    const hs = base(upgrade ? 'scope-upgrade' : kind, authReason ?? closeReason);
    return { type: 'handshake', hs, conn, fromDetail: true };
  }
  const restored = CONFIG_RESTORED_RE.exec(msg);
  if (restored) return { type: 'config-restored', path: clean(restored[1] ?? '') ?? '', reason: clean(restored[2] ?? '') ?? '' };
  const proxy = UNTRUSTED_PROXY_RE.exec(msg);
  if (proxy) return { type: 'untrusted-proxy', remote: clean(proxy[1] ?? null), text: clean(msg) ?? '' };
  if (/auth token was missing\. Generated a runtime token/i.test(msg)) return { type: 'runtime-token' };
  if (/^loading configuration/.test(msg)) return { type: 'config-start' };
  if (/^(listening on wss?:\/\/|http server listening\b|ready\b)/.test(msg)) return { type: 'started' };
  if (START_REFUSED.test(msg)) {
    return { type: 'blocked', text: clean(msg) ?? '' };
  }
  return { type: 'other' };
}

/** Fill what the first record of a handshake lacked; the `unauthorized` line's reason wins. */
function mergeInto(into: LogHandshake, from: LogHandshake, fromDetail: boolean): void {
  into.client ??= from.client;
  into.clientMode ??= from.clientMode;
  into.origin ??= from.origin;
  into.remote ??= from.remote;
  into.requestId ??= from.requestId;
  if (!fromDetail || into.kind === 'other-unauthorized') {
    if (from.kind !== 'other-unauthorized') into.kind = from.kind;
    into.reason ??= from.reason;
  }
}

/**
 * Fields are parsed from the raw text, then cleaned for printing: anything that writes to the log
 * (a browser's Origin header, a client's self-chosen name) can carry escape sequences, and these
 * fields end up on the user's terminal. Tabs and newlines become spaces: a field is one line.
 */
function clean(v: string | null): string | null {
  if (v === null) return null;
  const out = sanitizeForTerminal(v).replace(/[\t\n]+/g, ' ');
  return out.length ? out : null;
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v.length > 0 && v !== 'n/a' ? v : null;
}
