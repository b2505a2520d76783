// A compose project shaped like OpenClaw's own (service `openclaw-gateway`, config dir mounted at
// /home/node/.openclaw, OPENCLAW_* variables in the project `.env`, the gateway port published on
// 127.0.0.1 only), in a temp dir, run on the suite's private engine with the real `docker-compose`.
// down() removes its containers, network and volumes, then the temp dir.
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { engineEnv } from './docker-engine.js';
import { sleep } from './sleep.js';
import { CONTAINER_PORT, CONTAINER_STATE_DIR } from './docker-image.js';
import { freePort } from './sandbox.js';

/** Compose v1 (Debian's docker-compose) is what this machine has; the v2 plugin is not installed. */
export const COMPOSE = ['docker-compose'] as const;
export const SERVICE = 'openclaw-gateway';
const NODE_UID = 1000;

export interface ProjectOptions {
  dockerHost: string;
  image: string;
  /** gateway.auth.token in the mounted openclaw.json (null: none). */
  configToken: string | null;
  /** OPENCLAW_GATEWAY_TOKEN in the project .env (null: the line is absent). */
  envToken: string | null;
  /** Compose restart policy (OpenClaw's file uses unless-stopped). */
  restart?: 'no' | 'always' | 'unless-stopped';
  /** Deep-merged into gateway.* of the config, e.g. { controlUi: { allowedOrigins: [...] } }. */
  gatewayConfig?: Record<string, unknown>;
  /** gateway.controlUi.allowedOrigins; the word 'published-port' stands for http://127.0.0.1:HOSTPORT. */
  allowOrigins?: string[];
}

export interface ComposeProject {
  name: string;
  dir: string;
  composeFile: string;
  envFile: string;
  /** Host dir mounted at /home/node/.openclaw. */
  configDir: string;
  configPath: string;
  hostPort: number;
  /** Env for docker / docker-compose (DOCKER_HOST = the private engine). */
  env: NodeJS.ProcessEnv;
  compose(args: string[], timeoutMs?: number): Promise<{ exitCode: number; stdout: string; stderr: string }>;
  up(): Promise<void>;
  /** Waits for GET /readyz 200 through the published port; throws with the container's log tail. */
  waitReady(timeoutMs?: number): Promise<number>;
  containerId(): Promise<string>;
  logs(tail?: number): Promise<string>;
  writeEnv(token: string | null): void;
  down(): Promise<void>;
}

const live = new Set<ComposeProject>();

function composeYaml(restart: string): string {
  return [
    'services:',
    `  ${SERVICE}:`,
    '    image: ${OPENCLAW_IMAGE}',
    '    environment:',
    '      HOME: /home/node',
    '      TERM: xterm-256color',
    '      OPENCLAW_GATEWAY_TOKEN: ${OPENCLAW_GATEWAY_TOKEN}',
    '    volumes:',
    `      - \${OPENCLAW_CONFIG_DIR}:${CONTAINER_STATE_DIR}`,
    '    ports:',
    `      - "127.0.0.1:\${OPENCLAW_GATEWAY_PORT:-18789}:${CONTAINER_PORT}"`,
    `    command: ["openclaw", "gateway", "run", "--bind", "lan", "--port", "${CONTAINER_PORT}"]`,
    `    restart: ${restart}`,
    '',
  ].join('\n');
}

