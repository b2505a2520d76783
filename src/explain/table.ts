/**
 * What each OpenClaw 2026.9.6 auth message means: the text a person pastes (Control UI card, CLI
 * error, gateway log line, startup error) → the wizard's finding id, the cause, the fix, and what a
 * live diagnosis looks at to confirm it. A declarative table: first match wins, so a more specific
 * text comes before the text it contains. Matching is by lower-case substring (no patterns that
 * could backtrack on a long paste).
 */
import type { FindingId } from '../checks/index.js';

export interface Explanation {
  /** The finding `diagnose` reports for this failure; null when the wizard has no check for it. */
  finding: FindingId | null;
  /** Any of these lower-case substrings identifies the message. */
  match: readonly string[];
  cause: string;
  fix: readonly string[];
  /** What `openclaw-token-wizard diagnose` observes to confirm (or rule out) this cause. */
  confirm: string;
}

const DIAG = 'openclaw-token-wizard diagnose';
const OPEN = 'openclaw-token-wizard open';
const LOG = 'the gateway log record of that client';

export const EXPLANATIONS: readonly Explanation[] = [
  // ------------------------------------------------------------------ shared token, by client kind
  {
    finding: 'remote-token-mismatch',
    match: ['(set gateway.remote.token to match gateway.auth.token)'],
    cause: "This host is a remote-mode client: it sends gateway.remote.token (or OPENCLAW_GATEWAY_TOKEN), which is missing or differs from the remote gateway's gateway.auth.token.",
    fix: ["openclaw config set gateway.remote.token '\"<the gateway host's token>\"'"],
    confirm: `${DIAG} probes the remote gateway with gateway.remote.token and reports whether it is accepted`,
  },
  {
    finding: 'client-token-missing',
    match: ['gateway token missing', 'token auto-auth not delivered', 'reason=token_missing'],
    cause: 'The client connected without the gateway token: a bookmark, a new tab or browser (the Control UI keeps the token per tab), or a link without #token=.',
    fix: [OPEN, '# or paste the token from `openclaw gateway auth-token --show` under Settings → Gateway → Gateway secret'],
    confirm: `${DIAG} finds ${LOG} with reason=token_missing and probes the token the gateway enforces`,
  },
  {
    finding: 'client-token-mismatch',
    match: ['gateway token mismatch', 'reason=token_mismatch'],
    cause:
      'The client sent a token the gateway does not enforce: the token was changed (config set, doctor, onboarding) while the client kept the old one, or something else was pasted (a setup code, __OPENCLAW_REDACTED__).',
    fix: [OPEN, '# other clients: the value of `openclaw gateway auth-token --show`'],
    confirm: `${DIAG} probes every token it finds to learn which one the gateway accepts, and reads ${LOG} (reason=token_mismatch)`,
  },
  {
    finding: 'no-token-configured',
    match: ['gateway token not configured on gateway', 'generated a runtime token', 'gateway auth is off or missing a token', 'refusing to bind gateway'],
    cause: 'The gateway has no persisted token: it generated one for this run only (or refuses to start beyond loopback), so no client can know it.',
    fix: ['openclaw config set gateway.auth.token "\\"$(openssl rand -hex 24)\\""', 'openclaw gateway restart', OPEN],
    confirm: `${DIAG} reads gateway.auth.token from the config and the "Generated a runtime token" line from the gateway log`,
  },
  {
    finding: 'token-invalid-value',
    match: ['redaction sentinel', '__openclaw_redacted__', 'published example placeholder', 'literal string undefined/null'],
    cause: 'The configured token is not a usable secret: the redaction placeholder that `openclaw config get` prints, an example placeholder (change-me-now, …), blank, or "undefined"/"null".',
    fix: ['openclaw config set gateway.auth.token "\\"$(openssl rand -hex 24)\\""', 'openclaw gateway restart', OPEN],
    confirm: `${DIAG} reads the token's value from the config and names the problem without printing it`,
  },
  {
    finding: 'ambiguous-auth-mode',
    match: ['both configured, but gateway.auth.mode is unset', 'both configured while gateway.auth.mode is unset'],
    cause: 'gateway.auth.token and gateway.auth.password are both set and gateway.auth.mode is not: OpenClaw refuses to guess and the gateway does not start.',
    fix: ['openclaw config set gateway.auth.mode token', 'openclaw gateway restart'],
    confirm: `${DIAG} reads gateway.auth.mode, token and password from the config`,
  },
  {
    finding: 'auth-mode-not-token',
    match: ['gateway auth mode is trusted-proxy, but a shared token is also configured'],
    cause: 'trusted-proxy auth is on and a shared token is configured too: the gateway refuses to start with both.',
    fix: ['# remove gateway.auth.token and OPENCLAW_GATEWAY_TOKEN, or switch: openclaw config set gateway.auth.mode token'],
    confirm: `${DIAG} reads gateway.auth.mode and every token source`,
  },
  // ------------------------------------------------------------------------------ password mode
  {
    finding: 'client-password-rejected',
    match: ['gateway password missing', 'gateway password mismatch', 'reason=password_missing', 'reason=password_mismatch'],
    cause: 'The gateway is in password mode: it checks gateway.auth.password, not a token. The client sent no password or another secret (the Control UI forgets the password on every reload).',
    fix: [
      '# enter the gateway password (gateway.auth.password) in the Control UI: Settings → Gateway → Gateway secret',
      '# or, deliberately, switch to token auth: openclaw config set gateway.auth.mode token',
    ],
    confirm: `${DIAG} reads gateway.auth.mode from the config and ${LOG} (reason=password_missing or password_mismatch)`,
  },
  {
    finding: 'no-token-configured',
    match: ['gateway password not configured on gateway'],
    cause: 'Password mode is on but the gateway has no password.',
    fix: ['# set gateway.auth.password, or switch to token auth: openclaw config set gateway.auth.mode token'],
    confirm: `${DIAG} reads gateway.auth.mode and the credentials from the config`,
  },
  // ----------------------------------------------------------------------- devices and pairing
  {
    finding: 'scope-upgrade-pending',
    match: ['device token scope mismatch', 'asking for more scopes', 'asking for a higher role', 'missing scope: operator.', 'scope-upgrade', 'role-upgrade'],
    cause: 'A paired device asks for more scopes or a higher role than it was approved for; the gateway waits for someone to approve the upgrade.',
    fix: ['openclaw devices list', 'openclaw devices approve <requestId>   # the scope-upgrade request; the id is in the message or the log'],
    confirm: `${DIAG} finds the "pairing required: device is asking for more …" record and its request id in the gateway log`,
  },
  {
    finding: 'device-token-mismatch',
    match: ['device token mismatch', 'reason=device_token_mismatch'],
    cause: 'The client cached a per-device token the gateway no longer has (identity regenerated, pairing removed, token rotated). Not the shared gateway token.',
    fix: ['openclaw devices list', 'openclaw devices rotate --device <id> --role operator   # or remove the device and approve it again'],
    confirm: `${DIAG} reads ${LOG} (reason=device_token_mismatch)`,
  },
  {
    finding: 'pairing-required',
    match: ['pairing required', 'device identity changed and must be re-approved'],
    cause: 'The token was right, but this browser or device is new to the gateway and not on its loopback (LAN, Docker bridge, proxy, tunnel): it must be approved once.',
    fix: ['openclaw devices list', 'openclaw devices approve <requestId>'],
    confirm: `${DIAG} finds the pairing request and its id in the gateway log`,
  },
  {
    finding: null,
    match: ['setup code invalid, expired, revoked, or already used'],
    cause: 'A one-time setup code or bootstrap link was used after it expired (about 10 minutes) or a second time. Not the gateway token.',
    fix: ['openclaw dashboard   # a fresh link', OPEN],
    confirm: 'no live check: setup codes are one-time secrets the wizard does not read',
  },
  // ------------------------------------------------------------------------- browser context
  {
    finding: 'control-ui-insecure-context',
    match: ['control ui requires device identity', 'device identity required', 'cause=control-ui-insecure-auth'],
    cause: 'The client sent no device identity: a Control UI on plain HTTP from another machine (no secure context), a stale cached UI, or a third-party client without device signing.',
    fix: ['ssh -N -L 18789:127.0.0.1:18789 <gateway-host>   # then open http://127.0.0.1:18789/', '# or serve the Control UI over HTTPS; hard-reload an old tab'],
    confirm: `${DIAG} reads ${LOG} (control-ui-insecure-auth / device-required)`,
  },
  {
    finding: null,
    match: ['device signature expired', 'device signature invalid', 'device nonce required', 'device nonce mismatch', 'device identity mismatch', 'device public key invalid'],
    cause: "The client's signed device proof failed: its clock is more than 2 minutes off, or the client (often a third-party one) signs the handshake wrongly.",
    fix: ['timedatectl   # check the clock of the client machine', '# update the client, or use the Control UI served by the gateway'],
    confirm: 'no live check: the wizard does not verify device signatures',
  },
  {
    finding: 'origin-not-allowed',
    match: ['origin not allowed', 'non-loopback control ui requires gateway.controlui.allowedorigins'],
    cause: "The browser page's origin (scheme://host:port) is not in gateway.controlUi.allowedOrigins and is not a private same-origin load.",
    fix: [
      'openclaw config set gateway.controlUi.allowedOrigins \'["https://your.host"]\' --strict-json   # the exact origin the browser shows',
      '# or open the Control UI from the gateway host: http://127.0.0.1:18789/',
    ],
    confirm: `${DIAG} reads the refused origin from the gateway log and the allowed origins from the config`,
  },
  {
    finding: 'proxy-untrusted',
    match: ['proxy client attribution is required', 'unattributable proxy-shaped traffic', 'proxy headers detected from untrusted address'],
    cause:
      'A reverse proxy on the gateway host adds X-Forwarded-* headers, but its address is not in gateway.trustedProxies, so the gateway refuses the WebSocket upgrade (HTTP 403) before the token is checked.',
    fix: ['openclaw config set gateway.trustedProxies \'["127.0.0.1"]\' --strict-json', 'openclaw config set gateway.controlUi.allowedOrigins \'["https://<public host>"]\' --strict-json'],
    confirm: `${DIAG} finds the unattributable-proxy line in the gateway log`,
  },
  {
    finding: null,
    match: ['unauthorized: tailscale'],
    cause: 'Tailscale Serve identity auth failed: the request did not come through Serve, or its whois lookup failed.',
    fix: ['openclaw config set gateway.auth.allowTailscale true', '# or sign in with the gateway token or password instead'],
    confirm: 'no live check: Tailscale identity is not reproduced by the wizard',
  },
  // ------------------------------------------------------------------------ protocol and builds
  {
    finding: 'control-ui-stale-build',
    match: ['control ui updated; reload this page', 'reload this page to continue'],
    cause: 'The open Control UI page is an older build than the gateway serves now (the gateway was updated while the tab stayed open). Not a token problem.',
    fix: ['# hard-reload the tab: Ctrl+Shift+R (Cmd+Shift+R on a Mac), or its "Refresh page" button'],
    confirm: `${DIAG} reads the "Control UI updated" record from the gateway log`,
  },
  {
    finding: 'protocol-mismatch',
    match: ['protocol mismatch', '(1002)'],
    cause: 'A client built for another protocol version (an old companion app, CLI or helper left running after an update or rollback) connected: close 1002.',
    fix: ['openclaw --version', 'openclaw gateway status --deep   # update or stop the old client'],
    confirm: `${DIAG} probes the gateway with protocols 3..4 and reads which client got 1002 from the log`,
  },
  {
    finding: 'gateway-starting',
    match: ['gateway starting', '(1013)'],
    cause: 'The gateway was still starting (close 1013): it refuses connections for a few seconds after it starts listening.',
    fix: ['sleep 10 && openclaw-token-wizard diagnose'],
    confirm: `${DIAG} probes /readyz and the WebSocket`,
  },
  {
    finding: 'rate-limited',
    match: ['too many failed authentication attempts', 'reason=rate_limited'],
    cause:
      'After 10 failed logins in a minute the gateway locks that client (for browsers: that page origin) out for 5 minutes, even with the right token. A tab retrying an old token keeps it locked.',
    fix: [
      '# close the tab that keeps retrying, then wait 5 minutes',
      '# or open the UI as http://localhost:<port>/ instead of 127.0.0.1 (a separate lock)',
      'openclaw gateway restart   # clears the lock',
    ],
    confirm: `${DIAG} reads ${LOG} (reason=rate_limited) and its time`,
  },
  // --------------------------------------------------------------------------- CLI and config
  {
    finding: 'url-override-needs-credentials',
    match: ['gateway url override requires explicit credentials', 'pass --token or --password', 'remove --url to use the configured target'],
    cause: 'A gateway URL was given (--url or OPENCLAW_GATEWAY_URL) without a token: OpenClaw never sends the configured token to an overridden URL.',
    fix: ['unset OPENCLAW_GATEWAY_URL   # or drop --url: the configured gateway and its token are used', '# or pass --token with --url (set OPENCLAW_GATEWAY_TOKEN with OPENCLAW_GATEWAY_URL)'],
    confirm: `${DIAG} reads OPENCLAW_GATEWAY_URL and the token variables of this shell and its .env files`,
  },
  {
    finding: 'secretref-unresolved',
    match: [
      'resolved to an empty or non-string value',
      'failed to resolve gateway.auth.token locally',
      'secretref could not be resolved',
      'managed via secretref and is currently unavailable',
      'uses an exec provider and did not resolve',
      'this cli has no token/password or paired device token',
    ],
    cause:
      "gateway.auth.token is a SecretRef or ${VAR} that resolves in the gateway service's environment but not in this shell, so the CLI has no token (also: remote mode without gateway.remote.token).",
    fix: ['# put OPENCLAW_GATEWAY_TOKEN=<the token> in ~/.openclaw/.env (read by both the CLI and the service)', 'openclaw secrets audit --allow-exec   # exec refs: only if you trust the command'],
    confirm: `${DIAG} resolves env and file SecretRefs as OpenClaw does (it never runs exec refs) and probes the result`,
  },
  {
    finding: 'gateway-not-running',
    match: ['econnrefused', 'gateway not reachable at', 'gateway closed (1006)'],
    cause: 'Nothing answers at the address the client uses: the gateway is not running, or runs on another port or profile than the client expects.',
    fix: ['openclaw gateway status --deep', 'openclaw gateway run --port 18789   # or: openclaw gateway restart'],
    confirm: `${DIAG} looks for listeners on the port, the gateway processes and probes the address`,
  },
  {
    finding: 'gateway-mode-not-local',
    match: ['gateway start blocked', 'gateway.mode is unset'],
    cause: 'gateway.mode is not "local" on this host, so OpenClaw refuses to start a gateway here.',
    fix: ['openclaw config set gateway.mode local', 'openclaw gateway restart'],
    confirm: `${DIAG} reads gateway.mode and the "start blocked" line from the gateway log`,
  },
  {
    finding: 'config-auto-restored',
    match: ['config auto-restored from backup', 'restored openclaw.json from last-known-good', '.clobbered.'],
    cause:
      'OpenClaw restored its last good config over a hand edit it judged clobbered (no "meta" block, lost gateway.mode, or the file shrank by half) and kept the edit as openclaw.json.clobbered.*.',
    fix: ['diff ~/.openclaw/openclaw.json.clobbered.* ~/.openclaw/openclaw.json', 'openclaw config set gateway.auth.token \'"<the value you meant>"\'   # keeps meta'],
    confirm: `${DIAG} lists the .clobbered.* copies beside the config and reads the auto-restore line from the gateway log`,
  },
  {
    finding: 'service-token-stale',
    match: ['config token differs from service token', 'gateway service embeds openclaw_gateway_token', 'does not match gateway.auth.token in openclaw.json'],
    cause: 'The gateway service definition (systemd unit, LaunchAgent) embeds an OPENCLAW_GATEWAY_TOKEN that differs from the config.',
    fix: ['openclaw gateway install --force', 'openclaw gateway restart'],
    confirm: `${DIAG} reads the service files and compares their token with the config's`,
  },
  {
    finding: 'env-token-differs',
    match: ['openclaw_gateway_token conflicts with gateway.auth.token'],
    cause: 'OPENCLAW_GATEWAY_TOKEN in the shell or a .env file holds another token than gateway.auth.token; clients that read the environment send the other one.',
    fix: ['unset OPENCLAW_GATEWAY_TOKEN   # and remove it from ~/.openclaw/.env, or make the config say "${OPENCLAW_GATEWAY_TOKEN}"'],
    confirm: `${DIAG} compares the token of every environment place with the config's`,
  },
  {
    finding: 'legacy-env-ignored',
    match: ['legacy clawdbot_', 'legacy moltbot_', 'openclaw_legacy_env_vars', 'config uses "gateway.token"'],
    cause: 'Old names (CLAWDBOT_*/MOLTBOT_* variables, the gateway.token key) are ignored by current OpenClaw.',
    fix: ['# rename to OPENCLAW_GATEWAY_TOKEN, and move gateway.token to gateway.auth.token'],
    confirm: `${DIAG} lists legacy variable names in the shell and .env files`,
  },
  {
    finding: null,
    match: ['refusing to print the gateway token outside an interactive terminal'],
    cause: 'Not a failure: `openclaw gateway auth-token --show` prints the token only in an interactive terminal.',
    fix: ['openclaw gateway auth-token --show   # in a terminal on the gateway host', OPEN],
    confirm: 'nothing to confirm: run the command in a terminal',
  },
];

/** The first entry whose text occurs in the message, or null. */
export function lookup(message: string): Explanation | null {
  const text = message.toLowerCase();
  return EXPLANATIONS.find((e) => e.match.some((m) => text.includes(m))) ?? null;
}
