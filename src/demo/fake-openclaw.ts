/**
 * A stand-in for the `openclaw` CLI, for the demo sandbox and the fast tests. It does what the
 * wizard's fix steps call, the way OpenClaw 2026.9.6 does it (verified-live.md,
 * openclaw-gateway.md §4-5): it finds its config through HOME / OPENCLAW_STATE_DIR /
 * OPENCLAW_CONFIG_PATH like the real one, `config set` parses values as JSON5, `config get`
 * redacts secrets, and `gateway run` runs the fake gateway in the foreground with the real
 * startup rules (start blocked unless gateway.mode=local, the fatal refusals of an ambiguous or
 * placeholder credential (fake-start-refusals.ts), password mode, runtime token when none is
 * configured, hot reload of a token change only when it started with one).
 *
 * Run through a two-line shell shim (scenarios.ts writes it): `exec node fake-openclaw.js "$@"`,
 * so the process that listens is the one the shim started, as `ss -ltnp` would show it.
 */
import { appendFileSync, copyFileSync, existsSync, mkdirSync, readFileSync, realpathSync, unwatchFile, watchFile } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import JSON5 from 'json5';
import { parse as parseDotenv } from 'dotenv';
import { resolveGatewayPort, resolveLogFile, resolveOpenClawPaths } from '../facts/paths.js';
import { enforcedPassword, enforcedToken, readFakeConfig, SENTINEL as REDACTED_SENTINEL, type FakeConfig } from './openclaw-rules.js';
import { startConfigError, startFailedRecord } from './fake-start-refusals.js';
import { writeFileAtomic } from '../actions/fs-safe.js';
import { startFakeGateway, type FakeGateway } from './fake-gateway.js';
import { consoleLine, loadingConfigRecord, logRecord, startBlockedRecord, type RecordOptions } from './gateway-log-writer.js';

export const FAKE_OPENCLAW_VERSION = '2026.9.6';

export interface FakeCliIo {
  stdout: { write(s: string): unknown; isTTY?: boolean };
  stderr: { write(s: string): unknown };
  stdinIsTty: boolean;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** Exit code the real gateway uses when its start is refused (EX_CONFIG). */
const EXIT_BLOCKED = 78;

interface Globals {
  profile?: string;
  dev?: boolean;
}

export async function runFakeOpenClaw(argv: string[], io: FakeCliIo): Promise<number> {
  const globals: Globals = {};
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (rest.length === 0 && a === '--profile') globals.profile = argv[++i];
    else if (rest.length === 0 && a === '--dev') globals.dev = true;
    else if (rest.length === 0 && a === '--no-color') continue;
    else rest.push(a);
  }
  const [cmd, sub, ...args] = rest;
  if (cmd === '--version' || cmd === '-V' || cmd === 'version') {
    io.stdout.write(`OpenClaw ${FAKE_OPENCLAW_VERSION} (demo)\n`);
    return 0;
  }
  if (!cmd || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    io.stdout.write(HELP);
    return 0;
  }
  const env = withDotenv(io.env, globals, io.cwd);
  const ctx = { io, env, globals };
  switch (cmd) {
    case 'config':
      return configCommand(ctx, sub, args);
    case 'gateway':
      return gatewayCommand(ctx, sub, args);
    case 'devices':
      return devicesCommand(ctx, sub, args);
    case 'dashboard':
      return dashboard(ctx);
    default:
      io.stderr.write(`error: unknown command '${cmd}' (this demo stand-in knows: config, gateway, devices, dashboard)\n`);
      return 1;
  }
}

const HELP = `OpenClaw ${FAKE_OPENCLAW_VERSION} (demo stand-in for openclaw-token-wizard)

Usage: openclaw [--profile NAME | --dev] <command>

  config set PATH VALUE | get PATH | unset PATH | file
  gateway run [--port N] [--bind loopback] | restart | start | stop | auth-token --show
  devices list | approve ID
  dashboard --no-open
`;

interface Ctx {
  io: FakeCliIo;
  env: NodeJS.ProcessEnv;
  globals: Globals;
}

function paths(ctx: Ctx) {
  return resolveOpenClawPaths({ env: ctx.env, profile: ctx.globals.profile, dev: ctx.globals.dev });
}

/**
 * OpenClaw loads `$OPENCLAW_STATE_DIR/.env` into its environment without overriding what is set
 * (docs/help/environment.md); a workspace `.env` may not set OPENCLAW_* names at all.
 */
