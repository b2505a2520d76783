/**
 * The demo gateway's own reading of OpenClaw's config and token rules, written from OpenClaw's
 * documented behaviour (openclaw-gateway.md, "Auth" and "Config") and deliberately sharing no
 * code with the wizard's parser (src/facts/config.ts) or token rules (src/hygiene.ts): the fake
 * decides which token its gateway enforces on its own, so a bug in the wizard's rules shows up as
 * a disagreement in the demo and TTY tests instead of being mirrored by the fake.
 */
import JSON5 from 'json5';

/** What the fake CLI needs from a config file. */
export interface FakeConfig {
  path: string;
  /** Why the file could not be used (not JSON5, not an object). */
  error: string | null;
  mode: string | null;
  authMode: string | null;
  port: number | null;
  bind: string | null;
  logFile: string | null;
  /** gateway.auth.token after `${VAR}` substitution, as authored (not yet trimmed or judged). */
  authToken: unknown;
  /** OPENCLAW_GATEWAY_TOKEN from the config's `env` block (direct entries win over `env.vars`). */
  envBlockToken: string | null;
  /** gateway.auth.password, resolved like the token. */
  authPassword: unknown;
  /** Whether the token / password is configured at all (a non-blank string or a SecretRef), as the start checks count it. */
  authTokenConfigured: boolean;
  authPasswordConfigured: boolean;
}

/** What `openclaw config get` prints instead of a secret (src/config/redact-sentinel.ts). */
export const SENTINEL = '__OPENCLAW_REDACTED__';
/** OpenClaw's known-weak values (src/gateway/known-weak-gateway-secrets.ts), compared after trimming. */
const WEAK = new Set(['', 'undefined', 'null', 'change-me-to-a-long-random-token', 'change-me-now', 'change-me-to-a-strong-password', SENTINEL]);
const PLACEHOLDER = /^\$\{[A-Z_][A-Z0-9_]*\}$/;

/** A credential value OpenClaw would use, trimmed; null when it counts as unset (weak, a leftover `${VAR}`, not a string). */
export function usableCredential(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const v = value.trim();
  return WEAK.has(v) || PLACEHOLDER.test(v) ? null : v;
}

/** `${NAME}` → its value when set and non-empty; `$${NAME}` → a literal `${NAME}`; anything else as written. */
function substitute(s: string, env: NodeJS.ProcessEnv): string {
  return s.replace(/\$?\$\{([A-Z_][A-Z0-9_]*)\}/g, (whole: string, name: string) => {
    if (whole.startsWith('$$')) return whole.slice(1);
    const v = env[name];
    return v === undefined || v === '' ? whole : v;
  });
}

function at(obj: unknown, ...keys: string[]): unknown {
  let cur = obj;
  for (const k of keys) cur = cur !== null && typeof cur === 'object' && !Array.isArray(cur) ? (cur as Record<string, unknown>)[k] : undefined;
  return cur;
}

/** An env SecretRef (`{ source: "env", id }`) resolves from the environment; other sources are not part of the demo. */
function secretRef(v: unknown, env: NodeJS.ProcessEnv): unknown {
  if (v === null || typeof v !== 'object' || at(v, 'source') !== 'env') return v;
  const id = at(v, 'id');
  return typeof id === 'string' ? env[id] : undefined;
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** hasConfiguredSecretInput: a non-blank string, or any SecretRef-shaped object. */
function isConfigured(v: unknown): boolean {
  if (typeof v === 'string') return v.trim() !== '';
  return v !== null && typeof v === 'object' && typeof at(v, 'source') === 'string' && typeof at(v, 'id') === 'string';
}

export function readFakeConfig(text: string, env: NodeJS.ProcessEnv, path: string): FakeConfig {
  const empty: FakeConfig = {
    path,
    error: null,
    mode: null,
    authMode: null,
    port: null,
    bind: null,
    logFile: null,
    authToken: undefined,
    envBlockToken: null,
    authPassword: undefined,
    authTokenConfigured: false,
    authPasswordConfigured: false,
  };
  let doc: unknown;
  try {
    doc = JSON5.parse(text);
  } catch (err) {
    return { ...empty, error: String((err as Error).message).replace(/^JSON5: /, '') };
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return { ...empty, error: 'the config is not an object' };
  const direct = str(at(doc, 'env', 'OPENCLAW_GATEWAY_TOKEN'));
  const envBlockToken = direct ?? str(at(doc, 'env', 'vars', 'OPENCLAW_GATEWAY_TOKEN'));
  // The env block fills variables the environment leaves unset, before substitution.
  const subEnv = envBlockToken !== null && env.OPENCLAW_GATEWAY_TOKEN === undefined ? { ...env, OPENCLAW_GATEWAY_TOKEN: envBlockToken } : env;
  const sub = (v: unknown): unknown => (typeof v === 'string' ? substitute(v, subEnv) : v);
  const port = sub(at(doc, 'gateway', 'port'));
  const token = sub(at(doc, 'gateway', 'auth', 'token'));
  const password = sub(at(doc, 'gateway', 'auth', 'password'));
  return {
    ...empty,
    mode: str(sub(at(doc, 'gateway', 'mode'))),
    authMode: str(sub(at(doc, 'gateway', 'auth', 'mode'))),
    port: typeof port === 'number' && Number.isInteger(port) ? port : typeof port === 'string' && /^\d+$/.test(port) ? Number(port) : null,
    bind: str(sub(at(doc, 'gateway', 'bind'))),
    logFile: str(sub(at(doc, 'logging', 'file'))),
    authToken: secretRef(token, subEnv),
    envBlockToken,
    authPassword: secretRef(password, subEnv),
    authTokenConfigured: isConfigured(token),
    authPasswordConfigured: isConfigured(password),
  };
}

/**
 * The token a gateway started now would enforce: gateway.auth.token first, then
 * OPENCLAW_GATEWAY_TOKEN (the process environment, then the config's env block), each only when
 * it is a usable value (config beats env on the gateway server since 2026.4).
 */
export function enforcedToken(cfg: FakeConfig | null, env: NodeJS.ProcessEnv): string | null {
  return usableCredential(cfg?.authToken) ?? usableCredential(env.OPENCLAW_GATEWAY_TOKEN ?? cfg?.envBlockToken ?? undefined);
}

/**
 * The password a gateway started now would enforce: gateway.auth.password, then
 * OPENCLAW_GATEWAY_PASSWORD, when the auth mode is password (set, or unset with only a password
 * around). Null: the gateway runs in token mode.
 */
export function enforcedPassword(cfg: FakeConfig | null, env: NodeJS.ProcessEnv): string | null {
  const password = usableCredential(cfg?.authPassword) ?? usableCredential(env.OPENCLAW_GATEWAY_PASSWORD);
  const mode = cfg?.authMode?.trim() || (password !== null ? 'password' : 'token');
  return mode === 'password' ? password : null;
}
