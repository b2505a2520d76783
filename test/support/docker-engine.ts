// A private Docker engine for the `docker` suite: its own dockerd, data root, socket, bridge and
// address pool, so it never touches a system Docker (nor its docker0 or networks).
//   * data root:  <cache>/docker/data-root  (persistent: the imported gateway image survives runs)
//   * exec root, socket, pid file, daemon log: a fresh temp dir per start
//   * bridge:     otw-docker0 with 10.213.0.1/24; compose networks from 10.214.0.0/16
// Published ports need dockerd's iptables rules (--iptables is on, its default) plus docker-proxy
// (the userland proxy, also default) for 127.0.0.1: both verified here.
// The engine is stopped by its own pid (SIGTERM, then SIGKILL), never by name.
// One private engine per machine at a time: the data root, the pid file, the bridge and docker's
// own iptables chains (DOCKER, DOCKER-ISOLATION-*) are machine-wide, so a second run (another
// worktree, another CI job) waits for the first to stop instead of colliding; the lock names its
// holder's pid, and a lock whose holder is gone is taken over.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { realCacheDir } from './real-openclaw.js';
import { sleep } from './sleep.js';

export const ENGINE_BRIDGE = 'otw-docker0';
const BRIDGE_CIDR = '10.213.0.1/24';
const ADDRESS_POOL = 'base=10.214.0.0/16,size=24';

export interface DockerEngine {
  /** `unix:///tmp/otw-dockerd-XXXX/docker.sock` */
  host: string;
  pid: number;
  dataRoot: string;
  /** Environment for docker/docker-compose: the caller's env with DOCKER_HOST pointing here. */
  env: NodeJS.ProcessEnv;
  /** Milliseconds from spawn to the first answered `docker version`. */
  startMs: number;
  /** The daemon's log (for failures). */
  logFile: string;
  stop(): Promise<void>;
}

export function dockerCacheDir(): string {
  return join(realCacheDir(), 'docker');
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function cmdline(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  } catch {
    return [];
  }
}

/** Environment for docker commands against this engine: no DOCKER_CONTEXT, which would win over DOCKER_HOST. */
export function engineEnv(host: string, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base, DOCKER_HOST: host };
  delete env.DOCKER_CONTEXT;
  return env;
}

/**
 * A dockerd left by an earlier run that crashed before its teardown holds our data root (its pid
 * file says so, and its command line names our data root): stop it, by that pid.
 */
async function stopLeftoverDaemon(pidFile: string, dataRoot: string): Promise<void> {
  let pid: number;
  try {
    pid = Number(readFileSync(pidFile, 'utf8').trim());
  } catch {
    return;
  }
  if (!Number.isInteger(pid) || pid <= 1 || !isAlive(pid)) return;
  const args = cmdline(pid);
  if (!args.some((a) => a.endsWith('dockerd')) || !args.includes(dataRoot)) return;
  process.stderr.write(`[docker-engine] stopping dockerd ${pid} left by an earlier run on ${dataRoot}\n`);
  await stopPid(pid, 20_000);
}

async function stopPid(pid: number, graceMs: number): Promise<void> {
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < deadline) await sleep(100);
  if (isAlive(pid)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* gone */
    }
    while (isAlive(pid)) await sleep(50);
  }
}

/** Our own bridge, so the engine never shares a system Docker's docker0. */
async function ensureBridge(): Promise<void> {
  const show = await execa('ip', ['link', 'show', ENGINE_BRIDGE], { reject: false });
  if (show.exitCode === 0) return;
  await execa('ip', ['link', 'add', ENGINE_BRIDGE, 'type', 'bridge']);
  await execa('ip', ['addr', 'add', BRIDGE_CIDR, 'dev', ENGINE_BRIDGE]);
  await execa('ip', ['link', 'set', ENGINE_BRIDGE, 'up']);
}

function parentOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return null;
  }
}

/** The daemon's process tree (containerd, shims, docker-proxy listeners), taken before it is stopped. */
function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const ppid = parentOf(Number(name));
    if (ppid !== null) children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
  }
  const out: number[] = [];
  const queue = [root];
  while (queue.length) {
    for (const c of children.get(queue.shift()!) ?? []) {
      out.push(c);
      queue.push(c);
    }
  }
  return out;
}

/** Processes that still run from this engine's exec root or its tree: must be none after stop. */
function processesUnder(execRoot: string, tree: number[]): number[] {
  const out = new Set(tree.filter(isAlive));
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    if (cmdline(Number(name)).some((a) => a.includes(execRoot))) out.add(Number(name));
  }
  return [...out];
}

/** The lock of the machine's private engine: a directory made atomically, holding its holder's pid. */
export function engineLockDir(): string {
  return join(dockerCacheDir(), 'engine.lock');
}

function lockHolder(dir: string): number | null {
  try {
    const pid = Number(readFileSync(join(dir, 'pid'), 'utf8').trim());
    return Number.isInteger(pid) && pid > 1 ? pid : null;
  } catch {
    return null;
  }
}

