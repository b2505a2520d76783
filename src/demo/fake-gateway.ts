/**
 * A fake OpenClaw gateway that behaves like the real 2026.9.6 one on the wire and in its log
 * (verified-live.md; openclaw-gateway.md §2). HTTP and WebSocket share one port, as on the real
 * gateway: /healthz, /readyz, a tiny HTML page at /, and the WS handshake on /.
 *
 * One deliberate simplification: a Control UI client (`openclaw-control-ui`/`webchat`) is treated
 * as a browser in a secure context that holds a device identity, so a missing token gives
 * `token missing` as the real UI shows it. The real gateway rejects a *device-less* Control UI
 * connection with CONTROL_UI_DEVICE_IDENTITY_REQUIRED instead: use scenario 'insecure-context'
 * for that. A `device` block in params is accepted, never verified; pairing is not modelled (the
 * scenarios 'pairing-required' and 'scope-upgrade' give the real refusals, fake-pairing.ts).
 * test/real/contract*.test.ts hold the fake to the real gateway's answers and log records.
 */
import { appendFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  failureDetailRecord,
  pairingFailureRecord,
  listeningRecord,
  loadingConfigRecord,
  untrustedProxyRecord,
  logRecord,
  readyRecord,
  runtimeTokenRecord,
  unauthorizedRecord,
  webchatConnectedRecord,
  type Endpoint,
  type HandshakeLogInfo,
  type RecordOptions,
} from './gateway-log-writer.js';
import { createFakeRateLimiter, rateLimitKey, type RateLimitOptions } from './fake-rate-limiter.js';
import { authFailureMessage, isStaleControlUiBuild, passwordFailureMessage, STALE_CONTROL_UI_MESSAGE, unauthorizedAdvice, untrustedProxyPeer } from './fake-gateway-policies.js';
import { helloOkFrame, isControlUiClient, truncateCloseReason, validateParams, type ClientInfo } from './fake-connect-frame.js';
import { pairingRefusal, type PairingReason } from './fake-pairing.js';

export { truncateCloseReason } from './fake-connect-frame.js';
export { authFailureMessage } from './fake-gateway-policies.js';

export type FakeScenario =
  'normal' | 'starting' | 'protocol-mismatch' | 'rate-limited' | 'pairing-required' | 'scope-upgrade' | 'device-token-mismatch' | 'insecure-context' | 'silent' | 'unknown-close';

export interface FakeGatewayOptions {
  port?: number;
  host?: string;
  /** The enforced token; null = no token configured, a random runtime token nobody knows. */
  token?: string | null;
  scenario?: FakeScenario;
  logFile?: string;
  allowedOrigins?: string[];
  version?: string;
  /** Delay before a failed-auth answer; the real gateway takes ~250-270 ms. */
  failedAuthDelayMs?: number;
  /**
   * Whether a Control UI client that sends no `device` block still counts as a browser holding a
   * device identity (default true: the simplification above). false answers like the real
   * gateway does (test/real/contract.test.ts): CONTROL_UI_DEVICE_IDENTITY_REQUIRED.
   */
  controlUiDevice?: boolean;
  /** Password mode: this password is the shared secret (the token is then not checked). */
  password?: string;
  /** The gateway's Control UI build id: a Control UI sending another buildId (not `dev`) is a stale page. */
  buildId?: string;
  /** gateway.trustedProxies: forwarded headers from any other peer get HTTP 403 at the upgrade. */
  trustedProxies?: string[];
  /** gateway.auth.rateLimit: failed logins lock a browser Origin (or a non-loopback address) out. */
  rateLimit?: RateLimitOptions;
  /** Every record the gateway logs, also when there is no logFile (the fake CLI prints them like the real foreground gateway). */
  onLog?: (rec: RecordOptions) => void;
}

/** One handshake as the fake saw it. */
export interface FakeConnection {
  id: string;
  clientId: string | null;
  clientMode: string | null;
  origin: string | null;
  /** pending (still handshaking), hello-ok, or the close the fake sent. */
  outcome: 'pending' | 'hello-ok' | 'closed';
  closeCode: number | null;
  closeReason: string | null;
  detailsCode: string | null;
  /** Whether the client presented the enforced token (never the token itself). */
  presentedCorrectToken: boolean;
}

export interface FakeGateway {
  port: number;
  host: string;
  url: string;
  httpUrl: string;
  /** The token currently enforced (the generated runtime token when started with null). */
  readonly token: string;
  /** True when the enforced token was generated at startup (no configured token). */
  readonly runtimeToken: boolean;
  setToken(t: string | null): void;
  setScenario(s: FakeScenario): void;
  /** Write a record to the gateway's log (and onLog), e.g. a config reload line. */
  log(rec: RecordOptions): void;
  connections: FakeConnection[];
  close(): Promise<void>;
}

