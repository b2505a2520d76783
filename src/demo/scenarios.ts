/**
 * Named demo scenarios: each builds a throw-away sandbox (its own HOME, OpenClaw config, log file,
 * a free loopback port, `bin/openclaw` = the fake CLI) and puts a fake gateway into the state the
 * scenario describes, by the same means a person would: `openclaw gateway run` in the background,
 * `openclaw config set`, and a browser-like client connecting. The `demo` command, the fast e2e
 * tests and the TTY tests all use these.
 *
 * Cleaning up: the wizard's own fix steps may end the gateway the scenario started and start a new
 * one (detached, in its own session). stop() therefore ends every process whose environment
 * carries the sandbox's HOME (it is a fresh temp dir, so nothing else has it), by pid.
 */
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { probeGateway } from '../gateway/probe.js';
import type { FindingId } from '../checks/index.js';
import { DEMO_BROWSER_VAR, installDemoBrowser } from './control-ui-client.js';

export const SCENARIO_NAMES = ['token-missing', 'token-mismatch', 'restart-pending', 'env-override', 'docker', 'not-running', 'healthy'] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];
export const DEFAULT_SCENARIO: ScenarioName = 'token-missing';

export interface ScenarioInfo {
  name: ScenarioName;
  summary: string;
  /** Finding ids `diagnose` reports for it (the e2e tests hold the scenarios to these). */
  expect: FindingId[];
}

export const SCENARIOS: Record<ScenarioName, ScenarioInfo> = {
  'token-missing': {
    name: 'token-missing',
    summary: 'fresh install: no token configured, the gateway runs with a runtime token, the Control UI got "gateway token missing"',
    expect: ['no-token-configured', 'client-token-missing'],
  },
  'token-mismatch': {
    name: 'token-mismatch',
    summary: 'after a token rotation a browser still holds the old token: "gateway token mismatch"',
    expect: ['client-token-mismatch'],
  },
  'restart-pending': {
    name: 'restart-pending',
    summary: 'a token was saved after the gateway started without one: it still enforces its runtime token until restarted',
    expect: ['gateway-rejects-config-token'],
  },
  'env-override': {
    name: 'env-override',
    summary: 'a stale OPENCLAW_GATEWAY_TOKEN in ~/.openclaw/.env differs from the config token; a CLI client using it is refused',
    expect: ['env-token-differs', 'client-token-mismatch'],
  },
  docker: {
    name: 'docker',
    summary: 'a docker compose project whose .env passes another token than the config (no Docker engine: the docker check skips)',
    // The project .env is also the working directory's .env, which diagnose lists as a token source too.
    expect: ['env-token-differs', 'docker-env-override'],
  },
  'not-running': {
    name: 'not-running',
    summary: 'the config is fine but no gateway is running',
    expect: ['gateway-not-running'],
  },
  healthy: {
    name: 'healthy',
    summary: 'everything is in order: the gateway accepts the config token and the Control UI connected',
    expect: [],
  },
};

export function isScenarioName(s: string): s is ScenarioName {
  return (SCENARIO_NAMES as readonly string[]).includes(s);
}

export function scenarioList(): string {
  const w = Math.max(...SCENARIO_NAMES.map((n) => n.length));
  return SCENARIO_NAMES.map((n) => `  ${n.padEnd(w)}  ${SCENARIOS[n].summary}${n === DEFAULT_SCENARIO ? ' (default)' : ''}`).join('\n') + '\n';
}

export interface DemoSandbox {
  name: ScenarioName;
  root: string;
  home: string;
  stateDir: string;
  configPath: string;
  /** The gateway's log file (logging.file in the sandbox config). */
  logFile: string;
  /** Where the person "is": the compose project in the docker scenario. */
  cwd: string;
  /** Holds the `openclaw` shim (first on env.PATH). */
  bin: string;
  port: number;
  env: NodeJS.ProcessEnv;
  /** Raw tokens the scenario planted, so tests can check none is ever printed. */
  tokens: string[];
  /** Ends every process of this sandbox (by pid) and removes the sandbox. Safe to call twice. */
  stop(): Promise<void>;
  /** The same, synchronously, for a process 'exit' handler. */
  stopSync(): void;
}

