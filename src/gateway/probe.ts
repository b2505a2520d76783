/**
 * One real WebSocket handshake with a gateway, reduced to a typed outcome. The frames are exactly
 * those observed on a real 2026.9.6 gateway (verified-live.md, "The handshake, as seen on the
 * wire"); nothing here throws: every failure is a ProbeResult.
 */
import { WIZARD_VERSION } from '../version.js';
import { isIP } from 'node:net';
import { performance } from 'node:perf_hooks';
import { WebSocket, type RawData } from 'ws';
import { redactText } from '../secret.js';
import { classifyRejection } from './classify.js';
import type { ProbeKind, ProbeOptions, ProbeResult } from './types.js';

/**
 * A failed auth answers only after ~250-270 ms on the real gateway (deliberately slow), and a busy
 * 2-core machine can triple that: 3 s leaves room without making "nothing answers" slow to learn.
 */
export const DEFAULT_PROBE_TIMEOUT_MS = 3000;

/** After a `res` error frame the server closes at once; if the close never comes, stop waiting. */
const CLOSE_GRACE_MS = 1000;
/** Time granted to the connect verdict once the challenge came: the gateway's loopback failure penalty caps at 5 s. */
const AUTH_VERDICT_MS = 6000;

export async function probeGateway(opts: ProbeOptions): Promise<ProbeResult> {
  const started = performance.now();
  const secrets = [opts.token, opts.password].filter((s): s is string => typeof s === 'string');
  // The URL comes from config or the user and could itself carry `?token=`: never echo it raw.
  const safeUrl = redactText(opts.url, secrets);
  const base: ProbeResult = {
    kind: 'error',
    url: safeUrl,
    ms: 0,
    closeCode: null,
    closeReason: null,
    detailsCode: null,
    errorCode: null,
    reject: null,
    serverVersion: null,
    protocol: null,
    note: null,
  };
  const finish = (patch: Partial<ProbeResult>): ProbeResult => {
    const out: ProbeResult = { ...base, ...patch, ms: Math.round(performance.now() - started) };
    if (out.note) out.note = redactText(out.note, secrets);
    if (out.closeReason) out.closeReason = redactText(out.closeReason, secrets);
    return out;
  };

  let target: URL;
  try {
    target = new URL(opts.url);
  } catch {
    return finish({ kind: 'error', note: 'not a valid URL' });
  }
  if (target.protocol !== 'ws:' && target.protocol !== 'wss:') {
    return finish({ kind: 'error', note: `not a WebSocket URL (scheme ${target.protocol})` });
  }
  const hasCredential = Boolean(opts.token || opts.password);
  if (hasCredential && target.protocol === 'ws:' && isPublicHost(target.hostname)) {
    // Same rule as OpenClaw's own client (isSecureWebSocketUrl): plaintext ws:// is for loopback
    // and private networks only; a token sent to a public address can be read on the way.
    return finish({
      kind: 'not-attempted',
      note: `refusing to send a credential over plaintext ws:// to public address ${target.hostname}; use wss://`,
    });
  }

  const timeoutMs = Number.isFinite(opts.timeoutMs) && opts.timeoutMs > 0 ? opts.timeoutMs : DEFAULT_PROBE_TIMEOUT_MS;
  return new Promise<ProbeResult>((resolve) => {
    let settled = false;
    let sawChallenge = false;
    let resError: { code: string | null; message: string | null; detailsCode: string | null } | null = null;
    let graceTimer: NodeJS.Timeout | undefined;

    const ws = new WebSocket(opts.url, {
      handshakeTimeout: timeoutMs,
      perMessageDeflate: false,
      followRedirects: false,
      ...(opts.origin ? { origin: opts.origin } : {}),
    });

    const settle = (patch: Partial<ProbeResult>, closeWith?: number): void => {
      if (settled) return;
      settled = true;
      clearTimeout(overall);
      clearTimeout(graceTimer);
      try {
        if (closeWith !== undefined && ws.readyState === WebSocket.OPEN) ws.close(closeWith);
        else if (ws.readyState !== WebSocket.CLOSED) ws.terminate();
      } catch {
        // Already gone: nothing to release.
      }
      resolve(finish(patch));
    };

    /** Outcome from the res error frame alone, when the close frame is late or missing. */
    const fromResError = (): Partial<ProbeResult> => {
      const r = resError;
      if (!r) return { kind: 'no-answer' };
      if (isStarting(r.code, r.message)) return { kind: 'starting', errorCode: r.code, note: r.message };
      if (r.detailsCode === 'PROTOCOL_MISMATCH') {
        return { kind: 'protocol-mismatch', errorCode: r.code, detailsCode: r.detailsCode, note: r.message };
      }
      return {
        kind: 'rejected',
        errorCode: r.code,
        detailsCode: r.detailsCode,
        reject: classifyRejection(r.message, r.detailsCode),
        note: 'rejected by the res frame; the server did not close the socket',
      };
    };

    const onTimeout = () => {
      if (resError) return settle(fromResError());
      settle({
        kind: 'no-answer',
        note: sawChallenge
          ? `challenge received but no answer to connect within ${Math.max(timeoutMs, AUTH_VERDICT_MS)} ms`
          : ws.readyState === WebSocket.CONNECTING
            ? `no WebSocket upgrade within ${timeoutMs} ms`
            : `upgraded, but no connect.challenge within ${timeoutMs} ms`,
      });
    };
    let overall = setTimeout(onTimeout, timeoutMs);

    ws.on('unexpected-response', (_req, res) => {
      const status = res.statusCode ?? 0;
      res.resume();
      settle({ kind: 'not-websocket', note: `HTTP ${status} ${res.statusMessage ?? ''}`.trim() + ' instead of a WebSocket upgrade' });
    });

    ws.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ECONNREFUSED') return settle({ kind: 'refused', note: 'connection refused: nothing listens there' });
      if (/handshake has timed out/i.test(err.message)) {
        return settle({ kind: 'no-answer', note: `no WebSocket upgrade within ${timeoutMs} ms` });
      }
      settle({ kind: 'error', note: err.code ? `${err.code}: ${err.message}` : err.message });
    });

    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (isBinary) return;
      const frame = parseFrame(data);
      if (!frame) return;
      if (frame.type === 'event' && frame.event === 'connect.challenge' && !sawChallenge) {
        sawChallenge = true;
        sendConnect(ws, opts);
        // Whatever sent connect.challenge is a gateway. On loopback it delays each failed auth by
        // an escalating penalty (250 ms doubling up to 5 s, observed on 2026.9.6): give the verdict
        // that long, or a second diagnosis right after a few failures reads as "no answer".
        const left = timeoutMs - (performance.now() - started);
        if (left < AUTH_VERDICT_MS) {
          clearTimeout(overall);
          overall = setTimeout(onTimeout, AUTH_VERDICT_MS);
        }
        return;
      }
      if (frame.type !== 'res' || frame.id !== '1') return;
      if (frame.ok === true) {
        const payload = asRecord(frame.payload);
        if (payload?.type === 'hello-ok') {
          const server = asRecord(payload.server);
          return settle(
            {
              kind: 'hello-ok',
              serverVersion: typeof server?.version === 'string' ? server.version : null,
              protocol: typeof payload.protocol === 'number' ? payload.protocol : null,
            },
            1000,
          );
        }
        return settle({ kind: 'closed-unknown', note: 'res ok:true without a hello-ok payload' }, 1000);
      }
      const error = asRecord(frame.error);
      const details = asRecord(error?.details);
      resError = {
        code: typeof error?.code === 'string' ? error.code : null,
        message: typeof error?.message === 'string' ? error.message : null,
        detailsCode: typeof details?.code === 'string' ? details.code : null,
      };
      // UNAVAILABLE "gateway starting" may come without a close: no need to wait for one.
      if (isStarting(resError.code, resError.message)) return settle(fromResError());
      graceTimer = setTimeout(() => settle(fromResError()), CLOSE_GRACE_MS);
    });

    ws.on('close', (code: number, reasonBuf: Buffer) => {
      const reason = reasonBuf.toString('utf8') || null;
      const common: Partial<ProbeResult> = {
        closeCode: code,
        closeReason: reason,
        errorCode: resError?.code ?? null,
        detailsCode: resError?.detailsCode ?? null,
      };
      if (code === 1008) {
        // The close reason is truncated to 120 bytes; the res frame's message is complete.
        return settle({
          ...common,
          kind: 'rejected',
          reject: classifyRejection(reason ?? resError?.message ?? null, resError?.detailsCode ?? null),
        });
      }
      if (code === 1013 || isStarting(resError?.code ?? null, reason)) return settle({ ...common, kind: 'starting' });
      if (code === 1002) return settle({ ...common, kind: 'protocol-mismatch' });
      if (code === 1006 && !sawChallenge) {
        return settle({ ...common, kind: 'closed-unknown', note: 'connection dropped without a close frame before any challenge' });
      }
      const kind: ProbeKind = 'closed-unknown';
      settle({ ...common, kind, note: `closed with code ${code}${reason ? ` (${reason})` : ''}` });
    });
  });
}

