/**
 * Running the built CLI (`node bin/openclaw-token-wizard.js`) as a child process against a
 * sandbox: temp HOME, a PATH the test controls (sandbox bin first, then a directory holding only
 * node itself, so the real /usr/local/bin/docker and any real openclaw are never reached), stub
 * `docker` / `openclaw` scripts, and helper processes that hold a port (fake gateways, plain HTTP
 * servers, silent TCP servers), each stopped by its own pid.
 */
import { chmod, mkdir, symlink, writeFile } from 'node:fs/promises';
import { realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO, type CliRun } from './cli.js';
import { expectNoLeak } from './leaks.js';
import { execa, type ResultPromise } from 'execa';
import { expect } from 'vitest';
import { makeSandbox, type Sandbox } from './sandbox.js';
import type { DiagnosisReport } from '../../src/diagnosis/types.js';
import type { FakeGatewayOptions } from '../../src/demo/fake-gateway.js';

export { REPO, BIN, runCli, diagnoseJson, parseOneJson, canRunAsOtherUid, NO_PASSWD_UID, type CliRun } from './cli.js';
const FAKE_GATEWAY_DIST = pathToFileURL(join(REPO, 'dist', 'src', 'demo', 'fake-gateway.js')).href;

export interface E2eSandbox extends Sandbox {
  /** Parent of home/ and work/: everything the test wrote lives below it. */
  root: string;
  /** Directory put first on PATH for stub commands. */
  bin: string;
  /** PATH with the sandbox bin and node's own directory only. */
  path: string;
}

const cleanups: Array<() => Promise<void>> = [];

/** Call from afterEach: stops every helper process and removes every sandbox. */
export async function cleanupAll(): Promise<void> {
  while (cleanups.length) await cleanups.pop()!().catch(() => undefined);
}

export function onCleanup(fn: () => Promise<void>): void {
  cleanups.push(fn);
}

export interface SandboxOptions {
  /** Install a stub openclaw CLI (with a package.json naming its version). Default true. */
  openclaw?: boolean;
  /** Stub docker: 'empty' (no containers, default), 'none' (no docker on PATH), or a script body. */
  docker?: 'empty' | 'none' | { script: string };
}

export async function e2eSandbox(opts: SandboxOptions = {}): Promise<E2eSandbox> {
  const sb = await makeSandbox('otw-e2e-');
  cleanups.push(() => sb.cleanup());
  const root = dirname(sb.home);
  const bin = join(root, 'bin');
  await mkdir(bin, { recursive: true });
  // node's own directory may hold real tools (/usr/bin/docker from docker.io): expose node alone.
  const nodeBin = join(root, 'node-bin');
  await mkdir(nodeBin, { recursive: true });
  await symlink(process.execPath, join(nodeBin, 'node'));
  const path = `${bin}:${nodeBin}`;
  const env = { ...sb.env, PATH: path };
  const e: E2eSandbox = { ...sb, env, root, bin, path };
  if (opts.openclaw ?? true) await installOpenclawStub(e);
  const docker = opts.docker ?? 'empty';
  if (docker === 'empty') await stub(e, 'docker', 'if [ "$1" = ps ]; then exit 0; fi\necho "unexpected docker $*" >&2\nexit 1');
  else if (docker !== 'none') await stub(e, 'docker', docker.script);
  return e;
}

/** A `#!/bin/sh` script in the sandbox bin (absolute interpreter path: PATH has no /bin). */
export async function stub(sb: E2eSandbox, name: string, body: string): Promise<string> {
  const file = join(sb.bin, name);
  await writeFile(file, `#!/bin/sh\n${body}\n`);
  await chmod(file, 0o755);
  return file;
}

/** bin/openclaw → lib/node_modules/openclaw/openclaw.mjs, so the wizard reads version 2026.9.6. */
async function installOpenclawStub(sb: E2eSandbox): Promise<void> {
  const pkg = join(sb.root, 'lib', 'node_modules', 'openclaw');
  await mkdir(pkg, { recursive: true });
  await writeFile(join(pkg, 'package.json'), JSON.stringify({ name: 'openclaw', version: '2026.9.6' }));
  await writeFile(join(pkg, 'openclaw.mjs'), '#!/bin/sh\necho "openclaw stub: $*" >&2\nexit 3\n');
  await chmod(join(pkg, 'openclaw.mjs'), 0o755);
  await symlink(join(pkg, 'openclaw.mjs'), join(sb.bin, 'openclaw'));
}

/** Write the config as JSON; `logging.file` points at the sandbox log unless given. */
export async function writeConfig(sb: E2eSandbox, cfg: Record<string, unknown>): Promise<void> {
  const logging = (cfg.logging as Record<string, unknown> | undefined) ?? {};
  await writeFile(sb.configPath, JSON.stringify({ ...cfg, logging: { file: sb.logFile, ...logging } }, null, 2) + '\n');
}

/** No raw token anywhere in what the wizard printed, and no stack trace. */
export function expectClean(r: CliRun, secrets: string[]): void {
  expectNoLeak(r, secrets);
  expect(r.stderr).not.toMatch(/^ {4}at /m);
  expect(r.stdout).not.toMatch(/^ {4}at /m);
}