function withDotenv(base: NodeJS.ProcessEnv, globals: Globals, cwd: string): NodeJS.ProcessEnv {
  const env = { ...base };
  let stateDir: string | null = null;
  try {
    stateDir = resolveOpenClawPaths({ env: base, profile: globals.profile, dev: globals.dev }).stateDir;
  } catch {
    stateDir = null;
  }
  const files: Array<[string, boolean]> = [[`${cwd}/.env`, true]];
  if (stateDir) files.push([`${stateDir}/.env`, false]);
  for (const [file, workspace] of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const [k, v] of Object.entries(parseDotenv(text))) {
      if (workspace && /^OPENCLAW_/.test(k)) continue;
      if (env[k] === undefined) env[k] = v;
    }
  }
  return env;
}

// --- config --------------------------------------------------------------------------------------

function readDoc(path: string): { exists: boolean; doc: Record<string, unknown>; error: string | null } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { exists: false, doc: {}, error: null };
    return { exists: true, doc: {}, error: (err as Error).message };
  }
  try {
    const v = JSON5.parse<unknown>(text.trim() === '' ? '{}' : text);
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return { exists: true, doc: {}, error: 'the top level is not an object' };
    return { exists: true, doc: v as Record<string, unknown>, error: null };
  } catch (err) {
    return { exists: true, doc: {}, error: String((err as Error).message).replace(/^JSON5: /, '') };
  }
}

function getPath(doc: Record<string, unknown>, path: string): unknown {
  let node: unknown = doc;
  for (const k of path.split('.')) {
    if (typeof node !== 'object' || node === null || Array.isArray(node)) return undefined;
    node = (node as Record<string, unknown>)[k];
  }
  return node;
}

function setPath(doc: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = doc;
  for (const k of keys.slice(0, -1)) {
    const next = node[k];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[k] = {};
    node = node[k] as Record<string, unknown>;
  }
  node[keys[keys.length - 1]!] = value;
}

function unsetPath(doc: Record<string, unknown>, path: string): boolean {
  const keys = path.split('.');
  const parent = getPath(doc, keys.slice(0, -1).join('.')) ?? (keys.length === 1 ? doc : undefined);
  if (typeof parent !== 'object' || parent === null) return false;
  const last = keys[keys.length - 1]!;
  if (!(last in parent)) return false;
  delete (parent as Record<string, unknown>)[last];
  return true;
}

const SECRET_KEY = /(token|password|secret|apiKey)$/i;

/** What `config get` shows: secrets become the sentinel, a `${VAR}` reference stays as written. */
function redactValue(value: unknown, key: string): unknown {
  if (typeof value === 'string') return SECRET_KEY.test(key) && !/^\$\{[A-Z0-9_]+\}$/.test(value) ? REDACTED_SENTINEL : value;
  if (Array.isArray(value)) return value.map((v) => redactValue(v, key));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactValue(v, k)]));
  }
  return value;
}

/** The few schema rules a token walkthrough can trip over (the real CLI validates the whole schema). */
function validate(path: string, value: unknown): string | null {
  const oneOf = (allowed: string[]) => (typeof value === 'string' && allowed.includes(value) ? null : `${path}: expected one of ${allowed.map((a) => `"${a}"`).join(', ')}`);
  if (path === 'gateway.mode') return oneOf(['local', 'remote']);
  if (path === 'gateway.bind') return oneOf(['loopback', 'lan', 'tailnet', 'auto', 'custom']);
  if (path === 'gateway.auth.mode') return oneOf(['token', 'password', 'none', 'trusted-proxy']);
  if (path === 'gateway.port') return Number.isInteger(value) && (value as number) > 0 && (value as number) <= 65535 ? null : `${path}: expected an integer port`;
  if (/^gateway\.(auth|remote)\.(token|password)$/.test(path) && typeof value !== 'string' && (typeof value !== 'object' || value === null)) {
    return `${path}: expected string or SecretRef, received ${typeof value}`;
  }
  return null;
}