export interface ScenarioOptions {
  /** The compiled fake CLI (default: next to this module, or dist/ when run from sources). */
  fakeCliPath?: string;
  /** The environment to start from (default process.env); OpenClaw variables are removed. */
  baseEnv?: NodeJS.ProcessEnv;
  /** Node binary for the shim (default: this one). */
  nodePath?: string;
}

/** The compiled fake CLI: beside this file when compiled, else the build output (tests run sources). */
export function fakeCliPath(): string {
  const here = fileURLToPath(new URL('./fake-openclaw.js', import.meta.url));
  if (existsSync(here)) return here;
  const built = fileURLToPath(new URL('../../dist/src/demo/fake-openclaw.js', import.meta.url));
  if (existsSync(built)) return built;
  throw new Error(`the fake openclaw CLI is not built (looked for ${here} and ${built}): run npx tsc -p .`);
}

/**
 * The inherited environment minus anything that would point the sandbox at the person's real
 * OpenClaw (or make a real openclaw take test-only paths).
 */
const SCRUB = /^(OPENCLAW_|CLAWDBOT_|MOLTBOT_|VITEST|TINYPOOL_|JEST_WORKER_ID$|TEST$|DOCKER_HOST$|COMPOSE_)/;

function shQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Obviously fake: a demo token says so in its first characters, yet is 48 chars like OpenClaw's. */
export function demoToken(label: string): string {
  return `demo-${label}-${randomBytes(24).toString('hex')}`.slice(0, 48);
}

export async function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Pids of every process whose environment has HOME=home (Linux /proc; elsewhere none are found). */
export function processesWithHome(home: string): number[] {
  const out: number[] = [];
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return out;
  }
  const needle = Buffer.from(`\0HOME=${home}\0`);
  const first = Buffer.from(`HOME=${home}\0`);
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    const pid = Number(e);
    if (pid === process.pid) continue;
    try {
      const env = readFileSync(`/proc/${e}/environ`);
      if (env.includes(needle) || env.subarray(0, first.length).equals(first)) out.push(pid);
    } catch {
      // Gone, or not ours to read: either way not a process we started.
    }
  }
  return out;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // Already gone.
  }
}

function run(file: string, args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { env, cwd, timeout: 15_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

/** A sandbox while it is being built: the paths and env of DemoSandbox plus the pids it started. */
interface Build extends Omit<DemoSandbox, 'name' | 'stop' | 'stopSync'> {
  pids: Set<number>;
}

async function writeConfig(b: Build, extra: { token?: string } = {}): Promise<void> {
  const gateway: Record<string, unknown> = { mode: 'local', port: b.port, bind: 'loopback' };
  if (extra.token) gateway.auth = { mode: 'token', token: extra.token };
  const doc = { gateway, logging: { file: b.logFile } };
  await writeFile(b.configPath, JSON.stringify(doc, null, 2) + '\n', { mode: 0o600 });
}

/** `openclaw gateway run` in the background, as a person would start it by hand. */
async function startGateway(b: Build): Promise<number> {
  const out = await open(join(b.root, 'logs', 'gateway-console.log'), 'a');
  try {
    const child = spawn(join(b.bin, 'openclaw'), ['gateway', 'run', '--port', String(b.port), '--bind', 'loopback'], {
      cwd: b.cwd,
      env: b.env,
      detached: true,
      stdio: ['ignore', out.fd, out.fd],
    });
    child.unref();
    if (!child.pid) throw new Error('could not start the fake gateway');
    b.pids.add(child.pid);
    await waitUntilAnswers(b, child.pid);
    return child.pid;
  } finally {
    await out.close();
  }
}

async function waitUntilAnswers(b: Build, pid: number): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const r = await probeGateway({ url: `ws://127.0.0.1:${b.port}`, timeoutMs: 1000 });
    if (r.kind === 'rejected' || r.kind === 'hello-ok') return;
    if (!alive(pid)) break;
    await sleep(100);
  }
  const console = await readFile(join(b.root, 'logs', 'gateway-console.log'), 'utf8').catch(() => '');
  throw new Error(`the fake gateway did not come up on port ${b.port}: ${console.trim().split('\n').slice(-3).join(' | ')}`);
}

