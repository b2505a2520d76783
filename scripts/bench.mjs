#!/usr/bin/env node
// Benchmark: the wizard's `diagnose --json` against `openclaw gateway status --json`, both against
// the same real openclaw gateway (installed by scripts/setup-real.mjs), in a throw-away HOME on a
// free loopback port. Prints medians and the ratio, plus diagnose with a rejected config token.
//   npm run bench                 (build + setup-real + this)
//   BENCH_RUNS=7 BENCH_STATUS_RUNS=3 node scripts/bench.mjs
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, openSync, closeSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const WIZARD = join(ROOT, 'bin', 'openclaw-token-wizard.js');
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const STATUS_RUNS = Number(process.env.BENCH_STATUS_RUNS ?? 3);
const cache = process.env.OPENCLAW_WIZARD_CACHE || join(homedir(), '.cache', 'openclaw-token-wizard');
const marker = JSON.parse(readFileSync(join(cache, 'setup-real.json'), 'utf8'));
const OPENCLAW = marker.openclaw.bin;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const fakeToken = (label) => (`test-token-${label}-` + 'x'.repeat(48)).slice(0, 48);

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** A user's env: no test-runner markers (openclaw changes behaviour on them), no real OpenClaw settings. */
function envFor(home) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(OPENCLAW_|CLAWDBOT_|MOLTBOT_|VITEST|TINYPOOL_|JEST_WORKER_ID$|TEST$)/.test(k)) continue;
    if (k === 'NODE_ENV' && v === 'test') continue;
    env[k] = v;
  }
  return { ...env, HOME: home, NO_COLOR: '1', PATH: `${dirname(OPENCLAW)}:${env.PATH ?? '/usr/bin:/bin'}` };
}

function sandbox(prefix, port, token) {
  const root = mkdtempSync(join(tmpdir(), prefix));
  const home = join(root, 'home');
  const work = join(root, 'work');
  mkdirSync(join(home, '.openclaw'), { recursive: true });
  mkdirSync(work, { recursive: true });
  const cfg = { gateway: { bind: 'loopback', port, mode: 'local', auth: { mode: 'token', token } }, logging: { file: join(root, 'gateway.log') } };
  writeFileSync(join(home, '.openclaw', 'openclaw.json'), JSON.stringify(cfg, null, 2) + '\n', { mode: 0o600 });
  return { root, home, work };
}

/** Every live process whose environment carries HOME=<home>: the gateway and its helpers. */
function pidsWithHome(home) {
  const out = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      if (!readFileSync(`/proc/${name}/environ`, 'latin1').split('\0').includes(`HOME=${home}`)) continue;
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
      if (state !== 'Z' && state !== 'X') out.push(Number(name));
    } catch {
      /* not ours or gone */
    }
  }
  return out;
}

async function stopByPid(home) {
  const signal = (sig) => {
    for (const p of pidsWithHome(home)) {
      try {
        process.kill(p, sig);
      } catch {
        /* gone */
      }
    }
  };
  signal('SIGTERM');
  const deadline = Date.now() + 8000;
  while (pidsWithHome(home).length && Date.now() < deadline) await sleep(100);
  if (pidsWithHome(home).length) signal('SIGKILL');
}

async function readyz(port) {
  try {
    const r = await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(2000) });
    await r.body?.cancel();
    return r.status;
  } catch {
    return null;
  }
}

function timeRun(cmd, args, sb) {
  const t0 = performance.now();
  let code = 0;
  let stdout = '';
  try {
    stdout = execFileSync(cmd, args, { env: envFor(sb.home), cwd: sb.work, stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 }).toString();
  } catch (e) {
    code = e.status ?? -1;
    stdout = String(e.stdout ?? '');
  }
  return { ms: performance.now() - t0, code, stdout };
}

const port = await freePort();
const token = fakeToken('bench');
const good = sandbox('otw-bench-', port, token);
const bad = sandbox('otw-bench-wrong-', port, fakeToken('bench-wrong'));
let exitCode = 0;
try {
  const out = openSync(join(good.root, 'gateway.out'), 'a');
  const t0 = Date.now();
  const child = spawn(OPENCLAW, ['gateway', 'run', '--port', String(port), '--bind', 'loopback'], { env: envFor(good.home), cwd: good.work, detached: true, stdio: ['ignore', out, out] });
  closeSync(out);
  child.unref();
  while ((await readyz(port)) !== 200) {
    if (Date.now() - t0 > 120_000) throw new Error('gateway not ready after 120 s');
    await sleep(200);
  }
  const startMs = Date.now() - t0;
  console.log(`openclaw ${marker.openclaw.version} gateway ready on 127.0.0.1:${port} in ${(startMs / 1000).toFixed(1)} s (node ${process.version}, ${process.platform})`);

  // One unmeasured run each: file caches warm, like a person's second try.
  timeRun(process.execPath, [WIZARD, 'diagnose', '--json'], good);
  const diag = [];
  for (let i = 0; i < RUNS; i++) {
    const r = timeRun(process.execPath, [WIZARD, 'diagnose', '--json'], good);
    if (r.code !== 0 || !JSON.parse(r.stdout).healthy) throw new Error(`diagnose on the healthy gateway: exit ${r.code}`);
    diag.push(r.ms);
  }
  const status = [];
  for (let i = 0; i < STATUS_RUNS; i++) status.push(timeRun(OPENCLAW, ['gateway', 'status', '--json'], good).ms);
  const failing = [];
  for (let i = 0; i < RUNS; i++) {
    const r = timeRun(process.execPath, [WIZARD, 'diagnose', '--json'], bad);
    const ids = JSON.parse(r.stdout).findings.map((f) => f.id);
    if (!ids.includes('gateway-rejects-config-token')) throw new Error(`diagnose with a wrong token found ${ids.join(', ')}`);
    failing.push(r.ms);
  }
  const fmt = (xs) => xs.map((x) => (x / 1000).toFixed(2)).join(' ');
  const d = median(diag);
  const s = median(status);
  console.log(`diagnose --json (healthy)        median ${(d / 1000).toFixed(2)} s  runs: ${fmt(diag)}`);
  console.log(`openclaw gateway status --json   median ${(s / 1000).toFixed(2)} s  runs: ${fmt(status)}`);
  console.log(`ratio status/diagnose            ${(s / d).toFixed(1)}x`);
  console.log(`diagnose --json (wrong token)    median ${(median(failing) / 1000).toFixed(2)} s  runs: ${fmt(failing)}`);
  console.log("  (each rejected probe waits for the gateway's loopback penalty: 250 ms doubling to 5 s over repeated failures in a minute)");
} catch (e) {
  console.error(`bench failed: ${e.message}`);
  exitCode = 1;
} finally {
  await stopByPid(good.home);
  const left = pidsWithHome(good.home);
  if (left.length) console.error(`processes left: ${left.join(', ')}`);
  rmSync(good.root, { recursive: true, force: true });
  rmSync(bad.root, { recursive: true, force: true });
}
process.exit(exitCode);
