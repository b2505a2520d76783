/**
 * Writing a fresh gateway token into the config: the one action behind "generate a token" and
 * "rotate the token", with the one shell equivalent both show before they run.
 */
import { randomBytes } from 'node:crypto';
import { Secret } from '../secret.js';
import { applyConfig } from './config-edit.js';
import { waitForGateway } from './gateway.js';
import type { ActionContext, ActionOutcome } from './types.js';

/** What a person would type to do the same: the token is made by openssl and never printed. */
export const NEW_TOKEN_PLAN = ['openclaw config set gateway.auth.mode token', `openclaw config set gateway.auth.token "\\"$(openssl rand -hex 24)\\""`];

/** A fresh token: 48 hex characters, like `openclaw doctor --generate-gateway-token`. */
export function newToken(): string {
  return randomBytes(24).toString('hex');
}

/** Generate, save and read back a new token; then see whether the running gateway took it. */
export async function writeNewToken(ctx: ActionContext, what: (described: string) => string): Promise<ActionOutcome> {
  const token = newToken();
  ctx.remember(token);
  const described = new Secret(token).describe();
  const r = await applyConfig(ctx, what(described), [
    { path: 'gateway.auth.mode', value: 'token' },
    { path: 'gateway.auth.token', value: token, display: `<new token ${new Secret(token).fingerprint}>` },
  ]);
  if (!r.ok) return r;
  return { ...r, message: r.message + (await settleAfterTokenChange(ctx, token)) };
}

/**
 * After a config token change, probe before asking for a restart: 2026.9 hot-reloads a token
 * change on a gateway that started with one, but not on a gateway that started without.
 */
async function settleAfterTokenChange(ctx: ActionContext, token: string): Promise<string> {
  if (!ctx.view.reachable || ctx.dryRun) return '';
  // A gateway that generated a runtime token at startup keeps it until restarted (observed on 2026.9.6).
  if (ctx.facts.log?.runtimeTokenGenerated) return ' The running gateway started without a configured token and keeps its runtime token until it restarts.';
  const w = await waitForGateway(ctx, { token, goal: 'accepts-token', timeoutMs: 5000, label: 'Checking whether the running gateway picked up the new token' });
  return w.ok ? ' The running gateway applied it without a restart (hot reload).' : ' The running gateway still enforces its old token: it needs a restart.';
}
