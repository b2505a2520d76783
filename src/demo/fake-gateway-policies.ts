/**
 * Fake-gateway behaviours beyond the token check, each as the real 2026.9.6 gateway shows it
 * (real-world-failures.md): the token and password messages, the stale Control UI build
 * admission, and forwarded headers from an untrusted same-host proxy.
 */
import type { IncomingMessage } from 'node:http';
import { isControlUiClient } from './fake-connect-frame.js';

interface ClientLike {
  id: string;
  mode: string;
}

/** Hint wording of auth-messages.ts [2026.9.6]; the probe gets "provide gateway auth token". */
export function authFailureMessage(reason: 'token_missing' | 'token_mismatch', client: ClientLike, isLocal: boolean): string {
  const isCli = client.mode === 'cli' || client.id === 'cli';
  const ui = isControlUiClient(client);
  const tokenHint = isCli
    ? isLocal
      ? "use this gateway's gateway.auth.token or pair the device"
      : 'set gateway.remote.token to match gateway.auth.token'
    : ui
      ? 'open the dashboard URL and paste the token in Control UI settings'
      : 'provide gateway auth token';
  if (reason === 'token_missing') {
    const hint = ui ? 'paste in Control UI settings or openclaw doctor --generate-gateway-token; restart' : tokenHint;
    return `unauthorized: gateway token missing (${hint})`;
  }
  return `unauthorized: gateway token mismatch (${tokenHint})`;
}

/** auth-messages.ts: the password hint depends on the client kind and locality. */
export function passwordFailureMessage(reason: 'password_missing' | 'password_mismatch', client: ClientLike, isLocal: boolean, ui: boolean): string {
  const isCli = client.mode === 'cli' || client.id === 'cli';
  const hint = isCli
    ? isLocal
      ? "use this gateway's gateway.auth.password"
      : 'set gateway.remote.password to match gateway.auth.password'
    : ui
      ? 'enter the password in Control UI settings'
      : 'provide gateway auth password';
  return `unauthorized: gateway password ${reason === 'password_missing' ? 'missing' : 'mismatch'} (${hint})`;
}

export const STALE_CONTROL_UI_MESSAGE = 'protocol mismatch: Control UI updated; reload this page to continue';

/**
 * control-ui-build-admission.ts: a Control UI whose buildId is neither the gateway's build nor
 * `dev` runs an older bundle than the one the gateway serves now.
 */
export function isStaleControlUiBuild(gatewayBuildId: string | undefined, clientBuildId: unknown): boolean {
  if (!gatewayBuildId || typeof clientBuildId !== 'string') return false;
  return clientBuildId !== 'dev' && clientBuildId !== gatewayBuildId;
}

const FORWARDED = ['x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto', 'x-real-ip', 'forwarded'];

/** The peer address when it sent proxy headers without being a trusted proxy; null otherwise. */
export function untrustedProxyPeer(req: IncomingMessage, remote: string, trustedProxies: readonly string[]): string | null {
  const forwarded = FORWARDED.some((h) => req.headers[h] !== undefined);
  return forwarded && !trustedProxies.includes(remote) ? remote : null;
}

/**
 * node-connect-reconcile.ts (resolveUnauthorizedHandshakeContext): what a refused client is told to
 * do next. A device that presented a mismatched shared token may retry with its device token.
 */
export function unauthorizedAdvice(authReason: string, o: { hasDevice: boolean; authProvided: string; sentDeviceToken: boolean }): { canRetryWithDeviceToken: boolean; recommendedNextStep: string } {
  if (authReason === 'token_mismatch' && o.hasDevice && o.authProvided === 'token' && !o.sentDeviceToken) {
    return { canRetryWithDeviceToken: true, recommendedNextStep: 'retry_with_device_token' };
  }
  const next = /_missing/.test(authReason)
    ? 'update_auth_configuration'
    : /_mismatch$/.test(authReason)
      ? 'update_auth_credentials'
      : authReason === 'rate_limited'
        ? 'wait_then_retry'
        : 'review_auth_configuration';
  return { canRetryWithDeviceToken: false, recommendedNextStep: next };
}
