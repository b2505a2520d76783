// Which state dir does a running gateway use? On the REAL openclaw@2026.9.6, a gateway started
// with `openclaw --dev gateway run` or `openclaw --profile work gateway run` renames itself
// `openclaw-gateway` and keeps only HOME/PATH in its environment, so HOME alone points at
// ~/.openclaw. readListeners must read what the process has open (its lock, its state database)
// and attribute each listener to ~/.openclaw-dev and ~/.openclaw-work.
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveStateDir, parseCmdline, parseEnviron, readListeners } from '../../src/facts/listeners.js';
import { listenerPids, pidsWithHome, portIsListening, realEnv, realOpenClaw } from '../support/real-openclaw.js';
import { fakeToken, freePort, makeSandbox, type Sandbox } from '../support/sandbox.js';

interface Started {
  flag: string[];
  stateDir: string;
  port: number;
  launcherPid: number;
  out: string;
}

/** Writes `<stateDir>/openclaw.json` and starts `openclaw <flag> gateway run` detached in the sandbox. */
function startProfileGateway(sb: Sandbox, flag: string[], stateDirName: string, port: number): Started {
  const stateDir = join(sb.home, stateDirName);
  mkdirSync(stateDir, { recursive: true });
  const cfg = { gateway: { mode: 'local', bind: 'loopback', port, auth: { mode: 'token', token: fakeToken(stateDirName.slice(1)) } }, logging: { file: join(sb.cwd, `${stateDirName}.log`) } };
  writeFileSync(join(stateDir, 'openclaw.json'), JSON.stringify(cfg, null, 2) + '\n', { mode: 0o600 });
  const out = join(sb.cwd, `${stateDirName}.out`);
  const fd = openSync(out, 'a');
  const child = spawn(realOpenClaw().bin, [...flag, 'gateway', 'run', '--port', String(port), '--bind', 'loopback'], {
    cwd: sb.cwd,
    env: realEnv(sb),
    detached: true,
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  child.unref();
  return { flag, stateDir, port, launcherPid: child.pid ?? -1, out };
}

async function waitReady(g: Started, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const status = await fetch(`http://127.0.0.1:${g.port}/readyz`, { signal: AbortSignal.timeout(2_000) })
      .then(async (r) => (await r.body?.cancel(), r.status))
      .catch(() => null);
    if (status === 200) return;
    await sleep(500);
  }
  const tail = (() => {
    try {
      return readFileSync(g.out, 'utf8').split('\n').slice(-30).join('\n');
    } catch {
      return '';
    }
  })();
  throw new Error(`openclaw ${g.flag.join(' ')} gateway not ready on ${g.port} after ${timeoutMs} ms:\n${tail}`);
}

/**
 * Stops every process of the sandbox by pid: the launchers, the gateways and their helpers all carry
 * the sandbox HOME in their environment (the listeners too: checked before signalling anything).
 */
async function stopSandboxGateways(sb: Sandbox, gws: Started[]): Promise<void> {
  const owned = async () => pidsWithHome(sb.home).filter((p) => p !== process.pid);
  for (const g of gws) {
    const strangers = (await listenerPids(g.port)).filter((p) => !pidsWithHome(sb.home).includes(p));
    if (strangers.length) throw new Error(`port ${g.port} is held by processes outside the sandbox: ${strangers.join(', ')}`);
  }
  const signal = (pids: number[], sig: NodeJS.Signals) => {
    for (const p of pids) {
      try {
        process.kill(p, sig);
      } catch {
        /* gone */
      }
    }
  };
  signal(await owned(), 'SIGTERM');
  const deadline = Date.now() + 8_000;
  let left = await owned();
  while (left.length && Date.now() < deadline) {
    await sleep(200);
    left = await owned();
  }
  if (left.length) signal(left, 'SIGKILL');
  for (let i = 0; i < 30 && (await owned()).length; i++) await sleep(100);
}

describe('readListeners attributes real --dev / --profile gateways to their state dirs', () => {
  let sb: Sandbox;
  let dev: Started;
  let work: Started;

  beforeAll(async () => {
    sb = await makeSandbox('otw-real-statedir-');
    // Both in ONE home: HOME cannot tell them apart, only what each process has open can.
    dev = startProfileGateway(sb, ['--dev'], '.openclaw-dev', await freePort());
    work = startProfileGateway(sb, ['--profile', 'work'], '.openclaw-work', await freePort());
    try {
      await Promise.all([waitReady(dev, 180_000), waitReady(work, 180_000)]);
    } catch (err) {
      await stopSandboxGateways(sb, [dev, work]);
      throw err;
    }
  });

  afterAll(async () => {
    if (sb) {
      await stopSandboxGateways(sb, [dev, work].filter(Boolean));
      expect(pidsWithHome(sb.home)).toEqual([]);
      for (const g of [dev, work].filter(Boolean)) expect(await portIsListening(g.port)).toBe(false);
      await sb.cleanup();
    }
  });

  for (const which of ['dev', 'work'] as const) {
    it(`the ${which} gateway's listener is attributed to ~/.openclaw-${which}, not ~/.openclaw`, async () => {
      const g = which === 'dev' ? dev : work;
      const facts = await readListeners({ port: g.port, host: '127.0.0.1', env: realEnv(sb), stateDirs: [], timeoutMs: 5_000 });
      expect(facts.error).toBeNull();
      // Found from its live lock and its own descriptors, without `ss -p` walking every process.
      expect(facts.method).toBe('proc');
      expect(facts.listeners.length).toBeGreaterThan(0);
      for (const l of facts.listeners) {
        expect(l).toMatchObject({ isGateway: true, stateDir: g.stateDir, home: sb.home });
        expect(['open-lock', 'open-state-db']).toContain(l.stateDirSource);
        if (l.stateDirSource === 'open-lock') expect(l.configPath).toBe(join(g.stateDir, 'openclaw.json'));
        // The premise: its environment and title alone would have said ~/.openclaw.
        const pid = l.pid as number;
        const fromEnv = deriveStateDir(parseEnviron(readFileSync(`/proc/${pid}/environ`, 'latin1')), parseCmdline(readFileSync(`/proc/${pid}/cmdline`, 'latin1')));
        expect(fromEnv.stateDir).toBe(join(sb.home, '.openclaw'));
      }
      // The other profile's gateway is seen as another gateway, with its own state dir.
      const other = which === 'dev' ? work : dev;
      expect(facts.otherGateways.some((o) => o.stateDir === other.stateDir && o.address.includes(String(other.port)))).toBe(true);
    });
  }
});