async function configCommand(ctx: Ctx, sub: string | undefined, args: string[]): Promise<number> {
  const { io } = ctx;
  const configPath = paths(ctx).configPath;
  if (sub === 'file') {
    io.stdout.write(args.includes('--json') ? `${JSON.stringify({ path: configPath })}\n` : `${configPath}\n`);
    return 0;
  }
  if (sub === 'set' && args.includes('--batch-json')) return configSetBatch(ctx, configPath, args[args.indexOf('--batch-json') + 1]);
  const path = args.find((a) => !a.startsWith('--'));
  if ((sub !== 'set' && sub !== 'get' && sub !== 'unset') || !path) {
    io.stderr.write(`error: usage: openclaw config set <path> <value> | get <path> | unset <path> | file\n`);
    return 1;
  }
  const { exists, doc, error } = readDoc(configPath);
  if (error) {
    io.stderr.write(`Config invalid at ${configPath}: ${error}\nRun: openclaw doctor --fix\n`);
    return 1;
  }
  if (sub === 'get') {
    const v = getPath(doc, path);
    if (v === undefined) {
      io.stderr.write(`Config path is valid but unset: ${path}. The runtime default applies until you set an authored value with openclaw config set ${path} <value>.\n`);
      return 1;
    }
    const shown = redactValue(v, path.split('.').pop() ?? path);
    io.stdout.write(typeof shown === 'string' ? `${shown}\n` : `${JSON.stringify(shown, null, 2)}\n`);
    return 0;
  }
  if (sub === 'unset') {
    if (!unsetPath(doc, path)) {
      io.stderr.write(`Config path not found: ${path}\n`);
      return 1;
    }
    await save(configPath, exists, doc);
    io.stdout.write(`Removed ${path}. Restart the gateway to apply.\n`);
    return 0;
  }
  const raw = args[args.indexOf(path) + 1];
  if (raw === undefined) {
    io.stderr.write(`error: missing required argument 'value'\n`);
    return 1;
  }
  let value: unknown;
  try {
    value = JSON5.parse(raw);
  } catch {
    value = raw;
  }
  const invalid = validate(path, value);
  if (invalid) {
    io.stderr.write(`Config validation failed: ${invalid}\n`);
    return 1;
  }
  setPath(doc, path, value);
  await save(configPath, exists, doc);
  io.stdout.write(`Updated ${path}. Restart the gateway to apply.\n`);
  return 0;
}

/** `config set --batch-json '[{"path":…,"value":…}]'`: every value validated first, the file written once. */
async function configSetBatch(ctx: Ctx, configPath: string, raw: string | undefined): Promise<number> {
  let ops: unknown;
  try {
    ops = JSON.parse(raw ?? '');
  } catch {
    ops = null;
  }
  const valid = Array.isArray(ops) && ops.every((o) => typeof o === 'object' && o !== null && typeof (o as { path?: unknown }).path === 'string');
  if (!valid) {
    ctx.io.stderr.write('error: --batch-json expects a JSON array of {path, value}\n');
    return 1;
  }
  const { exists, doc, error } = readDoc(configPath);
  if (error) {
    ctx.io.stderr.write(`Config invalid at ${configPath}: ${error}\nRun: openclaw doctor --fix\n`);
    return 1;
  }
  for (const { path, value } of ops as Array<{ path: string; value: unknown }>) {
    const invalid = validate(path, value);
    if (invalid) {
      ctx.io.stderr.write(`Config validation failed: ${invalid}\n`);
      return 1;
    }
    setPath(doc, path, value);
  }
  await save(configPath, exists, doc);
  ctx.io.stdout.write(`Updated ${(ops as unknown[]).length} config paths. Restart the gateway to apply.\n`);
  return 0;
}

async function save(configPath: string, existed: boolean, doc: Record<string, unknown>): Promise<void> {
  mkdirSync(dirname(configPath), { recursive: true, mode: 0o700 });
  // The real CLI keeps a .bak of the previous file.
  if (existed) copyFileSync(configPath, `${configPath}.bak`);
  await writeFileAtomic(configPath, `${JSON.stringify(doc, null, 2)}\n`);
}

// --- gateway -------------------------------------------------------------------------------------

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i >= 0) return args[i + 1];
  const eq = args.find((a) => a.startsWith(`${name}=`));
  return eq?.slice(name.length + 1);
}

/** The config as the fake reads it: its own rules (openclaw-rules.ts), never the wizard's parser. */
function readConfigFacts(ctx: Ctx): FakeConfig | null {
  const p = paths(ctx).configPath;
  if (!existsSync(p)) return null;
  return readFakeConfig(readFileSync(p, 'utf8'), ctx.env, p);
}

/** The token the gateway would enforce: config first, then OPENCLAW_GATEWAY_TOKEN (2026.9: config beats env). */
function configuredToken(ctx: Ctx, cfg: FakeConfig | null): string | null {
  return enforcedToken(cfg, ctx.env);
}

function logFileFor(ctx: Ctx, cfg: FakeConfig | null): string {
  const p = paths(ctx);
  return resolveLogFile({ configLogFile: cfg?.logFile ?? null, profile: p.profile, home: p.home })[0]!;
}

