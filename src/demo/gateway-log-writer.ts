/**
 * Log lines in the real OpenClaw gateway's formats, for the fake gateway and for parser tests.
 *
 * File format (tslog JSON, one object per line), as in /tmp/openclaw/openclaw-YYYY-MM-DD.log:
 *   {"0":"{\"subsystem\":\"gateway/ws\"}","1":"<message>","_meta":{...,"logLevelName":"WARN",...},"time":"…"}
 * A record logged with a context object puts the object at "1" and the message at "2"
 * (verified-live.md: failure detail `"1": {"cause":"unauthorized",…}`).
 * Console format (what a foreground `openclaw gateway run` prints, coloured):
 *   2026-10-09T06:05:23.726+00:00 [ws] unauthorized conn=… reason=token_mismatch
 *
 * Message texts are copied from the real sources (connect-auth.ts, message-handler.ts,
 * server-kernel.ts, pre-bootstrap.ts). The listening line: 2026.9.6 logs
 * `http server listening (N plugins: …; 2.8s)` and `ready` with no port; builds up to ~2026.4
 * logged `listening on ws://127.0.0.1:18789 (PID n)`. `listeningLine` writes the older form
 * because it is the only startup line that names the port.
 * The real gateway writes no line for a successful non-webchat (CLI, probe) connect at the
 * default level, so there is deliberately no `cli connected` writer.
 */
import { randomUUID } from 'node:crypto';

export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
const LEVEL_ID: Record<LogLevel, number> = { DEBUG: 2, INFO: 3, WARN: 4, ERROR: 5 };

export interface RecordOptions {
  level: LogLevel;
  /**
   * `gateway/ws` for handshake lines, `gateway` for startup lines; null for a line the CLI printed
   * with console.error (the `openclaw` logger: message at "0", printed without a tag).
   */
  subsystem: string | null;
  message: string;
  /** Context object: written at "1", the message then moves to "2". */
  context?: Record<string, unknown>;
  time?: Date;
}