function sendConnect(ws: WebSocket, opts: ProbeOptions): void {
  const auth: Record<string, string> = {};
  if (opts.token) auth.token = opts.token;
  if (opts.password) auth.password = opts.password;
  // No `role`: the verified probe frame omits it and still gets hello-ok (the server defaults to
  // operator), and `params` is a closed object, so sending less is the safer match across versions.
  const params: Record<string, unknown> = {
    minProtocol: opts.minProtocol ?? 3,
    maxProtocol: opts.maxProtocol ?? 4,
    client: {
      id: opts.clientId ?? 'openclaw-probe',
      version: WIZARD_VERSION,
      platform: process.platform,
      mode: opts.clientMode ?? 'probe',
    },
  };
  if (Object.keys(auth).length) params.auth = auth;
  try {
    ws.send(JSON.stringify({ type: 'req', id: '1', method: 'connect', params }));
  } catch {
    // The socket closed between the challenge and our answer; the close handler reports it.
  }
}

function isStarting(code: string | null, message: string | null): boolean {
  return code === 'UNAVAILABLE' || /^gateway starting/i.test(message ?? '');
}

interface Frame {
  type?: unknown;
  event?: unknown;
  id?: unknown;
  ok?: unknown;
  payload?: unknown;
  error?: unknown;
}

