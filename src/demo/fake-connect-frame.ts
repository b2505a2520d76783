/**
 * What the fake gateway accepts as a `connect` request, as OpenClaw 2026.9.6's ConnectParamsSchema
 * does (closed objects, enums, required non-empty strings), the close-reason limit it answers
 * with (close-reason.ts) and its hello-ok. Kept apart from the handshake so the handshake reads as its decisions.
 */
const CLOSE_REASON_MAX_BYTES = 120;
const CLIENT_IDS = new Set([
  'webchat-ui',
  'openclaw-control-ui',
  'openclaw-browser-copilot',
  'openclaw-tui',
  'webchat',
  'cli',
  'gateway-client',
  'openclaw-macos',
  'openclaw-linux',
  'openclaw-ios',
  'openclaw-watchos',
  'openclaw-android',
  'node-host',
  'openclaw-worker',
  'test',
  'fingerprint',
  'openclaw-probe',
]);
const CLIENT_MODES = new Set(['webchat', 'cli', 'ui', 'backend', 'node', 'worker', 'probe', 'test']);
const PARAM_KEYS = new Set(['minProtocol', 'maxProtocol', 'client', 'caps', 'commands', 'permissions', 'pathEnv', 'role', 'scopes', 'device', 'auth', 'locale', 'userAgent']);
const CLIENT_KEYS = new Set(['id', 'displayName', 'version', 'platform', 'deviceFamily', 'modelIdentifier', 'mode', 'instanceId', 'buildId']);
const AUTH_KEYS = new Set(['token', 'bootstrapToken', 'deviceToken', 'password', 'approvalRuntimeToken', 'agentRuntimeIdentityToken']);

export interface ClientInfo {
  id: string;
  mode: string;
  version: string;
  platform: string;
  buildId?: unknown;
}

export function isControlUiClient(c: { id: string; mode: string }): boolean {
  return c.id === 'openclaw-control-ui' || c.id === 'webchat-ui' || c.id === 'webchat' || c.mode === 'webchat';
}

/** Real rule (close-reason.ts): at most 120 UTF-8 bytes, never a split character. */
export function truncateCloseReason(reason: string): string {
  const buf = Buffer.from(reason, 'utf8');
  if (buf.length <= CLOSE_REASON_MAX_BYTES) return reason;
  let end = CLOSE_REASON_MAX_BYTES;
  while (end > 0 && ((buf[end] ?? 0) & 0xc0) === 0x80) end--;
  return buf.subarray(0, end).toString('utf8');
}

/** The first schema error of a connect request's params, worded like the real one; null when valid. */
export function validateParams(p: unknown): string | null {
  if (typeof p !== 'object' || p === null || Array.isArray(p)) return 'at root: must be object';
  const params = p as Record<string, unknown>;
  for (const k of Object.keys(params)) if (!PARAM_KEYS.has(k)) return `at root: unexpected property '${k}'`;
  for (const k of ['minProtocol', 'maxProtocol']) {
    if (!Number.isInteger(params[k])) return `at /${k}: must be integer`;
  }
  const c = params.client;
  if (typeof c !== 'object' || c === null || Array.isArray(c)) return "at root: must have required property 'client'";
  const client = c as Record<string, unknown>;
  for (const k of Object.keys(client)) if (!CLIENT_KEYS.has(k)) return `at /client: unexpected property '${k}'`;
  for (const k of ['id', 'version', 'platform', 'mode']) {
    if (typeof client[k] !== 'string' || client[k].length === 0) return `at /client/${k}: must be non-empty string`;
  }
  if (!CLIENT_IDS.has(client.id as string)) return 'at /client/id: must be equal to one of the allowed values';
  if (!CLIENT_MODES.has(client.mode as string)) return 'at /client/mode: must be equal to one of the allowed values';
  if (params.auth !== undefined) {
    if (typeof params.auth !== 'object' || params.auth === null || Array.isArray(params.auth)) return 'at /auth: must be object';
    for (const [k, v] of Object.entries(params.auth)) {
      if (!AUTH_KEYS.has(k)) return `at /auth: unexpected property '${k}'`;
      if (typeof v !== 'string') return `at /auth/${k}: must be string`;
    }
  }
  if (params.role !== undefined && typeof params.role !== 'string') return 'at /role: must be string';
  return null;
}

/** The accepted connect's answer, with just the fields the wizard and its tests read. */
export function helloOkFrame(o: { id: string; protocol: number; version: string; connId: string; role: string }): Record<string, unknown> {
  return {
    type: 'res',
    id: o.id,
    ok: true,
    payload: {
      type: 'hello-ok',
      protocol: o.protocol,
      server: { version: o.version, connId: o.connId },
      features: { methods: ['health', 'status'], events: ['health', 'presence', 'tick'] },
      snapshot: {},
      auth: { role: o.role, scopes: [] },
      policy: { maxPayload: 26_214_400, maxBufferedBytes: 52_428_800, tickIntervalMs: 15_000 },
    },
  };
}
