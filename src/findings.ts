/**
 * The rules: facts in, findings out. Pure functions and one table, so every finding id has exactly
 * one title, one default severity and one place that decides when it fires.
 */
import type { DiagnosisFacts } from './diagnose.js';
import type { ProbeResult } from './gateway/types.js';
import { FATAL_PROBLEMS } from './hygiene.js';
import type { Finding, FindingId, Severity, TokenSource } from './types.js';
import type { LogHandshake, LogHandshakeKind } from './facts/types.js';

export const CATALOG: Record<FindingId, { severity: Severity; title: string }> = {
  'config-unreadable': { severity: 'error', title: 'The OpenClaw config cannot be read' },
  'token-misplaced': { severity: 'error', title: 'The gateway block is nested under agents, where OpenClaw ignores it' },
  'gateway-mode-not-local': { severity: 'error', title: 'gateway.mode is not "local", so the gateway refuses to start here' },
  'ambiguous-auth-mode': { severity: 'error', title: 'Both a token and a password are set while gateway.auth.mode is unset' },
  'auth-mode-not-token': { severity: 'warning', title: 'The gateway does not use token auth' },
  'no-token-configured': { severity: 'error', title: 'No gateway token is configured: the gateway invents a new one on every start' },
  'token-invalid-value': { severity: 'error', title: 'A gateway token has a value OpenClaw treats as no token' },
  'token-whitespace': { severity: 'warning', title: 'A gateway token carries whitespace or quotes' },
  'gateway-not-running': { severity: 'error', title: 'No gateway is running on the expected port' },
  'gateway-starting': { severity: 'warning', title: 'The gateway is still starting' },
  'gateway-unreachable-remote': { severity: 'error', title: 'The remote gateway cannot be reached' },
  'port-occupied-by-other': { severity: 'error', title: 'Something that is not an OpenClaw gateway holds the gateway port' },
  'multiple-gateways': { severity: 'error', title: 'More than one gateway, or a gateway of another config, is running' },
  'gateway-rejects-config-token': { severity: 'error', title: 'The running gateway rejects the token in your config' },
  'env-token-differs': { severity: 'warning', title: 'OPENCLAW_GATEWAY_TOKEN in the environment differs from the config token' },
  'docker-env-override': { severity: 'warning', title: 'Docker sets a different OPENCLAW_GATEWAY_TOKEN than the config' },
  'service-token-stale': { severity: 'error', title: 'The gateway service embeds an old token' },
  'remote-token-mismatch': { severity: 'error', title: 'gateway.remote.token does not match the remote gateway' },
  'client-token-missing': { severity: 'error', title: 'A client tried to connect without a token (gateway token missing)' },
  'client-token-mismatch': { severity: 'error', title: 'A client presented the wrong token (gateway token mismatch)' },
  'control-ui-insecure-context': { severity: 'error', title: 'The Control UI was opened from an insecure context' },
  'origin-not-allowed': { severity: 'error', title: 'The Control UI was opened from an origin the gateway does not allow' },
  'pairing-required': { severity: 'warning', title: 'A device waits for pairing approval' },
  'device-token-mismatch': { severity: 'error', title: 'A paired device presents a stale device token' },
  'rate-limited': { severity: 'warning', title: 'The gateway is rate-limiting failed logins' },
  'protocol-mismatch': { severity: 'error', title: 'The gateway speaks a protocol version this client does not' },
  'legacy-env-ignored': { severity: 'warning', title: 'Legacy CLAWDBOT_* / MOLTBOT_* variables are set but ignored' },
  'cli-not-found': { severity: 'warning', title: 'The openclaw CLI is not on PATH' },
};

/** The runnable command that writes a fresh 48-hex token without ever printing it. */
export const SET_NEW_TOKEN = `openclaw config set gateway.auth.token "\\"$(openssl rand -hex 24)\\""`;
export const OPEN_CONTROL_UI = 'openclaw-token-wizard open';

function finding(id: FindingId, detail: string, evidence: string[], fix: string[], severity?: Severity): Finding {
  const c = CATALOG[id];
  return { id, severity: severity ?? c.severity, title: c.title, detail, evidence, fix };
}