/** A browser tab on the Control UI (client openclaw-control-ui/webchat, loopback origin). */
async function browserConnects(b: Build, token: string | undefined): Promise<void> {
  await probeGateway({ url: `ws://127.0.0.1:${b.port}`, token, timeoutMs: 3000, clientId: 'openclaw-control-ui', clientMode: 'webchat', origin: `http://127.0.0.1:${b.port}` });
}

async function waitForLog(b: Build, text: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await readFile(b.logFile, 'utf8').catch(() => '')).includes(text)) return;
    await sleep(100);
  }
  throw new Error(`the fake gateway never logged "${text}"`);
}

const SETUP: Record<ScenarioName, (b: Build) => Promise<void>> = {
  'token-missing': async (b) => {
    await writeConfig(b);
    await startGateway(b);
    await browserConnects(b, undefined);
  },
  'token-mismatch': async (b) => {
    const current = demoToken('current');
    const old = demoToken('old');
    b.tokens.push(current, old);
    await writeConfig(b, { token: current });
    await startGateway(b);
    await browserConnects(b, old);
  },
  'restart-pending': async (b) => {
    await writeConfig(b);
    await startGateway(b);
    const token = demoToken('saved');
    b.tokens.push(token);
    // The way a person saves it; the running gateway logs the reload but keeps its runtime token.
    const r = await run(join(b.bin, 'openclaw'), ['config', 'set', 'gateway.auth.token', JSON.stringify(token)], b.env, b.cwd);
    if (r.code !== 0) throw new Error(`openclaw config set failed: ${r.stderr.trim()}`);
    await waitForLog(b, 'config hot reload applied');
  },
  'env-override': async (b) => {
    const current = demoToken('config');
    const stale = demoToken('stale-env');
    b.tokens.push(current, stale);
    await writeConfig(b, { token: current });
    await writeFile(join(b.stateDir, '.env'), `# written by an older setup\nOPENCLAW_GATEWAY_TOKEN=${stale}\n`, { mode: 0o600 });
    await startGateway(b);
    // A CLI that reads the environment first (older clients, node hosts) presents the stale value.
    await probeGateway({ url: `ws://127.0.0.1:${b.port}`, token: stale, timeoutMs: 3000, clientId: 'cli', clientMode: 'cli' });
  },
  docker: async (b) => {
    const current = demoToken('config');
    const compose = demoToken('compose-env');
    b.tokens.push(current, compose);
    await writeConfig(b, { token: current });
    await writeFile(
      join(b.cwd, 'docker-compose.yml'),
      [
        'services:',
        '  openclaw-gateway:',
        '    image: ghcr.io/openclaw/openclaw:latest',
        '    environment:',
        '      OPENCLAW_GATEWAY_TOKEN: ${OPENCLAW_GATEWAY_TOKEN}',
        '    ports:',
        `      - "127.0.0.1:${b.port}:18789"`,
        '    volumes:',
        '      - ${OPENCLAW_CONFIG_DIR:-~/.openclaw}:/home/node/.openclaw',
        '',
      ].join('\n'),
    );
    await writeFile(join(b.cwd, '.env'), `OPENCLAW_IMAGE=ghcr.io/openclaw/openclaw:latest\nOPENCLAW_GATEWAY_TOKEN=${compose}\n`, { mode: 0o600 });
    await startGateway(b);
  },
  'not-running': async (b) => {
    const token = demoToken('config');
    b.tokens.push(token);
    await writeConfig(b, { token });
  },
  healthy: async (b) => {
    const token = demoToken('config');
    b.tokens.push(token);
    await writeConfig(b, { token });
    await startGateway(b);
    await browserConnects(b, token);
  },
};