function appendLog(file: string, rec: RecordOptions): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    appendFileSync(file, `${logRecord(rec)}\n`);
  } catch {
    // A log that cannot be written must not stop the gateway from saying why it stopped.
  }
}

async function gatewayCommand(ctx: Ctx, sub: string | undefined, args: string[]): Promise<number> {
  const { io } = ctx;
  switch (sub) {
    case undefined:
    case 'run':
      return gatewayRun(ctx, args);
    case 'restart':
    case 'start':
    case 'stop':
      // No service is installed in the sandbox: the real CLI then says the service is not loaded.
      io.stderr.write(
        `Gateway service not loaded.\nStart with: openclaw gateway install\nStart with: openclaw gateway\n(demo: the sandbox has no systemd/launchd service; the wizard restarts a hand-run gateway by its pid)\n`,
      );
      return 1;
    case 'auth-token':
      return authToken(ctx, args);
    case 'status':
      io.stderr.write('openclaw gateway status is not part of the demo stand-in; run openclaw-token-wizard diagnose\n');
      return 1;
    default:
      io.stderr.write(`error: unknown command 'gateway ${sub}'\n`);
      return 1;
  }
}

function authToken(ctx: Ctx, args: string[]): number {
  const { io } = ctx;
  if (!args.includes('--show')) {
    io.stderr.write('Usage: openclaw gateway auth-token --show\n');
    return 1;
  }
  if (!io.stdinIsTty || !io.stdout.isTTY) {
    io.stderr.write('Refusing to print the Gateway token outside an interactive terminal. Run it in a terminal to copy the token.\n');
    return 1;
  }
  const cfg = readConfigFacts(ctx);
  if (cfg?.mode === 'remote') {
    io.stderr.write('This command must run on the Gateway host; the current config is in remote mode.\n');
    return 1;
  }
  if (cfg?.authMode && cfg.authMode !== 'token') {
    io.stderr.write(`Gateway auth mode is ${cfg.authMode}; there is no active shared token to reveal.\n`);
    return 1;
  }
  const token = configuredToken(ctx, cfg);
  if (!token) {
    io.stderr.write('No configured Gateway token is available. Run `openclaw doctor --generate-gateway-token`, restart the Gateway, then try again.\n');
    return 1;
  }
  io.stdout.write(`${token}\n`);
  return 0;
}