/** Local time with offset, as tslog's `time` field: 2026-09-15T06:57:31.539+00:00. */
export function formatLogTime(d: Date): string {
  const off = -d.getTimezoneOffset();
  const local = new Date(d.getTime() + off * 60_000).toISOString().slice(0, 23);
  const sign = off >= 0 ? '+' : '-';
  const abs = Math.abs(off);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** One JSON log line (no trailing newline). */
export function logRecord(o: RecordOptions): string {
  const time = o.time ?? new Date();
  const name = o.subsystem === null ? 'openclaw' : JSON.stringify({ subsystem: o.subsystem });
  // A console line has the message as its only argument; a subsystem line starts with the logger name.
  const rec: Record<string, unknown> = o.subsystem === null ? { '0': o.message } : o.context ? { '0': name, '1': o.context, '2': o.message } : { '0': name, '1': o.message };
  rec._meta = {
    runtime: 'node',
    runtimeVersion: '24.21.0',
    hostname: 'unknown',
    name,
    ...(o.subsystem === null ? {} : { parentNames: ['openclaw'] }),
    date: time.toISOString(),
    logLevelId: LEVEL_ID[o.level],
    logLevelName: o.level,
    path: { fileName: 'subsystem.js', method: 'logToFile' },
  };
  rec.time = formatLogTime(time);
  return JSON.stringify(rec);
}

const ANSI = { dim: '\x1b[90m', cyan: '\x1b[36m', yellow: '\x1b[33m', red: '\x1b[31m', reset: '\x1b[39m' };

/** The same record as the foreground gateway prints it to stdout, with colour. */
export function consoleLine(o: RecordOptions): string {
  const time = formatLogTime(o.time ?? new Date());
  const tag = o.subsystem === 'gateway/ws' ? 'ws' : o.subsystem;
  const colour = o.level === 'WARN' ? ANSI.yellow : o.level === 'ERROR' ? ANSI.red : '';
  const label = tag === null ? '' : `${ANSI.cyan}[${tag}]${ANSI.reset} `;
  return `${ANSI.dim}${time}${ANSI.reset} ${label}${colour}${o.message}${colour ? ANSI.reset : ''}`;
}

export interface Endpoint {
  /** Client side of the TCP connection. */
  remoteHost: string;
  remotePort: number;
  /** Gateway side: the port that identifies which gateway logged the line. */
  localHost: string;
  localPort: number;
}

function peerLabel(p: Endpoint): string {
  const h = (x: string) => (x.includes(':') ? `[${x}]` : x);
  return `${h(p.remoteHost)}:${p.remotePort}->${h(p.localHost)}:${p.localPort}`;
}

export interface HandshakeLogInfo {
  connId?: string;
  peer: Endpoint;
  /** client.id (or display name). */
  client: string;
  clientMode: string;
  clientVersion: string;
  platform?: string;
  role?: string;
  scopes?: number;
  /** What the client presented: token | password | device-token | none. */
  auth?: string;
  device?: boolean;
  /** Host header, e.g. 127.0.0.1:18789. */
  host?: string | null;
  origin?: string | null;
  ua?: string | null;
  time?: Date;
}

/** `unauthorized conn=… reason=token_mismatch` (connect-auth.ts, WARN, gateway/ws). */
export function unauthorizedRecord(i: HandshakeLogInfo & { reason: string }): RecordOptions {
  const msg =
    `unauthorized conn=${i.connId ?? randomUUID()} peer=${peerLabel(i.peer)} remote=${i.peer.remoteHost} ` +
    `client=${i.client} ${i.clientMode} v${i.clientVersion} role=${i.role ?? 'operator'} scopes=${i.scopes ?? 0} ` +
    `auth=${i.auth ?? 'none'} device=${i.device ? 'yes' : 'no'} platform=${i.platform ?? 'linux'} instance=n/a ` +
    `host=${i.host ?? 'n/a'} origin=${i.origin ?? 'n/a'} ua=${i.ua ?? 'n/a'} reason=${i.reason}`;
  return { level: 'WARN', subsystem: 'gateway/ws', message: msg, ...(i.time ? { time: i.time } : {}) };
}

/**
 * The failure detail: `closed before connect …` with the close context object
 * (message-handler.ts). `cause` is unauthorized | control-ui-insecure-auth | origin-mismatch |
 * device-required | pairing-required | protocol-mismatch.
 */
export function failureDetailRecord(
  i: HandshakeLogInfo & {
    cause: string;
    authMode?: string;
    authReason?: string;
    code: number;
    closeReason: string;
    phase?: string;
    /** A pairing request's id, when the close reason does not carry it. */
    requestId?: string;
  },
): RecordOptions {
  const connId = i.connId ?? randomUUID();
  const context: Record<string, unknown> = {
    cause: i.cause,
    handshake: 'failed',
    durationMs: 0,
    lastFrameType: 'req',
    lastFrameMethod: 'connect',
    lastFrameId: '1',
    host: i.host ?? undefined,
    origin: i.origin ?? undefined,
    userAgent: i.ua ?? undefined,
  };
  if (i.cause === 'unauthorized') {
    Object.assign(context, {
      authMode: i.authMode ?? 'token',
      authProvided: i.auth ?? 'none',
      authReason: i.authReason,
      allowTailscale: false,
      peer: peerLabel(i.peer),
      remoteAddr: i.peer.remoteHost,
      remotePort: i.peer.remotePort,
      localAddr: i.peer.localHost,
      localPort: i.peer.localPort,
      role: i.role ?? 'operator',
      scopeCount: i.scopes ?? 0,
      hasDeviceIdentity: Boolean(i.device),
    });
  }
  Object.assign(context, { client: i.client, mode: i.clientMode, version: i.clientVersion });
  if (i.requestId) context.requestId = i.requestId;
  const msg =
    `closed before connect conn=${connId} peer=${peerLabel(i.peer)} remote=${i.peer.remoteHost} fwd=n/a ` +
    `origin=${i.origin ?? 'n/a'} host=${i.host ?? 'n/a'} ua=${i.ua ?? 'n/a'} code=${i.code} ` +
    `reason=${i.closeReason || 'n/a'} phase=${i.phase ?? 'auth_credentials_received'}`;
  return { level: 'WARN', subsystem: 'gateway/ws', message: msg, context, ...(i.time ? { time: i.time } : {}) };
}

/**
 * A pairing refusal's only record (2026.9.6, seen live): `closed before connect … phase=auth_validated`
 * whose context names the device, the request id and the reason, but not the client.
 */
export function pairingFailureRecord(
  i: Pick<HandshakeLogInfo, 'connId' | 'peer' | 'host' | 'origin' | 'ua' | 'time'> & { forwardedFor?: string | null; deviceId?: string | null; requestId: string; reason: string; closeReason: string },
): RecordOptions {
  const connId = i.connId ?? randomUUID();
  const context: Record<string, unknown> = {
    cause: 'pairing-required',
    durationMs: 0,
    handshake: 'failed',
    phase: 'auth_validated',
    lastFrameType: 'req',
    lastFrameMethod: 'connect',
    lastFrameId: '1',
    host: i.host ?? undefined,
    origin: i.origin ?? undefined,
    forwardedFor: i.forwardedFor ?? undefined,
    remoteAddr: i.peer.remoteHost,
    remotePort: i.peer.remotePort,
    localAddr: i.peer.localHost,
    localPort: i.peer.localPort,
    endpoint: peerLabel(i.peer),
    deviceId: i.deviceId ?? undefined,
    requestId: i.requestId,
    reason: i.reason,
  };
  const msg =
    `closed before connect conn=${connId} peer=${peerLabel(i.peer)} remote=${i.peer.remoteHost} fwd=${i.forwardedFor ?? 'n/a'} ` +
    `origin=${i.origin ?? 'n/a'} host=${i.host ?? 'n/a'} ua=${i.ua ?? 'n/a'} code=1008 reason=${i.closeReason} phase=auth_validated`;
  return { level: 'WARN', subsystem: 'gateway/ws', message: msg, context, ...(i.time ? { time: i.time } : {}) };
}

/** `webchat connected conn=… remote=… client=openclaw-control-ui webchat v…` (INFO). No peer. */
export function webchatConnectedRecord(i: HandshakeLogInfo): RecordOptions {
  const msg = `webchat connected conn=${i.connId ?? randomUUID()} remote=${i.peer.remoteHost} client=${i.client} ${i.clientMode} v${i.clientVersion}`;
  return { level: 'INFO', subsystem: 'gateway/ws', message: msg, ...(i.time ? { time: i.time } : {}) };
}

export const RUNTIME_TOKEN_MESSAGE =
  'Gateway auth token was missing. Generated a runtime token for this startup without changing config; restart will generate a different token. Persist one with `openclaw config set gateway.auth.mode token` and `openclaw config set gateway.auth.token <token>`.';

export function runtimeTokenRecord(time?: Date): RecordOptions {
  return { level: 'WARN', subsystem: 'gateway', message: RUNTIME_TOKEN_MESSAGE, ...(time ? { time } : {}) };
}

export function startBlockedRecord(mode: string, time?: Date): RecordOptions {
  return {
    level: 'ERROR',
    subsystem: 'gateway',
    message: `Gateway start blocked: set gateway.mode=local (current: ${mode}) or pass --allow-unconfigured.`,
    ...(time ? { time } : {}),
  };
}

export function loadingConfigRecord(time?: Date): RecordOptions {
  return { level: 'INFO', subsystem: 'gateway', message: 'loading configuration…', ...(time ? { time } : {}) };
}

/** Older builds' listen line; the only startup line that names the port (see header). */
export function listeningRecord(host: string, port: number, pid = process.pid, time?: Date): RecordOptions {
  const h = host.includes(':') ? `[${host}]` : host;
  return { level: 'INFO', subsystem: 'gateway', message: `listening on ws://${h}:${port} (PID ${pid})`, ...(time ? { time } : {}) };
}

export function readyRecord(time?: Date): RecordOptions {
  return { level: 'INFO', subsystem: 'gateway', message: 'ready', ...(time ? { time } : {}) };
}

/**
 * OpenClaw's config-read recovery restored the last good config over a hand edit (io.observe-recovery);
 * reasons: missing-meta-vs-last-good, gateway-mode-missing-vs-last-good, size-drop-vs-last-good.
 */
export function configAutoRestoredRecord(path: string, reason: string, time?: Date): RecordOptions {
  return { level: 'WARN', subsystem: 'config', message: `Config auto-restored from backup: ${path} (${reason})`, ...(time ? { time } : {}) };
}

/** A same-host proxy's forwarded headers from an address not in gateway.trustedProxies (2026.9.6 file log, verbatim). */
export function untrustedProxyRecord(remote: string, time?: Date): RecordOptions {
  return {
    level: 'WARN',
    subsystem: 'gateway',
    message: `gateway: observed unattributable proxy-shaped traffic from ${remote}; Gateway-authenticated routes reject it, while plugin-authenticated routes ignore forwarded claims. Configure gateway.trustedProxies narrowly and make the proxy overwrite or safely rebuild forwarded client headers.`,
    ...(time ? { time } : {}),
  };
}
