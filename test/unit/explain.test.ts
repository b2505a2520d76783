/**
 * `explain` over every auth message string of OpenClaw 2026.9.6 on record (the reference's table
 * of reject messages, startup fatals, CLI errors, doctor findings and log lines), as a person
 * pastes them: each must name the right finding and never echo the message back.
 */
import { describe, expect, it } from 'vitest';
import { CHECKS, FINDING_IDS } from '../../src/checks/index.js';
import { EXPLANATIONS } from '../../src/explain/table.js';
import { explainMessage, formatExplanation } from '../../src/explain/explain.js';

const MESSAGES: ReadonlyArray<readonly [string, string | null]> = [
  // Reject messages (WS close 1008 unless noted), Control UI / CLI / other clients.
  ['disconnected (1008): unauthorized: gateway token missing (paste in Control UI settings or openclaw doctor --generate-gateway-token; restart)', 'client-token-missing'],
  ['unauthorized: gateway token missing (open the dashboard URL and paste the token in Control UI settings)', 'client-token-missing'],
  ["unauthorized: gateway token missing (use this gateway's gateway.auth.token or pair the device)", 'client-token-missing'],
  ['unauthorized: gateway token missing (set gateway.remote.token to match gateway.auth.token)', 'remote-token-mismatch'],
  ['unauthorized: gateway token missing (provide gateway auth token)', 'client-token-missing'],
  ['unauthorized: gateway token mismatch (open the dashboard URL and paste the token in Control UI settings)', 'client-token-mismatch'],
  ["gateway closed (1008): unauthorized: gateway token mismatch (use this gateway's gateway.auth.token or pair the device)", 'client-token-mismatch'],
  ['unauthorized: gateway token mismatch (set gateway.remote.token to match gateway.auth.token)', 'remote-token-mismatch'],
  ['unauthorized: gateway token mismatch (provide gateway auth token)', 'client-token-mismatch'],
  ['unauthorized: gateway token not configured on gateway (set gateway.auth.token)', 'no-token-configured'],
  ['gateway credential is a redaction sentinel (run openclaw doctor --fix on the Gateway, then restart and re-pair)', 'token-invalid-value'],
  ['unauthorized: gateway password missing (enter the password in Control UI settings)', 'client-password-rejected'],
  ['unauthorized: gateway password mismatch (enter the password in Control UI settings)', 'client-password-rejected'],
  ["unauthorized: gateway password mismatch (use this gateway's gateway.auth.password)", 'client-password-rejected'],
  ['unauthorized: gateway password mismatch (set gateway.remote.password to match gateway.auth.password)', 'client-password-rejected'],
  ['unauthorized: gateway password not configured on gateway (set gateway.auth.password)', 'no-token-configured'],
  ['unauthorized: too many failed authentication attempts (retry later)', 'rate-limited'],
  ['unauthorized: device token mismatch (rotate/reissue device token)', 'device-token-mismatch'],
  ['unauthorized: device token scope mismatch (re-pair or approve scope upgrade)', 'scope-upgrade-pending'],
  ['unauthorized: tailscale identity missing (use Tailscale Serve auth or gateway token/password)', null],
  ['unauthorized: tailscale proxy headers missing (use Tailscale Serve or gateway token/password)', null],
  ['unauthorized: proxy client attribution is required (configure gateway.trustedProxies narrowly…)', 'proxy-untrusted'],
  ['observed unattributable proxy-shaped traffic from 127.0.0.1; Gateway-authenticated routes reject it', 'proxy-untrusted'],
  ['Proxy headers detected from untrusted address. Connection will not be treated as local', 'proxy-untrusted'],
  ['unauthorized: setup code invalid, expired, revoked, or already used (create a new code; review `openclaw devices list`)', null],
  ['control ui requires device identity (use HTTPS or localhost secure context)', 'control-ui-insecure-context'],
  ['device identity required', 'control-ui-insecure-context'],
  ['origin not allowed (open the Control UI from the gateway host or allow it in gateway.controlUi.allowedOrigins)', 'origin-not-allowed'],
  ['pairing required: device is not approved yet (requestId: 5b7f3d0e-6a4c-4a58-9a7e-0d3c1b2a4f11)', 'pairing-required'],
  ['disconnected (1008): pairing required', 'pairing-required'],
  ['gateway closed (1008): pairing required: device is asking for more scopes than currently approved', 'scope-upgrade-pending'],
  ['pairing required: device is asking for a higher role than currently approved', 'scope-upgrade-pending'],
  ['pairing required: device identity changed and must be re-approved', 'pairing-required'],
  ['Error: missing scope: operator.read', 'scope-upgrade-pending'],
  ['disconnected (1002): protocol mismatch', 'protocol-mismatch'],
  ['protocol mismatch: Control UI updated; reload this page to continue', 'control-ui-stale-build'],
  ['disconnected (1013): gateway starting', 'gateway-starting'],
  ['gateway starting; retry shortly', 'gateway-starting'],
  ['device signature expired', null],
  ['device nonce mismatch', null],
  ['device identity mismatch', null],
  // Startup fatals.
  [
    'Gateway failed to start: Invalid config: gateway.auth.token and gateway.auth.password are both configured, but gateway.auth.mode is unset. Set gateway.auth.mode to token or password.',
    'ambiguous-auth-mode',
  ],
  ['Gateway failed to start: Invalid config: gateway auth token is blank, a published example placeholder, or the literal string undefined/null…', 'token-invalid-value'],
  [
    'refusing to bind gateway to 0.0.0.0:18789 without auth (set gateway.auth.token/password, or set OPENCLAW_GATEWAY_TOKEN/OPENCLAW_GATEWAY_PASSWORD; legacy CLAWDBOT_* and MOLTBOT_* …)',
    'no-token-configured',
  ],
  [
    'Gateway failed to start: Error: non-loopback Control UI requires gateway.controlUi.allowedOrigins (set explicit origins), or set gateway.controlUi.dangerouslyAllowHostHeaderOriginFallback=true…',
    'origin-not-allowed',
  ],
  ['gateway auth mode is trusted-proxy, but a shared token is also configured; remove gateway.auth.token / OPENCLAW_GATEWAY_TOKEN…', 'auth-mode-not-token'],
  [
    'Gateway auth token was missing. Generated a runtime token for this startup without changing config; restart will generate a different token. Persist one with `openclaw config set gateway.auth.mode token`…',
    'no-token-configured',
  ],
  ['Gateway start blocked: set gateway.mode=local (current: unset) or pass --allow-unconfigured.', 'gateway-mode-not-local'],
  // CLI.
  ['gateway url override requires explicit credentials', 'url-override-needs-credentials'],
  ['Fix: pass --token or --password … --url (or gatewayToken in tools).', 'url-override-needs-credentials'],
  ['For the default local or SSH-tunneled Gateway, remove --url to use the configured target.', 'url-override-needs-credentials'],
  ['Gateway not reachable at ws://127.0.0.1:18789 (ECONNREFUSED).', 'gateway-not-running'],
  ['Gateway is reachable, but this CLI has no token/password or paired device token for read-scope health RPCs.', 'secretref-unresolved'],
  ['Error: gateway.auth.token resolved to an empty or non-string value.', 'secretref-unresolved'],
  ['Secret diagnostics: failed to resolve gateway.auth.token locally (Environment variable OPENCLAW_GATEWAY_TOKEN is missing or empty.)', 'secretref-unresolved'],
  ['Gateway auth token failed: Refusing to print the Gateway token outside an interactive terminal. Run `openclaw gateway auth-token --show` directly in a terminal on the Gateway host.', null],
  ['__OPENCLAW_REDACTED__', 'token-invalid-value'],
  ['Token auto-auth not delivered. Append your gateway token … as a URL fragment with key `token`', 'client-token-missing'],
  // Doctor and service audit.
  ['Gateway auth is off or missing a token. Run `openclaw doctor --fix --generate-gateway-token`', 'no-token-configured'],
  ['Gateway token is a known redaction sentinel, not a usable secret.', 'token-invalid-value'],
  ['Gateway token is blank or the literal string undefined/null, not a usable secret.', 'token-invalid-value'],
  ['Gateway token is managed via SecretRef and is currently unavailable.', 'secretref-unresolved'],
  ['Gateway token SecretRef could not be resolved: file not found', 'secretref-unresolved'],
  ['Config token differs from service token. The daemon will use the old token after restart. Run openclaw gateway install --force to sync the token.', 'service-token-stale'],
  ['Gateway service embeds OPENCLAW_GATEWAY_TOKEN and should be reinstalled.', 'service-token-stale'],
  ['Gateway service OPENCLAW_GATEWAY_TOKEN does not match gateway.auth.token in openclaw.json', 'service-token-stale'],
  ['OPENCLAW_GATEWAY_TOKEN conflicts with gateway.auth.token.', 'env-token-differs'],
  ['[OPENCLAW_LEGACY_ENV_VARS] Legacy CLAWDBOT_* environment variables were detected …the old names are ignored.', 'legacy-env-ignored'],
  ['Config uses "gateway.token". This key is ignored; use "gateway.auth.token" instead.', 'legacy-env-ignored'],
  ['Config auto-restored from backup: ~/.openclaw/openclaw.json (missing-meta-vs-last-good)', 'config-auto-restored'],
  ['Restored openclaw.json from last-known-good; original saved as .clobbered.*.', 'config-auto-restored'],
  // Gateway log records (file log positional text).
  [
    'unauthorized conn=4f1c peer=127.0.0.1:34676->127.0.0.1:18789 remote=127.0.0.1 client=openclaw-control-ui webchat v2026.9.6 role=operator scopes=6 auth=none device=yes origin=http://127.0.0.1:18789 reason=token_missing',
    'client-token-missing',
  ],
  ['unauthorized conn=4f1c remote=127.0.0.1 client=openclaw-probe probe v0.1.0 auth=token reason=token_mismatch', 'client-token-mismatch'],
  ['unauthorized conn=4f1c remote=127.0.0.1 client=openclaw-control-ui webchat v2026.9.6 auth=none reason=password_missing', 'client-password-rejected'],
  ['unauthorized conn=4f1c remote=127.0.0.1 client=openclaw-control-ui webchat v2026.9.6 reason=rate_limited', 'rate-limited'],
];