async function gatewayRun(ctx: Ctx, args: string[]): Promise<number> {
  const { io } = ctx;
  process.title = 'openclaw-gateway';
  const allowUnconfigured = args.includes('--allow-unconfigured');
  const p = paths(ctx);
  const cfg = readConfigFacts(ctx);
  const logFile = logFileFor(ctx, cfg);
  const colour = !ctx.env.NO_COLOR;
  const plain = (line: string) => (colour ? line : line.replace(/\x1b\[[0-9;]*m/g, ''));
  const print = (rec: RecordOptions) => io.stdout.write(`${plain(consoleLine(rec))}\n`);
  const refuse = (message: string, code: number) => {
    const rec: RecordOptions = { level: 'ERROR', subsystem: 'gateway', message };
    appendLog(logFile, rec);
    io.stderr.write(`${message}\n`);
    return code;
  };

  if (cfg?.error) return refuse(`Config invalid at ${cfg.path}: ${cfg.error}. Run: openclaw doctor --fix`, 1);
  if (!allowUnconfigured) {
    if (!cfg) return refuse('Missing config. Run `openclaw setup` or set gateway.mode=local (or pass --allow-unconfigured).', EXIT_BLOCKED);
    const mode = cfg.mode;
    if (!mode) {
      return refuse(
        'Gateway start blocked: existing config is missing gateway.mode. Treat this as suspicious or clobbered config. Re-run `openclaw onboard --mode local` or `openclaw setup`, set gateway.mode=local manually, or pass --allow-unconfigured.',
        EXIT_BLOCKED,
      );
    }
    if (mode !== 'local') {
      const rec = startBlockedRecord(mode);
      appendLog(logFile, rec);
      io.stderr.write(`${rec.message}\n`);
      return EXIT_BLOCKED;
    }
  }

  // The real start reads the config, then refuses an ambiguous or placeholder credential.
  const configError = cfg ? startConfigError(cfg, ctx.env) : null;
  if (configError) {
    const loading = loadingConfigRecord();
    appendLog(logFile, loading);
    print(loading);
    const fatal = startFailedRecord(configError);
    appendLog(logFile, fatal);
    io.stderr.write(`${plain(consoleLine(fatal))}\n`);
    return 1;
  }

  const flagPort = option(args, '--port');
  const { port } = resolveGatewayPort({
    flag: flagPort !== undefined && /^\d+$/.test(flagPort) ? Number(flagPort) : undefined,
    env: ctx.env,
    configPort: cfg?.port ?? null,
    profile: p.profile,
    profileSource: p.profileSource,
  });
  const bind = option(args, '--bind') ?? cfg?.bind ?? 'loopback';
  if (bind !== 'loopback') {
    // The demo never listens beyond this machine, whatever the config says.
    io.stdout.write(`(demo: bind "${bind}" requested; the demo gateway listens on 127.0.0.1 only)\n`);
  }
  const flagToken = option(args, '--token');
  const startToken = flagToken ?? configuredToken(ctx, cfg);

  mkdirSync(dirname(logFile), { recursive: true });
  let gw: FakeGateway | null = null;
  for (let attempt = 0; !gw; attempt++) {
    try {
      const password = enforcedPassword(cfg, ctx.env) ?? undefined;
      gw = await startFakeGateway({ port, host: '127.0.0.1', token: startToken, ...(password !== undefined ? { password } : {}), logFile, version: FAKE_OPENCLAW_VERSION, onLog: print });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt >= 19) {
        const why =
          (err as NodeJS.ErrnoException).code === 'EADDRINUSE'
            ? `another gateway instance is already listening on ws://127.0.0.1:${port}`
            : `failed to bind gateway socket on ws://127.0.0.1:${port}: ${(err as Error).message}`;
        return refuse(`Gateway failed to start: ${why}`, 1);
      }
      await sleep(500);
    }
  }
  const gateway = gw;

  // Hot reload (verified-live.md): a token change applies without restart only on a gateway that
  // started with a configured token; one that generated a runtime token keeps it until restarted,
  // although it logs the reload.
  const startedWithToken = startToken !== null;
  let lastSeen = configuredToken(ctx, cfg);
  const onChange = () => {
    let next: string | null;
    try {
      next = configuredToken(ctx, readConfigFacts(ctx));
    } catch {
      return;
    }
    if (next === lastSeen) return;
    lastSeen = next;
    gateway.log({ level: 'INFO', subsystem: 'gateway/reload', message: 'config hot reload applied (gateway.auth.token)' });
    if (startedWithToken && next !== null) gateway.setToken(next);
  };
  watchFile(p.configPath, { interval: 200 }, onChange);

  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      gateway.log({ level: 'INFO', subsystem: 'gateway', message: `signal ${signal} received; shutting down` });
      unwatchFile(p.configPath, onChange);
      void gateway.close().then(resolve, resolve);
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  return 0;
}

// --- devices, dashboard --------------------------------------------------------------------------

function devicesCommand(ctx: Ctx, sub: string | undefined, args: string[]): number {
  const { io } = ctx;
  if (sub === 'list') {
    io.stdout.write(args.includes('--json') ? '{"pending":[],"paired":[]}\n' : 'Pending: none\nPaired: none (demo: loopback browsers are auto-approved)\n');
    return 0;
  }
  if (sub === 'approve') {
    const id = args.find((a) => !a.startsWith('-'));
    io.stderr.write(id ? `No pending pairing request ${id}.\n` : "error: missing required argument 'requestId'\n");
    return 1;
  }
  io.stderr.write(`error: unknown command 'devices ${sub ?? ''}'\n`);
  return 1;
}

function dashboard(ctx: Ctx): number {
  const { io } = ctx;
  const cfg = readConfigFacts(ctx);
  const p = paths(ctx);
  const { port } = resolveGatewayPort({ env: ctx.env, configPort: cfg?.port ?? null, profile: p.profile, profileSource: p.profileSource });
  io.stdout.write(`Dashboard URL: http://127.0.0.1:${port}/\n`);
  if (configuredToken(ctx, cfg)) {
    io.stdout.write('Token auto-auth not delivered. Append your gateway token (from OPENCLAW_GATEWAY_TOKEN or gateway.auth.token) as a URL fragment with key `token` to authenticate.\n');
  }
  return 0;
}

// --- process entry -------------------------------------------------------------------------------

function isMain(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMain()) {
  runFakeOpenClaw(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    stdinIsTty: !!process.stdin.isTTY,
    env: process.env,
    cwd: process.cwd(),
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`openclaw (demo): ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