/** Waits for the engine lock (another run holds it) and returns its release; throws after waitMs. */
export async function acquireEngineLock(waitMs = 30 * 60_000): Promise<() => void> {
  const dir = engineLockDir();
  mkdirSync(dockerCacheDir(), { recursive: true });
  const t0 = Date.now();
  let said = false;
  for (;;) {
    try {
      mkdirSync(dir);
      writeFileSync(join(dir, 'pid'), `${process.pid}\n`);
      return () => rmSync(dir, { recursive: true, force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const holder = lockHolder(dir);
    // A holder that is gone (or a lock still being written for more than a few seconds) is stale.
    if ((holder !== null && !isAlive(holder)) || (holder === null && Date.now() - t0 > 5_000)) {
      rmSync(dir, { recursive: true, force: true });
      continue;
    }
    if (Date.now() - t0 > waitMs) throw new Error(`the private Docker engine is in use by pid ${holder} (${dir}) for more than ${waitMs} ms`);
    if (!said) process.stderr.write(`[docker-engine] waiting for the run of pid ${holder} to stop its engine (${dir})\n`);
    said = true;
    await sleep(1000);
  }
}

/** Starts the private engine; throws (never skips) with the daemon's last log lines when it cannot. */
export async function startEngine(opts: { readyTimeoutMs?: number } = {}): Promise<DockerEngine> {
  const release = await acquireEngineLock();
  try {
    return await startEngineLocked(opts, release);
  } catch (e) {
    release();
    throw e;
  }
}

async function startEngineLocked(opts: { readyTimeoutMs?: number }, release: () => void): Promise<DockerEngine> {
  const root = dockerCacheDir();
  const dataRoot = join(root, 'data-root');
  const pidFile = join(root, 'dockerd.pid');
  mkdirSync(dataRoot, { recursive: true });
  // Under the lock: a dockerd on our data root can only be a crashed run's.
  await stopLeftoverDaemon(pidFile, dataRoot);
  await ensureBridge();
  // Short path: containerd's sockets live under the exec root and unix socket paths are limited to 108 bytes.
  const run = mkdtempSync(join(tmpdir(), 'otw-dockerd-'));
  const execRoot = join(run, 'exec');
  const sock = join(run, 'docker.sock');
  const host = `unix://${sock}`;
  const logFile = join(run, 'dockerd.log');
  const args = ['--data-root', dataRoot, '--exec-root', execRoot, '--pidfile', pidFile, '--host', host];
  args.push('--bridge', ENGINE_BRIDGE, '--default-address-pool', ADDRESS_POOL, '--iptables=true', '--userland-proxy=true');
  const fd = openSync(logFile, 'a');
  const t0 = Date.now();
  const child = spawn('dockerd', args, { detached: true, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  child.unref();
  const pid = child.pid ?? -1;
  let exited: number | null | undefined;
  child.once('exit', (code) => (exited = code));
  child.once('error', () => (exited = 127));
  const env = engineEnv(host);
  const timeoutMs = opts.readyTimeoutMs ?? 60_000;
  const tail = () => (existsSync(logFile) ? readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-15).join('\n') : '');
  for (;;) {
    const v = await execa('docker', ['version', '--format', '{{.Server.Version}}'], { env, reject: false, timeout: 5_000 });
    if (v.exitCode === 0 && String(v.stdout).trim()) break;
    const failed =
      exited !== undefined ? `dockerd exited (code ${exited}) before it answered on ${host}` : Date.now() - t0 > timeoutMs ? `dockerd did not answer on ${host} within ${timeoutMs} ms` : null;
    if (failed) {
      const log = tail();
      if (exited === undefined) await stopPid(pid, 5_000);
      rmSync(run, { recursive: true, force: true });
      throw new Error(`${failed}; its log:\n${log}`);
    }
    await sleep(100);
  }
  const startMs = Date.now() - t0;
  let stopped: Promise<void> | null = null;
  const stop = async () => {
    const tree = descendants(pid);
    await stopPid(pid, 20_000);
    const deadline = Date.now() + 5_000;
    let left = processesUnder(execRoot, tree);
    while (left.length && Date.now() < deadline) {
      await sleep(100);
      left = processesUnder(execRoot, tree);
    }
    if (left.length) throw new Error(`processes of the private engine survived its stop: ${left.join(', ')}`);
    rmSync(run, { recursive: true, force: true });
    // The bridge is ours (created at start); the machine is left without it, as it was found.
    await execa('ip', ['link', 'delete', ENGINE_BRIDGE], { reject: false });
    release();
  };
  return { host, pid, dataRoot, env, startMs, logFile, stop: () => (stopped ??= stop()) };
}

/** Everything the engine holds except images: containers (running or not), networks, volumes. */
export async function wipeEngine(env: NodeJS.ProcessEnv): Promise<void> {
  const ids = await execa('docker', ['ps', '-aq'], { env, reject: false, timeout: 30_000 });
  const list = String(ids.stdout ?? '')
    .split('\n')
    .filter(Boolean);
  if (list.length) await execa('docker', ['rm', '-f', '-v', ...list], { env, timeout: 60_000 });
  await execa('docker', ['network', 'prune', '-f'], { env, timeout: 30_000 });
  await execa('docker', ['volume', 'prune', '-f'], { env, timeout: 30_000 });
}

/** What is left in the engine that the suite created (must be nothing at the end). */
export async function engineLeftovers(env: NodeJS.ProcessEnv): Promise<{ containers: string[]; networks: string[]; volumes: string[] }> {
  const lines = async (args: string[]) =>
    String((await execa('docker', args, { env, timeout: 30_000 })).stdout)
      .split('\n')
      .filter(Boolean);
  const networks = (await lines(['network', 'ls', '--format', '{{.Name}}'])).filter((n) => !['bridge', 'host', 'none'].includes(n));
  return { containers: await lines(['ps', '-aq']), networks, volumes: await lines(['volume', 'ls', '-q']) };
}

/** Timings the suite reports (read by the closing summary). */
export function recordTimings(file: string, timings: Record<string, unknown>): void {
  let prev: Record<string, unknown> = {};
  try {
    prev = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    /* first write */
  }
  writeFileSync(file, JSON.stringify({ ...prev, ...timings }, null, 2) + '\n');
}