const FAILURE_TO_FINDING: Partial<Record<LogHandshakeKind, FindingId>> = {
  'token-missing': 'client-token-missing',
  'token-mismatch': 'client-token-mismatch',
  'origin-not-allowed': 'origin-not-allowed',
  'insecure-context': 'control-ui-insecure-context',
  'pairing-required': 'pairing-required',
  'device-token-mismatch': 'device-token-mismatch',
  'rate-limited': 'rate-limited',
};

export function sourceLine(s: TokenSource): string {
  return `${s.label}: ${s.value ? s.value.describe() : s.problems.includes('secret-ref') ? 'SecretRef' : 'no readable value'}`;
}

function usable(s: TokenSource | undefined): s is TokenSource & { value: NonNullable<TokenSource['value']> } {
  return !!s && s.value !== null && !s.problems.some((p) => FATAL_PROBLEMS.has(p));
}

function reachable(r: ProbeResult): boolean {
  return r.kind === 'hello-ok' || r.kind === 'rejected' || r.kind === 'starting' || r.kind === 'protocol-mismatch';
}

/** A value that loses in its own tool's merge (compose override, systemd EnvironmentFile) never reaches the gateway. */
function shadowed(s: TokenSource): boolean {
  return (s.notes ?? []).some((n) => n.startsWith('shadowed:'));
}

function sameValue(a: TokenSource, b: TokenSource): boolean {
  return !!a.value && !!b.value && a.value.reveal().trim() === b.value.reveal().trim();
}

/** Restart advice that fits how this gateway runs. */
function restartCommands(f: DiagnosisFacts): string[] {
  const hasService = (f.services?.files ?? []).some((x) => x.kind === 'systemd' || x.kind === 'launchd');
  const gw = f.listeners?.listeners.find((l) => l.isGateway);
  if (hasService) return ['openclaw gateway restart'];
  if (gw?.pid) return [`openclaw gateway stop   # or end the foreground gateway (pid ${gw.pid}) with Ctrl-C`, `openclaw gateway run --port ${f.target.port}`];
  return ['openclaw gateway restart'];
}

