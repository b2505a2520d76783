/**
 * A client that connects the way the real Control UI does: waits for `connect.challenge`, signs the
 * v3 device payload with an Ed25519 key, and sends `connect` as `openclaw-control-ui`/`webchat`
 * with a `client.buildId` and an Origin header. Several gateway failures happen only to such
 * clients (pairing, scope upgrades, stale UI builds, origin lockouts); with this the tests produce
 * them without a browser.
 *
 * v3 payload: `v3|deviceId|clientId|mode|role|scopes|signedAt|token|nonce|platform|deviceFamily`,
 * scopes comma-joined, platform and deviceFamily lower-cased; deviceId = hex sha256 of the raw 32-byte public key; publicKey and
 * signature base64url.
 */
import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import WebSocket from 'ws';

export interface DeviceIdentity {
  id: string;
  publicKey: string;
  privateKey: KeyObject;
}

export function newDeviceIdentity(): DeviceIdentity {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const x = publicKey.export({ format: 'jwk' }).x;
  if (!x) throw new Error('no raw Ed25519 public key');
  const raw = Buffer.from(x, 'base64url');
  return { id: createHash('sha256').update(raw).digest('hex'), publicKey: raw.toString('base64url'), privateKey };
}

export interface SignedClientOptions {
  url: string;
  token?: string;
  password?: string;
  deviceToken?: string;
  origin?: string;
  /** Extra upgrade headers (X-Forwarded-For, Host, …). */
  headers?: Record<string, string>;
  clientId?: string;
  clientMode?: string;
  /** `dev` by default (accepted by any gateway); null sends none. */
  buildId?: string | null;
  role?: string;
  scopes?: string[];
  minProtocol?: number;
  maxProtocol?: number;
  /** Send no device block (a browser without a secure context). */
  noDevice?: boolean;
  identity?: DeviceIdentity;
  platform?: string;
  deviceFamily?: string;
  timeoutMs?: number;
}

export interface SignedClientResult {
  /** hello-ok received. */
  ok: boolean;
  /** The upgrade was refused with this HTTP status (e.g. 403 from an untrusted proxy). */
  httpStatus: number | null;
  closeCode: number | null;
  closeReason: string | null;
  error: { code?: string; message?: string; details?: Record<string, unknown> } | null;
  hello: Record<string, unknown> | null;
  identity: DeviceIdentity;
}

const UI_SCOPES = ['operator.admin', 'operator.read', 'operator.write', 'operator.approvals', 'operator.pairing', 'operator.talk.secrets'];

/** The gateway signs and checks platform and deviceFamily trimmed and ASCII-lower-cased. */
function normalizeMetadata(v: string): string {
  return v.trim().replace(/[A-Z]/g, (c) => c.toLowerCase());
}

export function v3Payload(p: {
  deviceId: string;
  clientId: string;
  mode: string;
  role: string;
  scopes: string[];
  signedAt: number;
  token: string;
  nonce: string;
  platform: string;
  deviceFamily: string;
}): string {
  return ['v3', p.deviceId, p.clientId, p.mode, p.role, p.scopes.join(','), String(p.signedAt), p.token, p.nonce, normalizeMetadata(p.platform), normalizeMetadata(p.deviceFamily)].join('|');
}

function connectParams(o: SignedClientOptions, identity: DeviceIdentity, nonce: string): Record<string, unknown> {
  const clientId = o.clientId ?? 'openclaw-control-ui';
  const mode = o.clientMode ?? 'webchat';
  const role = o.role ?? 'operator';
  const scopes = o.scopes ?? UI_SCOPES;
  const platform = o.platform ?? 'Linux x86_64';
  const deviceFamily = o.deviceFamily ?? '';
  const buildId = o.buildId === undefined ? 'dev' : o.buildId;
  const auth: Record<string, string> = {};
  if (o.token) auth.token = o.token;
  if (o.password) auth.password = o.password;
  if (o.deviceToken) auth.deviceToken = o.deviceToken;
  const params: Record<string, unknown> = {
    minProtocol: o.minProtocol ?? 4,
    maxProtocol: o.maxProtocol ?? 4,
    client: { id: clientId, version: '2026.9.6', platform, mode, ...(buildId !== null ? { buildId } : {}) },
    role,
    scopes,
    auth,
  };
  if (!o.noDevice) {
    const signedAt = Date.now();
    const payload = v3Payload({ deviceId: identity.id, clientId, mode, role, scopes, signedAt, token: o.token ?? o.deviceToken ?? '', nonce, platform, deviceFamily });
    const signature = sign(null, Buffer.from(payload, 'utf8'), identity.privateKey).toString('base64url');
    params.device = { id: identity.id, publicKey: identity.publicKey, signature, signedAt, nonce };
  }
  return params;
}

/** One handshake; resolves when it is settled (hello-ok, close, refused upgrade or timeout). */
export function connectSigned(o: SignedClientOptions): Promise<SignedClientResult> {
  const identity = o.identity ?? newDeviceIdentity();
  const result: SignedClientResult = { ok: false, httpStatus: null, closeCode: null, closeReason: null, error: null, hello: null, identity };
  return new Promise((resolve) => {
    const ws = new WebSocket(o.url, { headers: { ...(o.origin ? { Origin: o.origin } : {}), ...o.headers } });
    const done = () => {
      clearTimeout(timer);
      ws.removeAllListeners();
      ws.on('error', () => undefined);
      if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) ws.terminate();
      resolve(result);
    };
    const timer = setTimeout(done, o.timeoutMs ?? 5000);
    ws.on('unexpected-response', (_req, res) => {
      result.httpStatus = res.statusCode ?? null;
      done();
    });
    ws.on('error', done);
    ws.on('close', (code, reason) => {
      result.closeCode = code;
      result.closeReason = reason.toString('utf8') || null;
      done();
    });
    ws.on('message', (data: Buffer) => {
      const frame = JSON.parse(data.toString('utf8')) as Record<string, unknown>;
      if (frame.type === 'event' && frame.event === 'connect.challenge') {
        const raw = (frame.payload as { nonce?: unknown }).nonce;
        const nonce = typeof raw === 'string' ? raw : '';
        ws.send(JSON.stringify({ type: 'req', id: '1', method: 'connect', params: connectParams(o, identity, nonce) }));
      } else if (frame.type === 'res' && frame.id === '1') {
        if (frame.ok) {
          result.ok = true;
          result.hello = frame.payload as Record<string, unknown>;
          done();
        } else {
          result.error = frame.error as SignedClientResult['error'];
        }
      }
    });
  });
}
