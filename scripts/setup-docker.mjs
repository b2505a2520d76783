#!/usr/bin/env node
// Prepares what the `docker` test suite needs, outside the repo, idempotently:
//   system tools       dockerd + docker client, docker-compose (v1, Debian's), debootstrap, ip, tar
//                      (installed with apt-get only when we are root and they are missing)
//   <cache>/docker/rootfs-<key>/  the gateway image's root file system: Debian bookworm minbase
//                      (debootstrap), Node 24 and openclaw from the real suite's cache (setup-real.mjs),
//                      a `node` user (uid 1000, like OpenClaw's own image) and an `openclaw` wrapper.
//   <cache>/docker/setup-docker.json  marker with the key, the image tag and how the rootfs was made.
// The test support (test/support/docker-image.ts) imports that directory with `docker import` into the
// private engine once; the image tag carries the key, so a version change builds a new image.
// No registry is reachable here: nothing is pulled, everything comes from Debian's mirror and npm.
import { chmodSync, chownSync, existsSync, mkdirSync, renameSync, rmSync, writeFileSync, appendFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { cache, readJson, which, setupTools } from './setup-lib.mjs';

const { log, fail, run } = setupTools('setup-docker');

const SCHEMA = 1;
const SUITE = 'bookworm';
const MIRROR = process.env.OTW_DEBIAN_MIRROR || 'http://deb.debian.org/debian';

const started = Date.now();
const dockerCache = join(cache, 'docker');
const markerPath = join(dockerCache, 'setup-docker.json');

// ---------------------------------------------------------------- system tools
function ensureSystemTools() {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  // dockerd must run as root (it creates bridges, iptables rules and mounts): no rootless fallback.
  if (!isRoot) fail('the docker suite starts its own dockerd, which needs root', 'sudo npm run test:docker');
  const wanted = [
    ['dockerd', 'docker.io'],
    ['docker', 'docker.io'],
    ['docker-compose', 'docker-compose'],
    ['debootstrap', 'debootstrap'],
    ['ip', 'iproute2'],
  ];
  const missing = [...new Set(wanted.filter(([bin]) => !which(bin)).map(([, pkg]) => pkg))];
  if (missing.length === 0) return;
  const cmd = `apt-get update && apt-get install -y ${missing.join(' ')}`;
  if (!which('apt-get')) fail(`missing ${missing.join(', ')}`, cmd);
  log(`installing ${missing.join(' ')} with apt-get`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (run('apt-get', ['update', '-qq'], { env }) !== 0) fail('apt-get update failed', cmd);
  if (run('apt-get', ['install', '-y', '-qq', ...missing], { env }) !== 0) fail('apt-get install failed', cmd);
  const still = wanted.filter(([bin]) => !which(bin)).map(([bin]) => bin);
  if (still.length) fail(`still missing after apt-get: ${still.join(', ')}`, cmd);
}

// ---------------------------------------------------------------- rootfs
function realSuiteMarker() {
  const m = readJson(join(cache, 'setup-real.json'));
  if (!m?.node24?.path || !m?.openclaw?.entry || !existsSync(m.node24.path) || !existsSync(m.openclaw.entry)) {
    fail(`the real suite's cache is missing (${join(cache, 'setup-real.json')})`, 'node scripts/setup-real.mjs');
  }
  return m;
}

/** What the image is made of; any change gives a new directory and a new image tag. */
function imageKey(real) {
  const node = real.node24.version.replace(/^v/, '');
  return `oc${real.openclaw.version}-node${node}-${SUITE}-s${SCHEMA}`;
}

/** Debian minbase into `dir` (about 20-35 s from the mirror). */
function debootstrap(dir) {
  log(`debootstrap --variant=minbase ${SUITE} from ${MIRROR}`);
  const t0 = Date.now();
  const st = run('debootstrap', ['--variant=minbase', SUITE, dir, MIRROR], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (st !== 0) fail(`debootstrap exited ${st}`, `debootstrap --variant=minbase ${SUITE} /tmp/rootfs ${MIRROR}`);
  return Date.now() - t0;
}

/**
 * Node 24 and openclaw go in as hard links (same file system as the cache: instant, no extra
 * space); the npm packages are never modified in place, so sharing inodes is safe.
 */
function addOpenClaw(dir, real) {
  const ocNodeModules = join(cache, 'oc', 'node_modules');
  const entryRel = real.openclaw.entry.slice(ocNodeModules.length + 1); // openclaw/openclaw.mjs
  if (!real.openclaw.entry.startsWith(ocNodeModules + '/')) fail(`unexpected openclaw entry ${real.openclaw.entry}`);
  mkdirSync(join(dir, 'opt/node/bin'), { recursive: true });
  mkdirSync(join(dir, 'opt/openclaw'), { recursive: true });
  if (run('cp', ['-al', real.node24.path, join(dir, 'opt/node/bin/node')]) !== 0) fail('copying node failed');
  if (run('cp', ['-al', ocNodeModules, join(dir, 'opt/openclaw/')]) !== 0) fail('copying openclaw failed');
  const wrapper = join(dir, 'usr/local/bin/openclaw');
  writeFileSync(wrapper, `#!/bin/sh\nexec /opt/node/bin/node /opt/openclaw/node_modules/${entryRel} "$@"\n`);
  chmodSync(wrapper, 0o755);
  symlinkSync('/opt/node/bin/node', join(dir, 'usr/local/bin/node'));
  // OpenClaw's image runs as `node` (uid 1000) with HOME=/home/node; so does this one.
  appendFileSync(join(dir, 'etc/passwd'), 'node:x:1000:1000:node:/home/node:/bin/sh\n');
  appendFileSync(join(dir, 'etc/group'), 'node:x:1000:\n');
  mkdirSync(join(dir, 'home/node'), { recursive: true });
  chownSync(join(dir, 'home/node'), 1000, 1000);
}

function ensureRootfs(real, key) {
  const dir = join(dockerCache, `rootfs-${key}`);
  const prev = readJson(markerPath);
  if (prev?.key === key && existsSync(join(dir, 'usr/local/bin/openclaw'))) return { dir, builtMs: null, debootstrapMs: null };
  mkdirSync(dockerCache, { recursive: true });
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  const t0 = Date.now();
  const debootstrapMs = debootstrap(tmp);
  addOpenClaw(tmp, real);
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir); // a half-built rootfs never carries the final name
  return { dir, builtMs: Date.now() - t0, debootstrapMs };
}

// ---------------------------------------------------------------- main
ensureSystemTools();
const real = realSuiteMarker();
const key = imageKey(real);
const rootfs = ensureRootfs(real, key);
const marker = {
  schema: SCHEMA,
  key,
  image: `otw-openclaw-gateway:${key}`,
  rootfs: rootfs.dir,
  openclaw: real.openclaw.version,
  node: real.node24.version,
  suite: SUITE,
  builtAt: rootfs.builtMs === null ? (readJson(markerPath)?.builtAt ?? null) : new Date().toISOString(),
  rootfsBuildMs: rootfs.builtMs ?? readJson(markerPath)?.rootfsBuildMs ?? null,
  debootstrapMs: rootfs.debootstrapMs ?? readJson(markerPath)?.debootstrapMs ?? null,
};
writeFileSync(markerPath, JSON.stringify(marker, null, 2) + '\n');
const secs = ((Date.now() - started) / 1000).toFixed(1);
const how = rootfs.builtMs === null ? 'reused' : `built (debootstrap ${(rootfs.debootstrapMs / 1000).toFixed(1)} s)`;
console.log(`setup-docker: rootfs ${how} in ${secs}s: image ${marker.image}; ${rootfs.dir}`);