export async function startScenario(name: ScenarioName, opts: ScenarioOptions = {}): Promise<DemoSandbox> {
  const cli = opts.fakeCliPath ?? fakeCliPath();
  const root = await mkdtemp(join(tmpdir(), `otw-demo-${name}-`));
  const home = join(root, 'home');
  const stateDir = join(home, '.openclaw');
  const bin = join(root, 'bin');
  const cwd = name === 'docker' ? join(root, 'openclaw-docker') : join(root, 'work');
  await Promise.all([mkdir(stateDir, { recursive: true, mode: 0o700 }), mkdir(bin, { recursive: true }), mkdir(cwd, { recursive: true }), mkdir(join(root, 'logs'), { recursive: true })]);

  await writeFile(join(bin, 'openclaw'), `#!/bin/sh\nexec ${shQuote(opts.nodePath ?? process.execPath)} ${shQuote(cli)} "$@"\n`);
  await chmod(join(bin, 'openclaw'), 0o755);
  // The sandbox has no Docker engine, whatever this machine has: the wizard must not read real containers.
  await writeFile(
    join(bin, 'docker'),
    `#!/bin/sh\necho 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running? (openclaw-token-wizard demo sandbox)' >&2\nexit 1\n`,
  );
  await chmod(join(bin, 'docker'), 0o755);
  // Lets the version be read like an npm install's package.json, without running the CLI.
  await writeFile(join(root, 'package.json'), JSON.stringify({ name: 'openclaw', version: '2026.9.6', private: true, description: 'openclaw-token-wizard demo stand-in' }) + '\n');

  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(opts.baseEnv ?? process.env)) if (!SCRUB.test(k)) env[k] = v;
  if (env.NODE_ENV === 'test') delete env.NODE_ENV;
  delete env.USERPROFILE;
  env.HOME = home;
  env.PATH = [bin, env.PATH ?? ''].filter(Boolean).join(delimiter);
  // "Open in my browser" hands the link to a simulated Control UI in the sandbox, never a real browser.
  env[DEMO_BROWSER_VAR] = await installDemoBrowser(bin, opts.nodePath ?? process.execPath, shQuote);

  const b: Build = {
    root,
    home,
    stateDir,
    configPath: join(stateDir, 'openclaw.json'),
    logFile: join(root, 'logs', 'openclaw-gateway.log'),
    cwd,
    bin,
    port: await freeLoopbackPort(),
    env,
    pids: new Set(),
    tokens: [],
  };

  let stopped = false;
  const pidsToEnd = () => [...new Set([...b.pids, ...processesWithHome(home)])].filter((p) => p !== process.pid && alive(p));
  const stopSync = () => {
    if (stopped) return;
    stopped = true;
    for (const pid of pidsToEnd()) signal(pid, 'SIGKILL');
    rmSync(root, { recursive: true, force: true });
  };
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    let pids = pidsToEnd();
    for (const pid of pids) signal(pid, 'SIGTERM');
    const deadline = Date.now() + 5000;
    while (pids.length && Date.now() < deadline) {
      await sleep(100);
      pids = pids.filter(alive);
    }
    for (const pid of pids) signal(pid, 'SIGKILL');
    // One more sweep: a gateway started while we were stopping must not survive the sandbox.
    for (const pid of processesWithHome(home)) signal(pid, 'SIGKILL');
    await rm(root, { recursive: true, force: true });
  };

  try {
    await SETUP[name](b);
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    name,
    root,
    home,
    stateDir,
    configPath: b.configPath,
    logFile: b.logFile,
    cwd,
    bin,
    port: b.port,
    env,
    tokens: b.tokens,
    stop,
    stopSync,
  };
}