export function deriveFindings(f: DiagnosisFacts): Finding[] {
  const out: Finding[] = [];
  const cfg = f.config;
  const g = cfg?.gateway;
  const configPath = cfg?.path ?? f.paths?.configPath ?? '~/.openclaw/openclaw.json';
  const port = f.target.port;
  const configToken = cfg?.sources.find((s) => s.id === 'config');
  const allProbes = [...f.probes.values(), ...(f.bareProbe ? [f.bareProbe] : [])];
  const gatewayReachable = allProbes.some(reachable);
  const acceptedSource = f.sources.find((s) => f.accepted.get(s.id) === true) ?? null;

  // --- the config itself -------------------------------------------------------------------
  if (cfg?.error) {
    const where = cfg.error.line ? ` at line ${cfg.error.line}, column ${cfg.error.column ?? '?'}` : '';
    out.push(
      finding('config-unreadable', `${cfg.path}${where}: ${cfg.error.message}. OpenClaw cannot read it either, so the gateway will not start with it.`, [`config: ${cfg.path}`, `error: ${cfg.error.message}${where}`], [
        `$EDITOR ${cfg.path}${cfg.error.line ? `   # go to line ${cfg.error.line}` : ''}`,
        'openclaw doctor',
      ]),
    );
  }
  if (g?.misplacedAgentsGateway) {
    const hasTop = usable(configToken);
    out.push(
      finding(
        'token-misplaced',
        `${configPath} has a gateway block under "agents" (agents.gateway). OpenClaw reads only the top-level "gateway" block${g.misplacedHasToken ? ', so the token written there is not used' : ''}.`,
        ['agents.gateway present', ...(g.misplacedHasToken ? ['agents.gateway.auth.token set'] : []), `gateway.auth.token at top level: ${hasTop ? 'set' : 'not set'}`],
        ['openclaw doctor --fix   # migrates agents.gateway to the top-level gateway block', `openclaw config get gateway.auth.mode`],
        hasTop ? 'warning' : 'error',
      ),
    );
  }
  // Remote mode with a URL makes this host a client, also when the URL is a loopback ssh tunnel
  // (the documented way to reach a remote gateway): it needs gateway.remote.token, not a local
  // gateway.mode=local or gateway.auth.token (#2268).
  const isGatewayHost = !(g?.mode === 'remote' && (f.target.remote || !!g.remoteUrl));
  if (cfg && !cfg.error && isGatewayHost && g?.mode !== 'local' && !(gatewayReachable && !cfg.exists)) {
    const current = !cfg.exists ? 'no config file' : g?.mode ? `gateway.mode=${g.mode}` : 'gateway.mode unset';
    out.push(
      finding(
        'gateway-mode-not-local',
        `${current}: OpenClaw refuses to start a gateway on this host unless gateway.mode is "local"${f.log?.startBlocked ? ' (its log says so)' : ''}.`,
        [`config: ${configPath}`, current, ...(f.log?.startBlocked ? [`log: ${f.log.startBlocked}`] : [])],
        ['openclaw config set gateway.mode local', ...restartCommands(f)],
      ),
    );
  }
  if (g && g.hasToken && g.hasPassword && !g.authMode) {
    out.push(
      finding('ambiguous-auth-mode', 'gateway.auth.token and gateway.auth.password are both set while gateway.auth.mode is unset; OpenClaw refuses to start, install or doctor in this state.', [`config: ${configPath}`], [
        'openclaw config set gateway.auth.mode token',
        ...restartCommands(f),
      ]),
    );
  }
  if (g?.authMode && g.authMode !== 'token') {
    out.push(
      finding(
        'auth-mode-not-token',
        g.authMode === 'none'
          ? 'gateway.auth.mode is "none": any local process or browser tab can drive the gateway. Token mode is the safe default.'
          : `gateway.auth.mode is "${g.authMode}": clients must present ${g.authMode === 'password' ? 'the password' : 'the proxy identity'}, not a token.`,
        [`gateway.auth.mode=${g.authMode}`],
        ['openclaw config set gateway.auth.mode token', SET_NEW_TOKEN, ...restartCommands(f)],
        g.authMode === 'none' ? 'warning' : 'info',
      ),
    );
  }

  // --- token values --------------------------------------------------------------------------
  const tokenModeExpected = !g?.authMode || g.authMode === 'token';
  const gatewayEnvToken = f.sources.find((s) => (s.kind === 'process-env' || s.kind === 'config-env' || s.id === 'dotenv:state') && s.credential === 'token' && usable(s));
  const configRef = configToken?.problems.includes('secret-ref');
  if (cfg && !cfg.error && isGatewayHost && tokenModeExpected && !usable(configToken) && !configRef && !gatewayEnvToken) {
    out.push(
      finding(
        'no-token-configured',
        `Neither gateway.auth.token nor OPENCLAW_GATEWAY_TOKEN holds a usable token. The gateway then generates a random runtime token at each start and saves it nowhere, so no client can know it: browsers get "gateway token missing".`,
        [
          `config: ${configPath}`,
          configToken ? sourceLine(configToken) + (configToken.problems.length ? ` [${configToken.problems.join(', ')}]` : '') : 'gateway.auth.token: not set',
          ...(f.log?.runtimeTokenGenerated ? ['log: "Gateway auth token was missing. Generated a runtime token for this startup"'] : []),
        ],
        ['openclaw config set gateway.auth.mode token', SET_NEW_TOKEN, ...restartCommands(f), OPEN_CONTROL_UI],
      ),
    );
  }
  for (const s of f.sources) {
    if (s.id === 'token-stdin') continue;
    const fatal = s.problems.filter((p) => FATAL_PROBLEMS.has(p) || p === 'all-digits');
    if (fatal.length) {
      const isConfig = s.kind === 'config' || s.kind === 'config-remote';
      const onlyDigits = fatal.length === 1 && fatal[0] === 'all-digits';
      out.push(
        finding(
          'token-invalid-value',
          `${s.label} is ${describeProblems(fatal)}.${fatal.includes('redaction-sentinel') ? ' That is what `openclaw config get gateway.auth.token` prints instead of the token; it was pasted somewhere as if it were the token.' : ''}${onlyDigits ? ' An all-digit token is parsed as a number by `openclaw config set` unless JSON-quoted.' : ''}`,
          [sourceLine(s) + ` [${s.problems.join(', ')}]`],
          isConfig ? ['openclaw config set gateway.auth.mode token', SET_NEW_TOKEN, ...restartCommands(f)] : [`$EDITOR ${s.file ?? s.label}${s.line ? `   # line ${s.line}: remove or correct ${s.variable}` : ''}`],
          onlyDigits || !isConfig ? 'warning' : 'error',
        ),
      );
    }
    const cosmetic = s.problems.filter((p) => p === 'whitespace' || p === 'quoted');
    if (cosmetic.length) {
      out.push(
        finding(
          'token-whitespace',
          `${s.label} has ${cosmetic.includes('quoted') ? 'quotes around the value' : 'leading or trailing whitespace'}. The gateway trims values, but a copy of it pasted into a client keeps the extra characters.`,
          [sourceLine(s) + ` [${cosmetic.join(', ')}]`],
          [`$EDITOR ${s.file ?? s.label}${s.line ? `   # line ${s.line}` : ''}`],
        ),
      );
    }
  }

  // --- is a gateway there, and is it ours? -----------------------------------------------------
  const listeners = f.listeners?.listeners ?? [];
  const gatewayListeners = listeners.filter((l) => l.isGateway);
  const otherListeners = listeners.filter((l) => !l.isGateway);
  const kinds = new Set(allProbes.map((r) => r.kind));
  if (!gatewayReachable && allProbes.length) {
    const first = allProbes[0]!;
    if (f.target.remote) {
      out.push(
        finding('gateway-unreachable-remote', `${f.target.url} did not complete a handshake (${first.note ?? first.kind}).`, [`target: ${f.target.url} (${f.target.portSource})`, `probe: ${first.kind}${first.note ? `, ${first.note}` : ''}`], [
          `curl -sS ${f.target.httpUrl}/healthz`,
          'openclaw config get gateway.remote.url',
          'openclaw gateway status   # on the gateway host',
        ]),
      );
    } else if (kinds.has('not-websocket') || kinds.has('no-answer') || kinds.has('closed-unknown') || otherListeners.length) {
      const who = otherListeners[0] ?? listeners[0];
      out.push(
        finding(
          'port-occupied-by-other',
          `Port ${port} is held by ${who ? `pid ${who.pid ?? '?'} (${who.command ?? 'unknown'})` : 'a process'}${kinds.has('not-websocket') ? ', which answers HTTP but is not a gateway' : kinds.has('no-answer') ? ', which accepts connections but never speaks the gateway protocol' : kinds.has('closed-unknown') ? `, which accepted the WebSocket but ended the handshake in a way no OpenClaw gateway does (${first.note ?? first.kind})` : ''}.`,
          [
            `probe ${f.target.url}: ${first.kind}${first.note ? ` (${first.note})` : ''}`,
            ...listeners.map((l) => `listener ${l.address} pid ${l.pid ?? '?'}: ${l.commandLine ?? l.command ?? 'unknown'}`),
          ],
          [
            `ss -ltnp 'sport = :${port}'`,
            ...(who?.pid ? [`kill ${who.pid}   # only if that process is yours and safe to stop`] : []),
            `openclaw config set gateway.port <another free port>   # or move the gateway instead`,
          ],
        ),
      );
    } else {
      out.push(
        finding(
          'gateway-not-running',
          `Nothing accepts connections on ${f.target.url}.${f.log?.startBlocked ? ` The gateway's last start was refused: ${f.log.startBlocked}` : ''}`,
          [`probe ${f.target.url}: ${first.kind}`, `port ${port} (${f.target.portSource})`, ...(f.log?.startBlocked ? [`log: ${f.log.startBlocked}`] : [])],
          (f.services?.files ?? []).some((x) => x.kind === 'systemd' || x.kind === 'launchd')
            ? ['openclaw gateway start', 'openclaw gateway status']
            : [`openclaw gateway run --port ${port}`, 'openclaw gateway install   # to keep it running as a service'],
        ),
      );
    }
  }
  if (kinds.has('starting')) {
    out.push(finding('gateway-starting', 'The gateway answered "gateway starting" (close 1013). It accepts connections within seconds.', [`probe ${f.target.url}: 1013 gateway starting`], ['sleep 5 && openclaw-token-wizard diagnose']));
  }
  if (kinds.has('protocol-mismatch')) {
    const r = allProbes.find((x) => x.kind === 'protocol-mismatch')!;
    out.push(finding('protocol-mismatch', `The gateway closed with 1002 "${r.closeReason ?? 'protocol mismatch'}": it and this client share no protocol version (this wizard speaks 3..4).`, [`probe: ${r.closeCode} ${r.closeReason ?? ''}`.trim()], ['openclaw --version', 'npm install -g openclaw@latest   # or update the client that fails']));
  }
  const rateLimited = allProbes.find((r) => r.reject === 'rate-limited');
  if (rateLimited) {
    out.push(finding('rate-limited', 'The gateway answered "too many failed authentication attempts": it locks a client out for 5 minutes after 10 failures in a minute.', [`probe: ${rateLimited.closeReason ?? 'rate limited'}`], ['sleep 300 && openclaw-token-wizard diagnose']));
  }

  const ownStateDir = f.paths?.stateDir ?? null;
  const foreign = gatewayListeners.filter((l) => l.stateDir && ownStateDir && l.stateDir !== ownStateDir);
  const distinctGatewayPids = new Set(gatewayListeners.map((l) => l.pid).filter((p) => p !== null));
  if (distinctGatewayPids.size > 1 || foreign.length) {
    out.push(
      finding(
        'multiple-gateways',
        foreign.length
          ? `The gateway on port ${port} (pid ${foreign[0]!.pid ?? '?'}) runs with state dir ${foreign[0]!.stateDir}${listenerConfig(foreign[0]!) ? ` and config ${listenerConfig(foreign[0]!)}` : ''}, not yours (${ownStateDir}). It enforces its own token, not the one in your config.`
          : `${distinctGatewayPids.size} gateway processes listen on port ${port}; clients reach whichever answers.`,
        gatewayListeners.map((l) => `listener ${l.address} pid ${l.pid ?? '?'}: ${l.commandLine ?? l.command ?? '?'}${l.stateDir ? ` (state dir ${l.stateDir})` : ''}${listenerConfig(l) ? ` (config ${listenerConfig(l)})` : ''}`),
        [...gatewayListeners.filter((l) => l.pid && (foreign.length ? foreign.includes(l) : true)).map((l) => `kill ${l.pid}   # the stale gateway, after checking it is not needed`), 'openclaw gateway status', ...restartCommands(f)],
      ),
    );
  }

  // --- which token does the live gateway enforce? ------------------------------------------------
  if (usable(configToken) && f.accepted.get(configToken.id) === false && isGatewayHost) {
    const restartPending = f.log?.runtimeTokenGenerated ?? false;
    const why = acceptedSource
      ? `It accepts ${acceptedSource.label} (${acceptedSource.value?.describe()}) instead.`
      : foreign.length
        ? 'The gateway on the port runs with another state dir (see multiple-gateways).'
        : restartPending
          ? 'It started without a configured token and still enforces the runtime token it generated then; a token written into the config afterwards applies only after a restart.'
          : 'The gateway still enforces the token it loaded earlier: restart it so it reads the config again.';
    out.push(
      finding(
        'gateway-rejects-config-token',
        `The gateway on ${f.target.url} rejected gateway.auth.token from ${configPath} with "gateway token mismatch". ${why}`,
        [sourceLine(configToken), ...(acceptedSource ? [`accepted: ${sourceLine(acceptedSource)}`] : ['accepted: none of the tokens found on this machine']), ...(restartPending ? ['log: gateway started with a generated runtime token'] : [])],
        [...restartCommands(f), 'openclaw-token-wizard diagnose'],
      ),
    );
  }

  // --- other places that hold a token ------------------------------------------------------------
  const reference = usable(configToken) ? configToken : acceptedSource;
  if (reference && usable(reference)) {
    const envDiffer = f.sources.filter((s) => (s.kind === 'process-env' || s.kind === 'dotenv' || s.kind === 'config-env') && s.credential === 'token' && s.id !== 'token-stdin' && usable(s) && !sameValue(s, reference));
    if (envDiffer.length) {
      const anyAccepted = envDiffer.some((s) => f.accepted.get(s.id) === true);
      out.push(
        finding(
          'env-token-differs',
          `${envDiffer.map((s) => s.label).join(' and ')} hold${envDiffer.length === 1 ? 's' : ''} a different token than ${reference.label}. OpenClaw 2026.9 prefers the config for the gateway and local CLI, but clients that read the environment (OPENCLAW_GATEWAY_URL targets, node hosts, older versions) send the other value and get "token mismatch".`,
          [sourceLine(reference), ...envDiffer.map((s) => `${sourceLine(s)}${f.accepted.get(s.id) === false ? ' (rejected by the gateway)' : f.accepted.get(s.id) === true ? ' (accepted by the gateway)' : ''}`)],
          envDiffer.flatMap((s) =>
            s.kind === 'process-env'
              ? ['unset OPENCLAW_GATEWAY_TOKEN   # and remove it from your shell profile']
              : s.file
                ? [`$EDITOR ${s.file}   # line ${s.line ?? '?'}: delete OPENCLAW_GATEWAY_TOKEN, or set it to the config token`]
                : [`openclaw config unset env.OPENCLAW_GATEWAY_TOKEN`],
          ),
          anyAccepted && !usable(configToken) ? 'warning' : undefined,
        ),
      );
    }
    const dockerDiffer = f.sources.filter((s) => (s.kind === 'compose' || s.kind === 'container') && usable(s) && !shadowed(s) && !sameValue(s, reference));
    if (dockerDiffer.length) {
      const winning = dockerDiffer.some((s) => f.accepted.get(s.id) === true);
      out.push(
        finding(
          'docker-env-override',
          `${dockerDiffer.map((s) => s.label).join(' and ')} pass${dockerDiffer.length === 1 ? 'es' : ''} a different OPENCLAW_GATEWAY_TOKEN to the gateway container than ${reference.label}.${winning ? ' The live gateway accepts the Docker value: on this version the environment wins.' : ' Current OpenClaw prefers the config, older images the environment: keep one value in both places.'} \`docker compose restart\` does not apply .env changes; \`docker compose up -d openclaw-gateway\` does.`,
          [sourceLine(reference), ...dockerDiffer.map((s) => sourceLine(s) + (s.notes?.length ? ` (${s.notes.join('; ')})` : ''))],
          [...new Set(dockerDiffer.filter((s) => s.file).map(dockerEditLine)), 'docker compose up -d openclaw-gateway'],
          winning ? 'error' : undefined,
        ),
      );
    }
    const serviceDiffer = f.sources.filter((s) => (s.kind === 'service' || s.kind === 'launchctl') && usable(s) && !shadowed(s) && !sameValue(s, reference));
    if (serviceDiffer.length) {
      out.push(
        finding(
          'service-token-stale',
          `${serviceDiffer.map((s) => s.label).join(' and ')} embed${serviceDiffer.length === 1 ? 's' : ''} an OPENCLAW_GATEWAY_TOKEN that differs from ${reference.label}. Older installs baked the token into the service; \`openclaw gateway restart\` keeps the old one, \`openclaw gateway install --force\` rewrites it.`,
          [sourceLine(reference), ...serviceDiffer.map(sourceLine)],
          [...(serviceDiffer.some((s) => s.kind === 'launchctl') ? ['launchctl unsetenv OPENCLAW_GATEWAY_TOKEN'] : []), 'openclaw gateway install --force', 'openclaw gateway restart'],
        ),
      );
    }
  }

  // --- remote mode -------------------------------------------------------------------------------
  if (g?.mode === 'remote') {
    const remote = cfg?.sources.find((s) => s.kind === 'config-remote');
    if (remote && f.accepted.get(remote.id) === false) {
      out.push(
        finding('remote-token-mismatch', `The gateway at ${f.target.url} rejected gateway.remote.token. In remote mode clients send gateway.remote.token, which must equal the gateway host's gateway.auth.token.`, [sourceLine(remote), `target: ${f.target.url}`], [
          'openclaw gateway auth-token --show   # on the gateway host',
          'openclaw config set gateway.remote.token \'"<that token>"\'   # here',
        ]),
      );
    } else if (!remote && gatewayReachable && f.target.remote) {
      out.push(finding('remote-token-mismatch', `gateway.mode is "remote" but gateway.remote.token is not set, so clients here present no token to ${f.target.url}.`, [`target: ${f.target.url}`, 'gateway.remote.token: not set'], [
        'openclaw gateway auth-token --show   # on the gateway host',
        'openclaw config set gateway.remote.token \'"<that token>"\'   # here',
      ]));
    }
  }

  // --- what clients saw (the gateway's log, and the token the person gave us) ------------------
  const latest = latestPerClient(f.log?.handshakes ?? [], f.log?.lastStartAt ?? null);
  for (const h of latest) {
    const id = FAILURE_TO_FINDING[h.kind];
    if (!id) continue;
    if (id === 'rate-limited' && rateLimited) continue;
    out.push(clientFinding(id, h, f));
  }
  if (f.userToken) {
    const okSource = acceptedSource;
    if (f.userToken.reveal().trim() === '') {
      out.push(finding('client-token-missing', 'The token you gave on stdin is empty.', ['token-stdin: empty'], [OPEN_CONTROL_UI]));
    } else if (f.userTokenAccepted === false) {
      out.push(
        finding('client-token-mismatch', `The token you gave (${f.userToken.describe()}) is not the one the gateway enforces${okSource ? ` (${okSource.value?.describe()}, from ${okSource.label})` : ''}.`, [`token-stdin: ${f.userToken.describe()}`, ...(okSource ? [`accepted: ${sourceLine(okSource)}`] : [])], [OPEN_CONTROL_UI]),
      );
    }
  }

  // --- environment hygiene -----------------------------------------------------------------------
  const legacy = [...(f.processEnv?.legacyNames ?? []), ...f.dotenvs.flatMap((d) => d.legacyNames)];
  if (legacy.length) {
    out.push(finding('legacy-env-ignored', `${[...new Set(legacy)].join(', ')} ${legacy.length === 1 ? 'is' : 'are'} set, but OpenClaw reads only OPENCLAW_* names now.`, [...new Set(legacy)].map((n) => `set: ${n}`), [...new Set(legacy)].map((n) => `unset ${n}   # use ${n.replace(/^(CLAWDBOT|MOLTBOT)_/, 'OPENCLAW_')} instead`)));
  }
  if (f.cli && !f.cli.found) {
    const dockerish = f.sources.some((s) => s.kind === 'compose' || s.kind === 'container');
    out.push(
      finding('cli-not-found', `No openclaw command on PATH: the fix commands in this report use it${dockerish ? ' (in Docker, run them as `docker compose run --rm openclaw-cli …`)' : ''}.`, [f.cli.error ?? 'openclaw not found on PATH'], ['npm install -g openclaw@latest'], dockerish ? 'info' : 'warning'),
    );
  }

  return out.sort((a, b) => sevRank(a.severity) - sevRank(b.severity));
}

/** Where to change a Docker token: the .env line a `${OPENCLAW_GATEWAY_TOKEN}` came from, else the compose line. */
function dockerEditLine(s: TokenSource): string {
  if (s.valueAt) return `$EDITOR ${s.valueAt.file}   # line ${s.valueAt.line}: set OPENCLAW_GATEWAY_TOKEN to the config token, or remove it`;
  return `$EDITOR ${s.file}   # line ${s.line ?? '?'}: make OPENCLAW_GATEWAY_TOKEN match, or remove it`;
}

/** The config a gateway process reads: OPENCLAW_CONFIG_PATH from its env, else OpenClaw's default in its state dir. */
function listenerConfig(l: { configPath: string | null; stateDir: string | null }): string | null {
  return l.configPath ?? (l.stateDir ? `${l.stateDir}/openclaw.json` : null);
}

function sevRank(s: Severity): number {
  return s === 'error' ? 0 : s === 'warning' ? 1 : 2;
}

function describeProblems(ps: string[]): string {
  const words: Record<string, string> = {
    empty: 'empty',
    'literal-undefined': 'the literal string "undefined"',
    'literal-null': 'the literal string "null"',
    'redaction-sentinel': 'the redaction placeholder __OPENCLAW_REDACTED__',
    placeholder: 'a placeholder from an example config',
    'unresolved-var': 'an unresolved ${VAR} reference',
    'not-a-string': 'not a string',
    'all-digits': 'all digits',
  };
  return ps.map((p) => words[p] ?? p).join(' and ');
}

/** Our own probes (client openclaw-probe) are not the person's clients. */
function latestPerClient(hs: LogHandshake[], since: string | null): LogHandshake[] {
  const byClient = new Map<string, LogHandshake>();
  for (const h of hs) {
    if (h.client === 'openclaw-probe') continue;
    if (since && h.time && h.time < since) continue;
    // The gateway's "webchat connected" line names no origin (2026.9.6), while its failure lines
    // do: a later success of the same client from the same address settles that client's earlier
    // credential failures from any origin. Origin and secure-context refusals stay: one success
    // from localhost says nothing about the origin that was refused.
    if (h.kind === 'connected' && !h.origin) {
      for (const [k, prev] of byClient) {
        if (prev.client === h.client && prev.remote === h.remote && prev.kind !== 'origin-not-allowed' && prev.kind !== 'insecure-context') byClient.delete(k);
      }
    }
    byClient.set(`${h.client ?? '?'}|${h.origin ?? ''}`, h);
  }
  return [...byClient.values()];
}

function clientFinding(id: FindingId, h: LogHandshake, f: DiagnosisFacts): Finding {
  const who = `${h.client ?? 'a client'}${h.origin ? ` from ${h.origin}` : ''}${h.remote ? ` (${h.remote})` : ''}`;
  const ev = [`log ${f.log?.file ?? ''}: ${h.time} ${who}: ${h.reason ?? h.kind}`.trim()];
  const isUi = h.client === 'openclaw-control-ui' || h.client === 'webchat-ui' || h.clientMode === 'webchat';
  switch (id) {
    case 'client-token-missing':
      return finding(id, `${who} tried to connect without a token at ${h.time}. ${isUi ? 'The Control UI needs the token once: open it with the tokenized dashboard URL, or paste the token under Settings → Gateway → Gateway secret.' : 'Give that client the gateway token.'}`, ev, isUi ? [OPEN_CONTROL_UI] : ['openclaw gateway auth-token --show   # then give that value to the client']);
    case 'client-token-mismatch':
      return finding(id, `${who} presented a token the gateway does not enforce, at ${h.time}. It holds an old copy: give it the current one.`, ev, isUi ? [OPEN_CONTROL_UI] : ['openclaw gateway auth-token --show   # then update that client']);
    case 'origin-not-allowed': {
      const origin = h.origin ?? 'https://your-host';
      const current = f.config?.gateway.allowedOrigins ?? [];
      return finding(id, `The Control UI was opened from ${origin}, which is not in gateway.controlUi.allowedOrigins${current.length ? ` (${current.join(', ')})` : ''}.`, ev, [
        `openclaw config set gateway.controlUi.allowedOrigins '${JSON.stringify([...new Set([...current, origin])])}'`,
        `# or open it from the gateway host: http://127.0.0.1:${f.target.port}/`,
      ]);
    }
    case 'control-ui-insecure-context':
      return finding(id, `${who} has no device identity: browsers only create one in a secure context (HTTPS or localhost). Opening the UI over plain http:// from another host fails this way.`, ev, [`# open http://127.0.0.1:${f.target.port}/ on the gateway host, or an ssh tunnel:`, `ssh -N -L ${f.target.port}:127.0.0.1:${f.target.port} <gateway-host>`, '# or serve it over HTTPS (tailscale serve)']);
    case 'pairing-required':
      return finding(id, `${who} waits for pairing approval${h.requestId ? ` (request ${h.requestId})` : ''}.`, ev, ['openclaw devices list', `openclaw devices approve ${h.requestId ?? '<requestId>'}`]);
    case 'device-token-mismatch':
      return finding(id, `${who} presented a cached per-device token the gateway no longer accepts. This is the device token, not the shared gateway token.`, ev, ['openclaw devices list', 'openclaw devices rotate --device <id> --role operator   # or: openclaw devices clear --yes, then re-pair']);
    default:
      return finding(id, `${who} was refused at ${h.time}: ${h.reason ?? h.kind}.`, ev, ['sleep 300 && openclaw-token-wizard diagnose']);
  }
}
