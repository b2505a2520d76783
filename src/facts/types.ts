/**
 * The shapes each fact source returns. Fact modules only read and parse: no printing, no
 * findings, no prompts. `diagnose.ts` runs them concurrently and `findings.ts` turns them
 * into findings.
 */
import type { TokenSource } from '../types.js';

/** Where OpenClaw itself would look, resolved exactly as OpenClaw does (src/config/paths.ts). */
export interface OpenClawPaths {
  home: string | null;
  homeSource: 'OPENCLAW_HOME' | 'HOME' | 'USERPROFILE' | 'os.homedir' | 'missing';
  stateDir: string;
  stateDirSource: 'OPENCLAW_STATE_DIR' | 'profile' | 'default' | 'legacy';
  configPath: string;
  configPathSource: '--config' | 'OPENCLAW_CONFIG_PATH' | 'profile' | 'state-dir' | 'default' | 'legacy';
  /** The profile name (`dev` for --dev), or null for the default profile. */
  profile: string | null;
  /**
   * Where the profile came from. Only a `--profile`/`--dev` flag moves the state dir and config
   * (OpenClaw applies profiles from argv only); an `OPENCLAW_PROFILE` in the environment still
   * names the log file, the derived port and the service names.
   */
  profileSource: 'flag' | 'env' | null;
  /** True when a legacy clawdbot.json / ~/.clawdbot location was chosen. */
  legacy: boolean;
}

export interface ConfigParseError {
  message: string;
  line?: number;
  column?: number;
}

/** A SecretRef object in the config: reported, never resolved (and never executed). */
export interface SecretRefInfo {
  source: string;
  provider?: string;
  id?: string;
}

/**
 * One SecretRef-valued credential in the config, and whether it resolved in this shell the way
 * OpenClaw would resolve it (env and file refs only; exec refs are never run, store refs never read).
 */
export interface SecretRefFact {
  /** `gateway.auth.token`, `gateway.remote.token`, ... */
  configPath: string;
  source: string;
  provider: string;
  id: string;
  /** `not-run`: an exec ref (never executed). `not-read`: a store ref (SQLite, not opened). */
  status: 'resolved' | 'unresolved' | 'not-run' | 'not-read';
  /** Why it did not resolve; null when resolved. */
  reason: string | null;
  /** Where the value came from when resolved (`OPENCLAW_GATEWAY_TOKEN from ~/.openclaw/.env`, a file path). */
  via: string | null;
}

export interface GatewayConfigFacts {
  mode: string | null;
  bind: string | null;
  port: number | null;
  customBindHost: string | null;
  tlsEnabled: boolean;
  basePath: string | null;
  authMode: string | null;
  /** Raw token as authored (after ${VAR} substitution); TokenSource carries the Secret. */
  hasToken: boolean;
  hasPassword: boolean;
  tokenSecretRef: SecretRefInfo | null;
  remoteUrl: string | null;
  hasRemoteToken: boolean;
  allowedOrigins: string[];
  /** `gateway.auth.rateLimit` as configured (each value null when unset: the gateway's default applies). */
  rateLimit?: { maxAttempts: number | null; windowMs: number | null; lockoutMs: number | null };
  /** `agents.gateway` block present (misplaced; OpenClaw ignores it). */
  misplacedAgentsGateway: boolean;
  /** Token found under agents.gateway.auth.token. */
  misplacedHasToken: boolean;
}

export interface ConfigFacts {
  path: string;
  exists: boolean;
  /** A reason the file could not be used: a directory, unreadable, malformed JSON5, too large. */
  error: ConfigParseError | null;
  /** Whether the file is strict JSON (the wizard may then edit it itself, after a backup). */
  isPlainJson: boolean;
  gateway: GatewayConfigFacts;
  /** `logging.file` from the config, if any. */
  logFile: string | null;
  /** Variables the config's `env` block defines (names only). */
  envBlockNames: string[];
  /** Token sources found in the config: gateway.auth.token/password, gateway.remote.token, env block. */
  sources: TokenSource[];
  /** `${VAR}` references that had no value in the environment. */
  unresolvedVars: string[];
  /** SecretRef credentials and whether each resolved here (for a `secretref-unresolved` check). */
  secretRefs: SecretRefFact[];
  /** `<config>.clobbered.*` copies beside the config: OpenClaw's auto-restore kept a rejected edit there. */
  clobberedCopies?: string[];
}

export interface DotenvFacts {
  path: string;
  exists: boolean;
  /** Why the file was not used (binary, too large, unreadable, a directory). */
  error: string | null;
  sources: TokenSource[];
  /** Legacy CLAWDBOT_* / MOLTBOT_* names seen. */
  legacyNames: string[];
}

export interface ProcessEnvFacts {
  sources: TokenSource[];
  /** OPENCLAW_GATEWAY_PORT / OPENCLAW_GATEWAY_URL as set in the process env. */
  port: string | null;
  url: string | null;
  legacyNames: string[];
}

