/**
 * One real WebSocket handshake with a gateway, reduced to a typed outcome. The frames are exactly
 * those observed on a real 2026.9.6 gateway (verified-live.md, "The handshake, as seen on the
 * wire"); nothing here throws: every failure is a ProbeResult.
 */
import { WIZARD_VERSION } from '../version.js';
import { performance } from 'node:perf_hooks';
import { WebSocket, type RawData } from 'ws';
import { redactText } from '../secret.js';
import { classifyRejection } from './classify.js';
import { mayPlainWsCarryToken, resolveHost } from './host-safety.js';
import type { ProbeOptions, ProbeResult } from './types.js';

/**
 * A failed auth answers only after ~250-270 ms on the real gateway (deliberately slow), and a busy
 * 2-core machine can triple that: 3 s leaves room without making "nothing answers" slow to learn.
 */
export const DEFAULT_PROBE_TIMEOUT_MS = 3000;

/** After a `res` error frame the server closes at once; if the close never comes, stop waiting. */
const CLOSE_GRACE_MS = 1000;
/** Time granted to the connect verdict once the challenge came: the gateway's loopback failure penalty caps at 5 s. */
const AUTH_VERDICT_MS = 6000;

/** The probe's result so far; `finish` stamps the time and redacts what the server said. */
function resultFactory(opts: ProbeOptions, started: number) {
  const secrets = [opts.token, opts.password].filter((s): s is string => typeof s === 'string');
  // The URL comes from config or the user and could itself carry `?token=`: never echo it raw.
  const base: ProbeResult = {
    kind: 'error',
    url: redactText(opts.url, secrets),
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
  return (patch: Partial<ProbeResult>): ProbeResult => {
    const out: ProbeResult = { ...base, ...patch, ms: Math.round(performance.now() - started) };
    if (out.note) out.note = redactText(out.note, secrets);
    if (out.closeReason) out.closeReason = redactText(out.closeReason, secrets);
    return out;
  };
}

/**
 * Failed credential attempts per remote gateway (host:port), for this whole process: a gateway's
 * limiter locks a client out after ten failures in a minute, so a run (several diagnoses, the
 * waits after each change) sends at most three that fail. Loopback gateways are not counted.
 */
const REMOTE_FAILURE_CAP = 3;
const remoteFailures = new Map<string, number>();

/** Why the probe must not connect at all: a bad URL, a credential that would cross the network in plain text, or the remote cap. */
async function refusal(opts: ProbeOptions): Promise<{ refuse: Partial<ProbeResult> } | { remoteKey: string | null }> {
  let target: URL;
  try {
    target = new URL(opts.url);
  } catch {
    return { refuse: { kind: 'error', note: 'not a valid URL' } };
  }
  if (target.protocol !== 'ws:' && target.protocol !== 'wss:') return { refuse: { kind: 'error', note: `not a WebSocket URL (scheme ${target.protocol})` } };
  if (!opts.token && !opts.password) return { remoteKey: null };
  const resolve = opts.resolve ? { resolve: opts.resolve } : {};
  const may = await mayPlainWsCarryToken(target, { allowInsecure: opts.allowInsecure ?? false, ...resolve });
  if (!may.ok) return { refuse: { kind: 'not-attempted', note: `refusing to send a credential: ${may.reason}` } };
  if ((await resolveHost(target.hostname, opts.resolve)).class === 'loopback') return { remoteKey: null };
  const key = target.host;
  if ((remoteFailures.get(key) ?? 0) >= REMOTE_FAILURE_CAP) return { refuse: { kind: 'not-attempted', note: `skipped: ${REMOTE_FAILURE_CAP} failed attempts already sent to ${key} in this run` } };
  return { remoteKey: key };
}

type ResError = { code: string | null; message: string | null; detailsCode: string | null };

/** Outcome from the res error frame alone, when the close frame is late or missing. */
function outcomeOfResError(r: ResError | null): Partial<ProbeResult> {
  if (!r) return { kind: 'no-answer' };
  if (isStarting(r.code, r.message)) return { kind: 'starting', errorCode: r.code, note: r.message };
  if (r.detailsCode === 'PROTOCOL_MISMATCH') return { kind: 'protocol-mismatch', errorCode: r.code, detailsCode: r.detailsCode, note: r.message };
  return {
    kind: 'rejected',
    errorCode: r.code,
    detailsCode: r.detailsCode,
    reject: classifyRejection(r.message, r.detailsCode),
    note: 'rejected by the res frame; the server did not close the socket',
  };
}

/** Outcome from the close frame, with what the res frame said before it. */
function outcomeOfClose(code: number, reason: string | null, resError: ResError | null, sawChallenge: boolean): Partial<ProbeResult> {
  const common: Partial<ProbeResult> = { closeCode: code, closeReason: reason, errorCode: resError?.code ?? null, detailsCode: resError?.detailsCode ?? null };
  // The close reason is truncated to 120 bytes; the res frame's message is complete.
  if (code === 1008) return { ...common, kind: 'rejected', reject: classifyRejection(reason ?? resError?.message ?? null, resError?.detailsCode ?? null) };
  if (code === 1013 || isStarting(resError?.code ?? null, reason)) return { ...common, kind: 'starting' };
  if (code === 1002) return { ...common, kind: 'protocol-mismatch' };
  if (code === 1006 && !sawChallenge) return { ...common, kind: 'closed-unknown', note: 'connection dropped without a close frame before any challenge' };
  return { ...common, kind: 'closed-unknown', note: `closed with code ${code}${reason ? ` (${reason})` : ''}` };
}

/** The answer to our connect request: hello-ok, or the error frame to wait on a close for. */
function readResponse(frame: Frame): { done: Partial<ProbeResult> } | { error: ResError } {
  if (frame.ok === true) {
    const payload = asRecord(frame.payload);
    if (payload?.type !== 'hello-ok') return { done: { kind: 'closed-unknown', note: 'res ok:true without a hello-ok payload' } };
    const server = asRecord(payload.server);
    return { done: { kind: 'hello-ok', serverVersion: typeof server?.version === 'string' ? server.version : null, protocol: typeof payload.protocol === 'number' ? payload.protocol : null } };
  }
  const error = asRecord(frame.error);
  const details = asRecord(error?.details);
  return {
    error: {
      code: typeof error?.code === 'string' ? error.code : null,
      message: typeof error?.message === 'string' ? error.message : null,
      detailsCode: typeof details?.code === 'string' ? details.code : null,
    },
  };
}

export async function probeGateway(opts: ProbeOptions): Promise<ProbeResult> {
  const started = performance.now();
  const finish = resultFactory(opts, started);
  const pre = await refusal(opts);
  if ('refuse' in pre) return finish(pre.refuse);
  const timeoutMs = Number.isFinite(opts.timeoutMs) && opts.timeoutMs > 0 ? opts.timeoutMs : DEFAULT_PROBE_TIMEOUT_MS;
  const result = await new Promise<ProbeResult>((resolve) => new Handshake(opts, timeoutMs, started, (patch) => resolve(finish(patch))).start());
  if (pre.remoteKey && result.kind !== 'hello-ok') remoteFailures.set(pre.remoteKey, (remoteFailures.get(pre.remoteKey) ?? 0) + 1);
  return result;
}

/** One connection: the socket's events, the timers, and the one outcome they settle on. */
class Handshake {
  private settled = false;
  private sawChallenge = false;
  private resError: ResError | null = null;
  private graceTimer: NodeJS.Timeout | undefined;
  private overall: NodeJS.Timeout | undefined;
  private ws!: WebSocket;

  constructor(
    private readonly opts: ProbeOptions,
    private readonly timeoutMs: number,
    private readonly started: number,
    private readonly done: (patch: Partial<ProbeResult>) => void,
  ) {}

  start(): void {
    this.ws = new WebSocket(this.opts.url, { handshakeTimeout: this.timeoutMs, perMessageDeflate: false, followRedirects: false, ...(this.opts.origin ? { origin: this.opts.origin } : {}) });
    this.overall = setTimeout(() => this.onTimeout(), this.timeoutMs);
    this.ws.on('unexpected-response', (_req, res) => {
      res.resume();
      this.settle({ kind: 'not-websocket', note: `HTTP ${res.statusCode ?? 0} ${res.statusMessage ?? ''}`.trim() + ' instead of a WebSocket upgrade' });
    });
    this.ws.on('error', (err: NodeJS.ErrnoException) => this.onError(err));
    this.ws.on('message', (data: RawData, isBinary: boolean) => this.onMessage(data, isBinary));
    this.ws.on('close', (code: number, reason: Buffer) => this.settle(outcomeOfClose(code, reason.toString('utf8') || null, this.resError, this.sawChallenge)));
  }

  private settle(patch: Partial<ProbeResult>, closeWith?: number): void {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.overall);
    clearTimeout(this.graceTimer);
    try {
      if (closeWith !== undefined && this.ws.readyState === WebSocket.OPEN) this.ws.close(closeWith);
      else if (this.ws.readyState !== WebSocket.CLOSED) this.ws.terminate();
    } catch {
      // Already gone: nothing to release.
    }
    this.done(patch);
  }

  private onTimeout(): void {
    if (this.resError) return this.settle(outcomeOfResError(this.resError));
    const note = this.sawChallenge
      ? `challenge received but no answer to connect within ${Math.max(this.timeoutMs, AUTH_VERDICT_MS)} ms`
      : this.ws.readyState === WebSocket.CONNECTING
        ? `no WebSocket upgrade within ${this.timeoutMs} ms`
        : `upgraded, but no connect.challenge within ${this.timeoutMs} ms`;
    this.settle({ kind: 'no-answer', note });
  }

  private onError(err: NodeJS.ErrnoException): void {
    if (err.code === 'ECONNREFUSED') return this.settle({ kind: 'refused', note: 'connection refused: nothing listens there' });
    if (/handshake has timed out/i.test(err.message)) return this.settle({ kind: 'no-answer', note: `no WebSocket upgrade within ${this.timeoutMs} ms` });
    this.settle({ kind: 'error', note: err.code ? `${err.code}: ${err.message}` : err.message });
  }

  private onMessage(data: RawData, isBinary: boolean): void {
    if (isBinary) return;
    const frame = parseFrame(data);
    if (!frame) return;
    if (frame.type === 'event' && frame.event === 'connect.challenge' && !this.sawChallenge) return this.onChallenge();
    if (frame.type !== 'res' || frame.id !== '1') return;
    const r = readResponse(frame);
    if ('done' in r) return this.settle(r.done, 1000);
    this.resError = r.error;
    // UNAVAILABLE "gateway starting" may come without a close: no need to wait for one.
    if (isStarting(r.error.code, r.error.message)) return this.settle(outcomeOfResError(r.error));
    this.graceTimer = setTimeout(() => this.settle(outcomeOfResError(this.resError)), CLOSE_GRACE_MS);
  }

  private onChallenge(): void {
    this.sawChallenge = true;
    sendConnect(this.ws, this.opts);
    // Whatever sent connect.challenge is a gateway. On loopback it delays each failed auth by an
    // escalating penalty (250 ms doubling up to 5 s, observed on 2026.9.6): give the verdict that
    // long, or a second diagnosis right after a few failures reads as "no answer".
    const left = this.timeoutMs - (performance.now() - this.started);
    if (left < AUTH_VERDICT_MS) {
      clearTimeout(this.overall);
      this.overall = setTimeout(() => this.onTimeout(), AUTH_VERDICT_MS);
    }
  }
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
