/**
 * Fake-gateway behaviours beyond the token check, each as the real 2026.9.6 gateway shows it
 * (real-world-failures.md): password mode's messages, the stale Control UI build admission, a
 * scope upgrade waiting for approval, and forwarded headers from an untrusted same-host proxy.
 */
import type { IncomingMessage } from 'node:http';

interface ClientLike {
  id: string;
  mode: string;
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

/**
 * As quoted from 2026.9.6; the request id travels in `details.requestId`. Where the real log puts
 * it is not on record here: the fake writes it into the failure record's context.
 */
export const SCOPE_UPGRADE_MESSAGE = 'pairing required: device is asking for more scopes than currently approved';

const FORWARDED = ['x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto', 'x-real-ip', 'forwarded'];

/** The peer address when it sent proxy headers without being a trusted proxy; null otherwise. */
export function untrustedProxyPeer(req: IncomingMessage, remote: string, trustedProxies: readonly string[]): string | null {
  const forwarded = FORWARDED.some((h) => req.headers[h] !== undefined);
  return forwarded && !trustedProxies.includes(remote) ? remote : null;
}