export interface ComposeFacts {
  /** Compose files looked at. */
  files: string[];
  /** The `openclaw-gateway` service (or any service whose env carries OPENCLAW_GATEWAY_TOKEN). */
  services: Array<{ file: string; service: string; publishedPorts: string[] }>;
  sources: TokenSource[];
  /** Per-file problems: not YAML, unreadable. */
  errors: Array<{ file: string; message: string }>;
}

export interface DockerFacts {
  /** docker client found on PATH. */
  available: boolean;
  /** Why docker could not be asked (not installed, daemon down, timeout). */
  error: string | null;
  containers: Array<{ id: string; name: string; image: string; ports: string }>;
  sources: TokenSource[];
}

export interface ServiceFacts {
  /**
   * Service definitions found: systemd user units, service-env files (gateway.systemd.env, the
   * launchd env files and wrapper), LaunchAgent plists, gateway.cmd, ~/.config/openclaw/gateway.env.
   */
  files: Array<{ path: string; kind: 'systemd' | 'service-env' | 'launchd' | 'windows-cmd' | 'gateway-env' }>;
  sources: TokenSource[];
  errors: Array<{ file: string; message: string }>;
}

export interface ListenerProcess {
  pid: number | null;
  address: string;
  command: string | null;
  commandLine: string | null;
  /** Looks like an OpenClaw gateway (command line mentions openclaw). */
  isGateway: boolean;
  /** The state dir it uses: from its open files where readable, else its lock file, else /proc/<pid>/environ. */
  stateDir: string | null;
  configPath: string | null;
  home: string | null;
  /**
   * How `stateDir` was learnt: `open-lock` (a held gateway lock naming this pid), `open-state-db`
   * (its open `<stateDir>/state/openclaw.sqlite`), `lock-file` (a lock under a state dir naming this
   * pid, when its fds cannot be read), `environment` (OPENCLAW_STATE_DIR/HOME/argv). Absent: unknown.
   */
  stateDirSource?: 'open-lock' | 'open-state-db' | 'lock-file' | 'environment';
}

export interface ListenerFacts {
  port: number;
  /** Which tool answered: ss, lsof, /proc, or none. */
  method: 'ss' | 'lsof' | 'proc' | 'none';
  listeners: ListenerProcess[];
  /** Gateway processes found that are not listening on this port (other ports/profiles). */
  otherGateways: ListenerProcess[];
  locks: Array<{ file: string; pid: number | null; configPath: string | null; port: number | null; alive: boolean | null; stateDir?: string | null }>;
  error: string | null;
}

/** What a client saw, according to one record of the gateway's log. */
export type LogHandshakeKind =
  | 'connected'
  | 'token-missing'
  | 'token-mismatch'
  | 'origin-not-allowed'
  | 'insecure-context'
  | 'device-identity'
  | 'pairing-required'
  | 'device-token-mismatch'
  | 'rate-limited'
  /** Pairing required because an approved device asks for more scopes or a higher role. */
  | 'scope-upgrade'
  | 'password-missing'
  | 'password-mismatch'
  /** Close 1002: the client speaks another protocol version (an old app, CLI or helper). */
  | 'protocol-mismatch'
  /** The served Control UI bundle is older than the gateway ("Control UI updated; reload this page"). */
  | 'stale-control-ui'
  | 'other-unauthorized';

export interface LogHandshake {
  time: string;
  kind: LogHandshakeKind;
  /** `openclaw-control-ui`, `cli`, `openclaw-probe`, ... */
  client: string | null;
  clientMode: string | null;
  origin: string | null;
  remote: string | null;
  reason: string | null;
  /** Pairing request id when the log names one. */
  requestId: string | null;
}

export interface GatewayLogFacts {
  file: string | null;
  exists: boolean;
  error: string | null;
  /** Most recent last, only records of the gateway on the diagnosed port. */
  handshakes: LogHandshake[];
  /** Gateway said it generated a runtime token (no token configured at startup). */
  runtimeTokenGenerated: boolean;
  /** Time of the last startup record seen, if any. */
  lastStartAt: string | null;
  /** Gateway refused to start: the reason line. */
  startBlocked: string | null;
  /** The newest `Config auto-restored from backup: PATH (REASON)` record. */
  configRestored?: { time: string; path: string; reason: string } | null;
  /** The newest record of proxy-shaped traffic from an address not in gateway.trustedProxies. */
  untrustedProxy?: { time: string; remote: string | null; text: string } | null;
}

export interface OpenClawCliFacts {
  found: boolean;
  path: string | null;
  version: string | null;
  /** How the version was learned: the package.json beside the binary, or running --version. */
  versionSource: 'package.json' | '--version' | null;
  error: string | null;
}

/**
 * Where a name in the environment came from when not the process env (a dotenv file, the env
 * block), as a label. Asked only for the names the config uses: a lookup, never a copy of every
 * name a 10 000-line .env supplied.
 */
export type EnvOrigin = Pick<ReadonlyMap<string, string>, 'get'>;