describe('explain: every message on record names its finding', () => {
  it.each(MESSAGES)('%s', async (message, finding) => {
    const a = await explainMessage(message);
    expect(a.recognised).toBe(true);
    expect(a.finding).toBe(finding);
    expect(a.cause).toBeTruthy();
    expect(a.fix.length).toBeGreaterThan(0);
    expect(a.confirm).toBeTruthy();
    if (finding) expect(a.title).toBe(CHECKS.find((c) => c.id === finding)?.title);
  });
});

describe('explain', () => {
  it('every finding id in the table is a real finding id', () => {
    const ids = new Set<string>(FINDING_IDS);
    expect(EXPLANATIONS.map((e) => e.finding).filter((f) => f !== null && !ids.has(f))).toEqual([]);
  });

  it('matches case-insensitively, inside surrounding text', async () => {
    expect((await explainMessage('  [12:01] DISCONNECTED (1008): UNAUTHORIZED: GATEWAY TOKEN MISMATCH  ')).finding).toBe('client-token-mismatch');
  });

  it('never prints the pasted message back (a paste can carry a token)', async () => {
    const secret = 'f'.repeat(48);
    const out = formatExplanation(await explainMessage(`http://127.0.0.1:18789/#token=${secret} gives: unauthorized: gateway token mismatch`));
    expect(out).toContain('Finding: client-token-mismatch');
    expect(out).not.toContain(secret);
  });

  it('an unknown message is not recognised and points at diagnose', async () => {
    const a = await explainMessage('something else entirely');
    expect(a).toMatchObject({ recognised: false, finding: null, fix: [] });
    expect(formatExplanation(a)).toContain('openclaw-token-wizard diagnose');
  });

  it('every finding of the table has its title from its own check module (src/checks/<id>.ts)', async () => {
    for (const id of new Set(EXPLANATIONS.map((e) => e.finding).filter((f) => f !== null))) {
      const e = EXPLANATIONS.find((x) => x.finding === id)!;
      expect((await explainMessage(e.match[0]!)).title, id).toBe(CHECKS.find((c) => c.id === id)?.title);
    }
  });
});
