/**
 * Configs the real openclaw@2026.9.6 gateway refuses to start with, and the fatal line it prints
 * (seen live in test/real/start-refusals-password-restore.test.ts and contract-start.test.ts): a
 * token and a password with no gateway.auth.mode (auth-mode-policy.ts), and a credential that is
 * blank, the literal undefined/null or a published example placeholder
 * (known-weak-gateway-secrets.ts). The start reads the config first ("loading configuration…"),
 * then run.ts prints `Gateway failed to start: <error>. Run openclaw gateway status --deep for
 * diagnostics.` (the error's own full stop doubles) to stderr, where the console logger also writes
 * it into the log file as a record of the `openclaw` logger with no subsystem, and exits 1.
 * The redaction sentinel's own refusal is not modelled: the fake treats it as unset.
 */
import type { RecordOptions } from './gateway-log-writer.js';
import type { FakeConfig } from './openclaw-rules.js';

export const AMBIGUOUS_AUTH_MODE_ERROR =
  'Invalid config: gateway.auth.token and gateway.auth.password are both configured, but gateway.auth.mode is unset. Set gateway.auth.mode to token or password.';
export const WEAK_TOKEN_ERROR =
  'Invalid config: gateway auth token is blank, a published example placeholder, or the literal string undefined/null. Generate a real secret (for example, `openssl rand -hex 32`) and update gateway.auth.token or its external source. For blank or undefined/null inline tokens, `openclaw doctor --fix --generate-gateway-token` can generate one.';
export const WEAK_PASSWORD_ERROR =
  'Invalid config: gateway auth password is blank, a published example placeholder, or the literal string undefined/null. Generate a real secret (for example, `openssl rand -hex 32`) and set OPENCLAW_GATEWAY_PASSWORD or gateway.auth.password (or its external source) before starting the gateway.';

const INVALID = ['', 'undefined', 'null'];
const WEAK_TOKENS = ['change-me-to-a-long-random-token', 'change-me-now'];
const WEAK_PASSWORDS = ['change-me-to-a-strong-password'];

const trimmed = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

function isWeak(value: unknown, placeholders: readonly string[]): boolean {
  return typeof value === 'string' && (INVALID.includes(value.trim()) || placeholders.includes(value.trim()));
}

/** The error the real start fails with for this config, or null when it starts. */
export function startConfigError(cfg: FakeConfig, env: NodeJS.ProcessEnv): string | null {
  if (!trimmed(cfg.authMode) && cfg.authTokenConfigured && cfg.authPasswordConfigured) return AMBIGUOUS_AUTH_MODE_ERROR;
  // resolveGatewayAuth: config first, then the environment; the raw config value when neither resolves.
  const token = trimmed(cfg.authToken) ?? trimmed(env.OPENCLAW_GATEWAY_TOKEN ?? cfg.envBlockToken) ?? cfg.authToken;
  const password = trimmed(cfg.authPassword) ?? trimmed(env.OPENCLAW_GATEWAY_PASSWORD) ?? cfg.authPassword;
  const mode = trimmed(cfg.authMode) ?? (trimmed(password) ? 'password' : 'token');
  if (mode === 'token' && isWeak(token, WEAK_TOKENS)) return WEAK_TOKEN_ERROR;
  if (mode === 'password' && isWeak(password, WEAK_PASSWORDS)) return WEAK_PASSWORD_ERROR;
  return null;
}

/** The fatal line, as printed and logged. */
export function startFailedMessage(error: string): string {
  return `Gateway failed to start: ${error}. Run openclaw gateway status --deep for diagnostics.`;
}

/** The log record of the fatal line: written by the console logger, so no subsystem. */
export function startFailedRecord(error: string, time?: Date): RecordOptions {
  return { level: 'ERROR', subsystem: null, message: startFailedMessage(error), ...(time ? { time } : {}) };
}
