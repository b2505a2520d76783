// The OpenClaw gateway image for the `docker` suite, built without any registry: the root file
// system scripts/setup-docker.mjs prepared (Debian minbase + Node 24 + openclaw) is streamed
// through tar into `docker import`. The tag carries the versions, so the image is built once and
// reused by every later run of the private engine (its data root is persistent).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { dockerCacheDir } from './docker-engine.js';

/** Where the gateway keeps its state in OpenClaw's own image (and ours). */
export const CONTAINER_HOME = '/home/node';
export const CONTAINER_STATE_DIR = `${CONTAINER_HOME}/.openclaw`;
/** The port the gateway listens on inside the container (OpenClaw's compose file uses 18789). */
export const CONTAINER_PORT = 18789;

export interface GatewayImage {
  tag: string;
  /** True when this call imported it; false when the engine already had it. */
  built: boolean;
  ms: number;
}

interface Marker {
  image: string;
  rootfs: string;
  key: string;
}

function readMarker(): Marker {
  const path = join(dockerCacheDir(), 'setup-docker.json');
  const hint = 'run `node scripts/setup-docker.mjs` (or `npm run test:docker`, which runs it first)';
  let m: Partial<Marker>;
  try {
    m = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`the docker suite's image root file system is not prepared (${path}: ${(e as Error).message}); ${hint}`);
  }
  if (!m.image || !m.rootfs || !m.key || !existsSync(join(m.rootfs, 'usr/local/bin/openclaw'))) {
    throw new Error(`${path} points at a missing root file system; ${hint}`);
  }
  return m as Marker;
}

/** `tar -c rootfs | docker import - TAG`, with the image config OpenClaw's own image has. */
async function importRootfs(env: NodeJS.ProcessEnv, m: Marker): Promise<void> {
  const changes = [
    'USER node',
    `WORKDIR ${CONTAINER_HOME}`,
    `ENV HOME=${CONTAINER_HOME} PATH=/usr/local/bin:/usr/bin:/bin`,
    `EXPOSE ${CONTAINER_PORT}`,
    `CMD ["openclaw","gateway","run","--bind","lan","--port","${CONTAINER_PORT}"]`,
  ];
  const importArgs = ['import', ...changes.flatMap((c) => ['--change', c]), '-', m.image];
  const tar = spawn('tar', ['-C', m.rootfs, '--numeric-owner', '-c', '.'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const imp = execa('docker', importArgs, { env, input: tar.stdout, reject: false, timeout: 10 * 60_000 });
  let tarErr = '';
  tar.stderr.on('data', (d) => (tarErr += String(d)));
  const tarExit = new Promise<number | null>((resolve) => tar.once('close', (code) => resolve(code)));
  const [r, tarCode] = await Promise.all([imp, tarExit]);
  if (tarCode !== 0) throw new Error(`tar of ${m.rootfs} exited ${tarCode}: ${tarErr.slice(0, 400)}`);
  if (r.exitCode !== 0) throw new Error(`docker import failed (exit ${r.exitCode}): ${String(r.stderr).slice(0, 400)}`);
}

export async function ensureGatewayImage(env: NodeJS.ProcessEnv): Promise<GatewayImage> {
  const m = readMarker();
  const t0 = Date.now();
  const has = await execa('docker', ['image', 'inspect', '--format', '{{.Id}}', m.image], { env, reject: false, timeout: 30_000 });
  if (has.exitCode === 0) return { tag: m.image, built: false, ms: Date.now() - t0 };
  await importRootfs(env, m);
  // Older images of other keys are dead weight in the persistent data root.
  const old = await execa('docker', ['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}', m.image.split(':')[0]!], { env, reject: false });
  const stale = String(old.stdout)
    .split('\n')
    .filter((t) => t && t !== m.image);
  if (stale.length) await execa('docker', ['image', 'rm', ...stale], { env, reject: false });
  return { tag: m.image, built: true, ms: Date.now() - t0 };
}
