/** How one WebSocket handshake with a gateway ended. */
export type ProbeKind =
  | 'hello-ok'
  /** 1008 with an auth reason: see `authReason` / `detailsCode`. */
  | 'rejected'
  /** 1013 or UNAVAILABLE "gateway starting": retry shortly. */
  | 'starting'
  /** 1002 protocol mismatch. */
  | 'protocol-mismatch'
  /** TCP connect refused: nothing listens. */
  | 'refused'
  /** Something answered HTTP but did not upgrade to a WebSocket. */
  | 'not-websocket'
  /** TCP accepted but nothing came back before the timeout. */
  | 'no-answer'
  /** Upgraded, but closed with a code/reason we do not recognise. */
  | 'closed-unknown'
  /** The probe refused to run (e.g. would send a token over ws:// to a public address). */
  | 'not-attempted'
  | 'error';

/** Normalised reason for a 1008 rejection. */
export type RejectReason =
  | 'token-missing'
  | 'token-mismatch'
  | 'token-not-configured'
  | 'redacted-config'
  | 'password-missing'
  | 'password-mismatch'
  | 'rate-limited'
  | 'device-token-mismatch'
  | 'device-identity-required'
  | 'control-ui-insecure-context'
  | 'origin-not-allowed'
  | 'pairing-required'
  | 'unauthorized-other';

export interface ProbeResult {
  kind: ProbeKind;
  url: string;
  ms: number;
  closeCode: number | null;
  /** Close reason as received (never contains a token: the gateway does not echo it). */
  closeReason: string | null;
  /** `error.details.code` of the res frame, e.g. AUTH_TOKEN_MISMATCH. */
  detailsCode: string | null;
  /** `error.code` of the res frame, e.g. INVALID_REQUEST, NOT_PAIRED. */
  errorCode: string | null;
  reject: RejectReason | null;
  /** hello-ok: server.version and protocol. */
  serverVersion: string | null;
  protocol: number | null;
  /** Short human note: why not attempted, the socket error, the HTTP status seen. */
  note: string | null;
  /** Not sent this time: the same gateway run refused this value at `at` (see refusal-memory.ts). */
  remembered?: { at: string };
}

export interface ProbeOptions {
  url: string;
  /** Raw token to present; omitted = no auth block. */
  token?: string;
  password?: string;
  timeoutMs: number;
  clientId?: string;
  clientMode?: string;
  /** Origin header, to imitate a browser (Control UI tests). */
  origin?: string;
  minProtocol?: number;
  maxProtocol?: number;
  /** Send a credential over plain ws:// to a host that is not loopback (the person accepted the risk). */
  allowInsecure?: boolean;
  /** Name resolution, injectable for tests. */
  resolve?: (host: string) => Promise<string[]>;
}

export interface HealthResult {
  ok: boolean;
  status: number | null;
  body: unknown;
  ms: number;
  note: string | null;
}