export function findingOf(report: DiagnosisReport, id: string) {
  const f = report.findings.find((x) => x.id === id);
  expect(f, `finding ${id} in ${report.findings.map((x) => x.id).join(', ')}`).toBeDefined();
  return f!;
}

export function sourceOf(report: DiagnosisReport, id: string) {
  const s = report.sources.find((x) => x.id === id);
  expect(s, `source ${id} in ${report.sources.map((x) => x.id).join(', ')}`).toBeDefined();
  return s!;
}

export function checkOf(report: DiagnosisReport, id: string) {
  const c = report.checks.find((x) => x.id === id);
  expect(c, `check ${id}`).toBeDefined();
  return c!;
}

// ------------------------------------------------------------------------- helper processes

export interface HelperProcess {
  pid: number;
  port: number;
  stop(): Promise<void>;
}

/**
 * Start `node <file>` (a script written into the sandbox), wait for its `ready <port>` line, and
 * register a cleanup that ends it by its own pid. `input` goes to its stdin (options that must
 * not show up in /proc/<pid>/cmdline, which the wizard reads and may print).
 */
async function startHelper(file: string, env: NodeJS.ProcessEnv, input: string): Promise<HelperProcess> {
  const child: ResultPromise = execa(process.execPath, [file], { env, extendEnv: false, input, reject: false, stdout: 'pipe', stderr: 'pipe' });
  const pid = child.pid!;
  const port = await new Promise<number>((resolvePort, reject) => {
    let buf = '';
    const timer = setTimeout(() => reject(new Error(`${file} did not become ready`)), 10_000);
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      const m = /ready (\d+)/.exec(buf);
      if (m) {
        clearTimeout(timer);
        resolvePort(Number(m[1]));
      }
    });
    void child
      .catch(() => undefined)
      .then(() => {
        clearTimeout(timer);
        reject(new Error(`${file} exited before it was ready`));
      });
  });
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    process.kill(pid, 'SIGTERM');
    await child.catch(() => undefined);
  };
  cleanups.push(stop);
  return { pid, port, stop };
}

/**
 * The fake gateway in its own process, named like the real one (`openclaw-gateway.mjs` in its
 * command line) and started with `env`: the wizard's listener check then sees an OpenClaw gateway
 * whose HOME (from /proc/<pid>/environ) is the sandbox's, exactly as with a real gateway.
 */
export async function startGatewayProcess(sb: E2eSandbox, opts: FakeGatewayOptions, env: NodeJS.ProcessEnv = sb.env): Promise<HelperProcess> {
  const file = join(sb.root, 'openclaw-gateway.mjs');
  await writeFile(
    file,
    [
      `import { text } from 'node:stream/consumers';`,
      `const { startFakeGateway } = await import(${JSON.stringify(FAKE_GATEWAY_DIST)});`,
      `const gw = await startFakeGateway(JSON.parse(await text(process.stdin)));`,
      `process.on('SIGTERM', () => gw.close().then(() => process.exit(0)));`,
      `process.stdout.write('ready ' + gw.port + '\\n');`,
    ].join('\n'),
  );
  return startHelper(file, env, JSON.stringify({ host: '127.0.0.1', ...opts }));
}

/** A plain HTTP server (not a gateway) holding a port, in its own process. */
export async function startHttpServerProcess(sb: E2eSandbox, port: number): Promise<HelperProcess> {
  const file = join(sb.root, 'plain-http-server.mjs');
  await writeFile(
    file,
    [
      `import { createServer } from 'node:http';`,
      `const srv = createServer((req, res) => { res.writeHead(404, { 'content-type': 'text/plain' }); res.end('Not Found'); });`,
      `srv.listen(${port}, '127.0.0.1', () => process.stdout.write('ready ' + srv.address().port + '\\n'));`,
      `process.on('SIGTERM', () => { srv.closeAllConnections(); srv.close(() => process.exit(0)); });`,
    ].join('\n'),
  );
  return startHelper(file, sb.env, '');
}

/** A TCP server that accepts connections and never sends a byte, in its own process. */
export async function startSilentTcpProcess(sb: E2eSandbox, port: number): Promise<HelperProcess> {
  const file = join(sb.root, 'silent-tcp-server.mjs');
  await writeFile(
    file,
    [
      `import { createServer } from 'node:net';`,
      `const socks = new Set();`,
      `const srv = createServer((s) => { socks.add(s); s.on('error', () => {}); });`,
      `srv.listen(${port}, '127.0.0.1', () => process.stdout.write('ready ' + srv.address().port + '\\n'));`,
      `process.on('SIGTERM', () => { for (const s of socks) s.destroy(); srv.close(() => process.exit(0)); });`,
    ].join('\n'),
  );
  return startHelper(file, sb.env, '');
}

/** Real path of the sandbox root (tmpdir may be a symlink), for normalising output. */
export function realRoot(sb: E2eSandbox): string {
  try {
    return realpathSync(sb.root);
  } catch {
    return sb.root;
  }
}