export async function createComposeProject(opts: ProjectOptions): Promise<ComposeProject> {
  const dir = mkdtempSync(join(tmpdir(), 'otw-compose-'));
  const name = `otw${randomBytes(4).toString('hex')}`;
  const configDir = join(dir, 'openclaw-config');
  const configPath = join(configDir, 'openclaw.json');
  const composeFile = join(dir, 'docker-compose.yml');
  const envFile = join(dir, '.env');
  const hostPort = await freePort();
  const image = opts.image;
  mkdirSync(configDir, { mode: 0o700 });
  const auth = opts.configToken === null ? { mode: 'token' } : { mode: 'token', token: opts.configToken };
  const origins = opts.allowOrigins?.map((o) => (o === 'published-port' ? `http://127.0.0.1:${hostPort}` : o));
  const gateway = { mode: 'local', bind: 'lan', port: CONTAINER_PORT, auth, ...(origins ? { controlUi: { allowedOrigins: origins } } : {}), ...(opts.gatewayConfig ?? {}) };
  writeFileSync(configPath, JSON.stringify({ gateway }, null, 2) + '\n', { mode: 0o600 });
  // The container runs as uid 1000 (like OpenClaw's image) and writes its state next to the config.
  chownSync(configDir, NODE_UID, NODE_UID);
  chownSync(configPath, NODE_UID, NODE_UID);
  writeFileSync(composeFile, composeYaml(opts.restart ?? 'unless-stopped'));
  const env = engineEnv(opts.dockerHost);
  for (const k of Object.keys(env)) if (/^OPENCLAW_/.test(k)) delete env[k];
  const writeEnv = (token: string | null) => {
    const lines = [`OPENCLAW_IMAGE=${image}`, `OPENCLAW_CONFIG_DIR=${configDir}`, `OPENCLAW_GATEWAY_PORT=${hostPort}`];
    if (token !== null) lines.push(`OPENCLAW_GATEWAY_TOKEN=${token}`);
    writeFileSync(envFile, lines.join('\n') + '\n', { mode: 0o600 });
  };
  writeEnv(opts.envToken);
  chmodSync(dir, 0o755);

  const compose: ComposeProject['compose'] = async (args, timeoutMs = 120_000) => {
    const r = await execa(COMPOSE[0], ['-p', name, '-f', composeFile, ...args], { cwd: dir, env, reject: false, timeout: timeoutMs });
    return { exitCode: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
  };
  const containerId = async () => {
    const r = await compose(['ps', '-q', SERVICE]);
    const id = r.stdout.trim().split('\n')[0] ?? '';
    if (!id) throw new Error(`compose project ${name}: no container for ${SERVICE} (${r.stderr.trim()})`);
    return id;
  };
  const logs = async (tail = 40) => {
    const r = await execa('docker', ['logs', '--tail', String(tail), await containerId()], { env, reject: false, timeout: 30_000 });
    return `${r.stdout}\n${r.stderr}`;
  };
  const project: ComposeProject = {
    name,
    dir,
    composeFile,
    envFile,
    configDir,
    configPath,
    hostPort,
    env,
    compose,
    writeEnv,
    containerId,
    logs,
    up: async () => {
      const r = await compose(['up', '-d']);
      if (r.exitCode !== 0) throw new Error(`docker-compose up -d failed (exit ${r.exitCode}): ${r.stderr.slice(-800)}`);
    },
    waitReady: async (timeoutMs = 120_000) => {
      const t0 = Date.now();
      for (;;) {
        const status = await fetch(`http://127.0.0.1:${hostPort}/readyz`, { signal: AbortSignal.timeout(2_000) })
          .then(async (r) => (await r.body?.cancel(), r.status))
          .catch(() => null);
        if (status === 200) return Date.now() - t0;
        if (Date.now() - t0 > timeoutMs) throw new Error(`gateway of ${name} not ready in ${timeoutMs} ms; log:\n${(await logs(30).catch(() => '')).slice(-3000)}`);
        await sleep(250);
      }
    },
    down: async () => {
      live.delete(project);
      const r = await compose(['down', '-v', '--remove-orphans', '--timeout', '5']);
      rmSync(dir, { recursive: true, force: true });
      if (r.exitCode !== 0) throw new Error(`docker-compose down failed for ${name} (exit ${r.exitCode}): ${r.stderr.slice(-800)}`);
    },
  };
  live.add(project);
  return project;
}

/** For afterAll: takes down every project a test created and did not take down itself. */
export async function downAllProjects(): Promise<void> {
  const errors: unknown[] = [];
  for (const p of [...live]) await p.down().catch((e) => errors.push(e));
  if (errors.length) throw errors[0];
}