function parseFrame(data: RawData): Frame | null {
  try {
    const text = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8');
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null ? v : null;
  } catch {
    return null;
  }
}

function asRecord(v: unknown): Record<string, unknown> | null {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

// ---------------------------------------------------------------------------------------------
// Address classes, mirroring OpenClaw's isSecureWebSocketUrl (src/gateway/net.ts): plaintext
// ws:// is fine for loopback, private/RFC1918 addresses, `.local` and `.ts.net` names.

/** `localhost`, 127.0.0.0/8, ::1 (bracketed or not) and IPv4-mapped loopback. */
export function isLoopbackHost(host: string): boolean {
  const h = stripBrackets(host).toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  const v4 = ipv4Of(h);
  if (v4) return v4[0] === 127;
  return isIP(h) === 6 && (h === '::1' || /^0{0,4}(:0{0,4}){6}:0{0,3}1$/.test(h));
}

/**
 * True when a host is neither loopback nor private: where a plaintext credential could cross the
 * internet. A DNS name other than `.local`/`.ts.net`/localhost counts as public: we cannot know
 * where it resolves without asking, and OpenClaw's client takes the same cautious view.
 */
export function isPublicHost(host: string): boolean {
  const h = stripBrackets(host).toLowerCase().replace(/\.$/, '');
  if (!h) return true;
  if (isLoopbackHost(h)) return false;
  if (h.endsWith('.local') || h.endsWith('.ts.net')) return false;
  const v4 = ipv4Of(h);
  if (v4) return !isPrivateV4(v4);
  if (isIP(h) === 6) {
    if (h === '::') return false;
    // fc00::/7 unique-local, fe80::/10 link-local.
    if (/^f[cd][0-9a-f]{0,2}:/.test(h) || /^fe[89ab][0-9a-f]?:/.test(h)) return false;
    return true;
  }
  return true;
}

function isPrivateV4([a, b]: number[]): boolean {
  if (a === undefined || b === undefined) return false;
  return (
    a === 10 ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 169 && b === 254) ||
    // 100.64.0.0/10: Tailscale addresses, which `gateway.bind=tailnet` listens on.
    (a === 100 && b >= 64 && b <= 127) ||
    a === 0
  );
}

function stripBrackets(host: string): string {
  const h = host.trim();
  return h.startsWith('[') && h.endsWith(']') ? h.slice(1, -1) : h;
}

/** IPv4 octets, also for the IPv4-mapped IPv6 form `::ffff:a.b.c.d`. */
function ipv4Of(h: string): number[] | null {
  const m = /^(?:::ffff:)?(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(h);
  if (!m) return null;
  const parts = m.slice(1).map(Number);
  return parts.every((n) => n <= 255) ? parts : null;
}