const PROTOCOL_VERSION = 4;

const MSG = {
  originNotAllowed: 'origin not allowed (open the Control UI from the gateway host or allow it in gateway.controlUi.allowedOrigins)',
  insecure: 'control ui requires device identity (use HTTPS or localhost secure context)',
  deviceRequired: 'device identity required',
  rateLimited: 'unauthorized: too many failed authentication attempts (retry later)',
  deviceTokenMismatch: 'unauthorized: device token mismatch (rotate/reissue device token)',
};

function stripMapped(addr: string | undefined): string {
  return (addr ?? '').replace(/^::ffff:/, '');
}

function isLoopbackAddr(a: string): boolean {
  return a.startsWith('127.') || a === '::1' || a === 'localhost';
}

function isLoopbackOrigin(origin: string): boolean {
  try {
    const h = new URL(origin).hostname.replace(/^\[|\]$/g, '');
    return isLoopbackAddr(h);
  } catch {
    return false;
  }
}

export async function startFakeGateway(opts: FakeGatewayOptions = {}): Promise<FakeGateway> {
  const host = opts.host ?? '127.0.0.1';
  const version = opts.version ?? '2026.9.6';
  const delay = opts.failedAuthDelayMs ?? 250;
  let scenario: FakeScenario = opts.scenario ?? 'normal';
  let runtimeToken = opts.token == null;
  let token = opts.token ?? randomBytes(24).toString('hex');
  const connections: FakeConnection[] = [];
  const limiter = createFakeRateLimiter(opts.rateLimit);
  const timers = new Set<NodeJS.Timeout>();
  const sockets = new Set<WebSocket>();
  let port = 0;

  const log = (rec: RecordOptions) => {
    if (opts.logFile) appendFileSync(opts.logFile, `${logRecord(rec)}\n`);
    opts.onLog?.(rec);
  };
  const later = (ms: number, fn: () => void) => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };

  // Like OpenClaw's, /readyz reports the uptime of this server run.
  const runStartedAt = Date.now();
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify({ ok: true, status: 'live' }));
    } else if (req.method === 'GET' && path === '/readyz') {
      const ready = scenario !== 'starting';
      res.writeHead(ready ? 200 : 503, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify({ ready, uptimeMs: Date.now() - runStartedAt }));
    } else if (req.method === 'GET' && (path === '/' || path === '/index.html')) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<!doctype html><html><head><title>OpenClaw Control</title></head><body><openclaw-app></openclaw-app></body></html>');
    } else {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Not Found');
    }
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    if ((req.url ?? '/').split('?')[0] !== '/') {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const proxy = untrustedProxyPeer(req, stripMapped(req.socket.remoteAddress), opts.trustedProxies ?? []);
    if (proxy) {
      log(untrustedProxyRecord(proxy));
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws, req));
  });

  function onConnection(ws: WebSocket, req: IncomingMessage): void {
    sockets.add(ws);
    ws.on('close', () => sockets.delete(ws));
    ws.on('error', () => undefined);
    const rec: FakeConnection = {
      id: randomUUID(),
      clientId: null,
      clientMode: null,
      origin: typeof req.headers.origin === 'string' ? req.headers.origin : null,
      outcome: 'pending',
      closeCode: null,
      closeReason: null,
      detailsCode: null,
      presentedCorrectToken: false,
    };
    connections.push(rec);
    const peer: Endpoint = {
      remoteHost: stripMapped(req.socket.remoteAddress),
      remotePort: req.socket.remotePort ?? 0,
      localHost: stripMapped(req.socket.localAddress),
      localPort: req.socket.localPort ?? port,
    };
    const hostHeader = req.headers.host ?? null;
    const ua = req.headers['user-agent'] ?? null;

    const closeWith = (code: number, reason: string) => {
      rec.outcome = 'closed';
      rec.closeCode = code;
      rec.closeReason = truncateCloseReason(reason);
      if (ws.readyState === ws.OPEN) ws.close(code, rec.closeReason);
    };

    if (scenario === 'silent') return;
    if (scenario === 'starting') return closeWith(1013, 'gateway starting');
    if (scenario === 'unknown-close') return closeWith(4999, 'weird');

    ws.send(
      JSON.stringify({
        type: 'event',
        event: 'connect.challenge',
        // Real capability names are not needed by any client here; an empty list keeps the shape.
        payload: { nonce: randomUUID(), ts: Date.now(), capabilities: [] },
      }),
    );
    // Real handshake timeout is 15 s; shorter here so a stuck test client is dropped sooner.
    later(10_000, () => {
      if (rec.outcome === 'pending') ws.close();
    });

    let gotFirst = false;
    ws.on('message', (data, isBinary) => {
      if (gotFirst || rec.outcome !== 'pending') return;
      gotFirst = true;
      let frame: Record<string, unknown>;
      try {
        if (isBinary) throw new Error('binary');
        frame = JSON.parse(Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.concat(Array.isArray(data) ? data : [Buffer.from(data)]).toString('utf8')) as Record<string, unknown>;
        if (typeof frame !== 'object' || frame === null) throw new Error('not an object');
      } catch {
        return closeWith(1008, 'invalid request frame');
      }
      const id = typeof frame.id === 'string' ? frame.id : '';
      const sendError = (code: string, message: string, details?: Record<string, unknown>, extra?: Record<string, unknown>) => {
        if (ws.readyState !== ws.OPEN) return;
        rec.detailsCode = typeof details?.code === 'string' ? details.code : null;
        ws.send(JSON.stringify({ type: 'res', id, ok: false, error: { code, message, ...extra, ...(details ? { details } : {}) } }));
      };
      if (frame.type !== 'req' || frame.method !== 'connect') {
        const m = 'invalid handshake: first request must be connect';
        sendError('INVALID_REQUEST', m);
        return closeWith(1008, m);
      }
      const invalid = validateParams(frame.params);
      if (invalid) {
        const m = `invalid connect params: ${invalid}`;
        sendError('INVALID_REQUEST', m);
        return closeWith(1008, m);
      }
      const params = frame.params as Record<string, unknown>;
      const client = params.client as ClientInfo;
      rec.clientId = client.id;
      rec.clientMode = client.mode;
      const auth = (params.auth ?? {}) as Record<string, string>;
      const role = typeof params.role === 'string' ? params.role : 'operator';
      if (role !== 'operator' && role !== 'node') {
        sendError('INVALID_REQUEST', 'invalid role');
        return closeWith(1008, 'invalid role');
      }
      const ui = isControlUiClient(client);
      const secret = auth.token ?? auth.password;
      // resolveAuthProvidedKind: a password wins over a token, a device token comes last.
      const authProvided = auth.password ? 'password' : auth.token ? 'token' : auth.bootstrapToken ? 'bootstrap-token' : auth.deviceToken ? 'device-token' : 'none';
      const info: HandshakeLogInfo = {
        connId: rec.id,
        peer,
        client: client.id,
        clientMode: client.mode,
        clientVersion: client.version,
        platform: client.platform,
        role,
        auth: authProvided,
        device: (ui && opts.controlUiDevice !== false) || params.device !== undefined,
        host: hostHeader,
        origin: rec.origin,
        ua,
      };
      const fail = (o: { cause: string; code: number; errorCode: string; message: string; details: Record<string, unknown>; authReason?: string; extra?: Record<string, unknown> }) => {
        if (rec.outcome !== 'pending') return;
        const closeReason = truncateCloseReason(o.message);
        if (o.cause === 'unauthorized') log(unauthorizedRecord({ ...info, reason: o.authReason ?? 'unknown' }));
        log(failureDetailRecord({ ...info, cause: o.cause, ...(o.authReason ? { authReason: o.authReason } : {}), code: o.code, closeReason }));
        sendError(o.errorCode, o.message, o.details, o.extra);
        closeWith(o.code, o.message);
      };
      const refusePairing = (reason: PairingReason) => {
        const device = params.device as { id?: unknown } | undefined;
        const deviceId = typeof device?.id === 'string' ? device.id : null;
        const scopes = Array.isArray(params.scopes) ? params.scopes.filter((x): x is string => typeof x === 'string') : [];
        const p = pairingRefusal(reason, { deviceId, role, scopes });
        const forwardedFor = typeof req.headers['x-forwarded-for'] === 'string' ? req.headers['x-forwarded-for'] : null;
        log(pairingFailureRecord({ ...info, forwardedFor, deviceId, requestId: p.requestId, reason, closeReason: p.closeReason }));
        sendError('NOT_PAIRED', p.message, p.details);
        closeWith(1008, p.closeReason);
      };
      const limitKey = rateLimitKey({ browser: ui, origin: rec.origin, remote: peer.remoteHost, loopback: isLoopbackAddr(peer.remoteHost) });
      const unauthorized = (authReason: string, message: string, detailsCode: string, slow: boolean) => {
        if (authReason === 'token_mismatch' || authReason === 'password_mismatch') limiter.recordFailure(limitKey);
        const go = () =>
          fail({
            cause: 'unauthorized',
            code: 1008,
            errorCode: 'INVALID_REQUEST',
            message,
            authReason,
            details: { code: detailsCode, authReason, ...unauthorizedAdvice(authReason, { hasDevice: params.device !== undefined, authProvided, sentDeviceToken: auth.deviceToken !== undefined }) },
            // A lockout also says when to come back (the scenario's lock is the default 5 minutes).
            ...(authReason === 'rate_limited' ? { extra: { retryable: true, retryAfterMs: limiter.retryAfterMs(limitKey) || 300_000 } } : {}),
          });
        // Failed credential checks are deliberately slow on the real gateway.
        if (slow) later(delay, go);
        else go();
      };

      const min = params.minProtocol as number;
      const max = params.maxProtocol as number;
      if (scenario === 'protocol-mismatch' || !(max >= PROTOCOL_VERSION && min <= PROTOCOL_VERSION)) {
        return fail({
          cause: 'protocol-mismatch',
          code: 1002,
          errorCode: 'INVALID_REQUEST',
          message: 'protocol mismatch',
          details: { code: 'PROTOCOL_MISMATCH', expectedProtocol: PROTOCOL_VERSION },
        });
      }
      if (ui && rec.origin && !isLoopbackOrigin(rec.origin) && !(opts.allowedOrigins ?? []).includes(rec.origin)) {
        return fail({
          cause: 'origin-mismatch',
          code: 1008,
          errorCode: 'INVALID_REQUEST',
          message: MSG.originNotAllowed,
          details: { code: 'CONTROL_UI_ORIGIN_NOT_ALLOWED' },
        });
      }
      if (ui && (scenario === 'insecure-context' || (opts.controlUiDevice === false && params.device === undefined))) {
        return fail({
          cause: 'control-ui-insecure-auth',
          code: 1008,
          errorCode: 'INVALID_REQUEST',
          message: MSG.insecure,
          details: { code: 'CONTROL_UI_DEVICE_IDENTITY_REQUIRED' },
        });
      }
      if (ui && isStaleControlUiBuild(opts.buildId, client.buildId)) {
        return fail({ cause: 'protocol-mismatch', code: 1008, errorCode: 'UNAVAILABLE', message: STALE_CONTROL_UI_MESSAGE, details: { code: 'PROTOCOL_MISMATCH', reloadRequired: true } });
      }
      if ((scenario === 'rate-limited' && secret) || limiter.retryAfterMs(limitKey) > 0) {
        return unauthorized('rate_limited', MSG.rateLimited, 'AUTH_RATE_LIMITED', false);
      }
      if (!secret) {
        if (!ui && params.device === undefined) {
          return fail({
            cause: 'device-required',
            code: 1008,
            errorCode: 'NOT_PAIRED',
            message: MSG.deviceRequired,
            details: { code: 'DEVICE_IDENTITY_REQUIRED' },
          });
        }
        if (opts.password !== undefined)
          return unauthorized('password_missing', passwordFailureMessage('password_missing', client, isLoopbackAddr(peer.remoteHost), ui), 'AUTH_PASSWORD_MISSING', false);
        return unauthorized('token_missing', authFailureMessage('token_missing', client, isLoopbackAddr(peer.remoteHost)), 'AUTH_TOKEN_MISSING', false);
      }
      if (opts.password !== undefined) {
        const local = isLoopbackAddr(peer.remoteHost);
        // The token field counts as the secret too (real-world-failures.md F23).
        if ((auth.password ?? auth.token) !== opts.password) return unauthorized('password_mismatch', passwordFailureMessage('password_mismatch', client, local, ui), 'AUTH_PASSWORD_MISMATCH', true);
      } else if (scenario === 'device-token-mismatch') {
        return unauthorized('device_token_mismatch', MSG.deviceTokenMismatch, 'AUTH_DEVICE_TOKEN_MISMATCH', true);
      }
      if (opts.password === undefined && secret.trim() !== token) {
        return unauthorized('token_mismatch', authFailureMessage('token_mismatch', client, isLoopbackAddr(peer.remoteHost)), 'AUTH_TOKEN_MISMATCH', true);
      }
      rec.presentedCorrectToken = true;
      if (scenario === 'scope-upgrade' || scenario === 'pairing-required') return refusePairing(scenario === 'scope-upgrade' ? 'scope-upgrade' : 'not-paired');
      rec.outcome = 'hello-ok';
      if (ui) log(webchatConnectedRecord(info));
      ws.send(JSON.stringify(helloOkFrame({ id, protocol: PROTOCOL_VERSION, version, connId: rec.id, role })));
      ws.send(JSON.stringify({ type: 'event', event: 'health', payload: { ok: true, ts: Date.now() }, seq: 1 }));
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  log(loadingConfigRecord());
  if (runtimeToken) log(runtimeTokenRecord());
  log(listeningRecord(host, port));
  log(readyRecord());

  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    port,
    host,
    url: `ws://${urlHost}:${port}`,
    httpUrl: `http://${urlHost}:${port}`,
    get token() {
      return token;
    },
    get runtimeToken() {
      return runtimeToken;
    },
    setToken(t: string | null) {
      runtimeToken = t == null;
      token = t ?? randomBytes(24).toString('hex');
    },
    setScenario(s: FakeScenario) {
      scenario = s;
    },
    log,
    connections,
    async close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      for (const ws of sockets) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
