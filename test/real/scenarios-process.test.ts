// The wizard against the REAL openclaw@2026.9.6 where the problem is the process, not the token:
//   5: no gateway running, then the port held by a plain HTTP server;
//   6: gateway.mode remote / unset: the real gateway refuses to start; fix --yes sets it and starts it;
//   7: a stale gateway of another state dir holds the port with its own token.
// Gateway starts: one refused start (6), one started by the wizard (6), one stale gateway (7).
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { fakeToken, freePort, makeSandbox, type Sandbox } from '../support/sandbox.js';
import { listenerPids, pidsWithHome, portIsListening, startRealGateway, startRealGatewayExpectFailure, stopAllRealGateways, writeGatewayConfig } from '../support/real-openclaw.js';
import { ids, realTarget, wizard, type WizardRun } from '../support/real-wizard.js';
import { diagnoseJson } from '../support/cli.js';
import { expectNoLeak } from '../support/leaks.js';
import { sleep } from '../support/sleep.js';
import { probeGateway } from '../../src/gateway/probe.js';

const secrets = new Set<string>();

function expectNoToken(run: WizardRun): void {
  expectNoLeak(run, secrets);
}

/** Ends every process carrying the sandbox HOME (what the wizard started there), by pid. */
async function stopSandboxProcesses(home: string): Promise<void> {
  const signal = (sig: NodeJS.Signals) => {
    for (const p of pidsWithHome(home)) {
      try {
        process.kill(p, sig);
      } catch {
        /* gone */
      }
    }
  };
  signal('SIGTERM');
  const deadline = Date.now() + 8_000;
  while (pidsWithHome(home).length && Date.now() < deadline) await sleep(100);
  if (pidsWithHome(home).length) signal('SIGKILL');
  const killDeadline = Date.now() + 3_000;
  while (pidsWithHome(home).length && Date.now() < killDeadline) await sleep(100);
  expect(pidsWithHome(home)).toEqual([]);
}

afterAll(async () => {
  await stopAllRealGateways();
});

describe('scenario 5: gateway not running, then the port held by something else', () => {
  let sb: Sandbox;
  let server: ChildProcess | null = null;
  afterAll(async () => {
    if (server?.pid && server.exitCode === null) server.kill('SIGTERM');
    await sb?.cleanup();
  });

  it('nothing listens: gateway-not-running; a plain HTTP server on the port: port-occupied-by-other with its pid', async () => {
    sb = await makeSandbox('otw-real-s5-');
    const port = await freePort();
    const token = writeGatewayConfig(sb, { port, token: fakeToken('s5') })!;
    secrets.add(token);

    const d1 = await diagnoseJson(realTarget(sb));
    expectNoToken(d1);
    expect(d1.exitCode).toBe(1);
    expect(ids(d1.report)).toEqual(['gateway-not-running']);
    expect(d1.report.findings[0]!.evidence).toEqual([`probe ws://127.0.0.1:${port}: refused`, `port ${port} (config)`]);
    expect(d1.report.findings[0]!.fix[0]).toMatch(new RegExp(`^nohup openclaw gateway run --port ${port} --bind loopback > `));

    server = spawn(process.execPath, ['-e', `require('http').createServer((q,s)=>{s.writeHead(200,{'content-type':'text/plain'});s.end('not a gateway')}).listen(${port},'127.0.0.1')`], {
      stdio: 'ignore',
    });
    const deadline = Date.now() + 10_000;
    while (!(await portIsListening(port)) && Date.now() < deadline) await sleep(100);
    expect(await listenerPids(port)).toEqual([server.pid]);

    const d2 = await diagnoseJson(realTarget(sb));
    expectNoToken(d2);
    expect(ids(d2.report)).toEqual(['port-occupied-by-other']);
    const f = d2.report.findings[0]!;
    expect(f.detail).toContain(`pid ${server.pid}`);
    expect(f.detail).toContain('answers HTTP but is not a gateway');
    expect(f.evidence.join('\n')).toContain(`listener 127.0.0.1:${port} pid ${server.pid}`);
    // Stopping someone else's process is never implied by --yes.
    const fix = await wizard(sb, ['fix', '--yes']);
    expectNoToken(fix);
    expect(fix.stdout).toContain('Free the gateway port');
    expect(fix.stdout).toMatch(/needs an explicit answer/);
    expect(fix.exitCode).toBe(1);
    expect(server.exitCode).toBe(null);
    expect(await listenerPids(port)).toEqual([server.pid]);
  });
});

describe('scenario 6: gateway.mode not local on the gateway host', () => {
  let sb: Sandbox;
  afterAll(async () => {
    if (sb) await stopSandboxProcesses(sb.home);
    await sb?.cleanup();
  });

  it('remote, then unset: the real gateway refuses; gateway-mode-not-local; fix --yes sets local and starts the gateway', async () => {
    sb = await makeSandbox('otw-real-s6-');
    const port = await freePort();
    const token = writeGatewayConfig(sb, { port, token: fakeToken('s6'), mode: 'remote' })!;
    secrets.add(token);
    const dRemote = await diagnoseJson(realTarget(sb));
    expectNoToken(dRemote);
    expect(ids(dRemote.report)).toContain('gateway-mode-not-local');
    expect(dRemote.report.findings.find((f) => f.id === 'gateway-mode-not-local')!.evidence).toContain('gateway.mode=remote');

    const refused = await startRealGatewayExpectFailure(sb, { port, token, mode: null, timeoutMs: 180_000 });
    console.log(`[s6] mode unset: exit ${refused.exitCode} after ${refused.elapsedMs} ms`);
    expect(refused.exitCode).not.toBe(0);
    expect(refused.output).toContain('Gateway start blocked: existing config is missing gateway.mode');

    const d = await diagnoseJson(realTarget(sb));
    expectNoToken(d);
    expect(ids(d.report)).toEqual(['gateway-mode-not-local', 'gateway-not-running']);
    const f = d.report.findings.find((x) => x.id === 'gateway-mode-not-local')!;
    expect(f.evidence).toContain('gateway.mode unset');
    expect(f.fix[0]).toBe('openclaw config set gateway.mode local');

    const fix = await wizard(sb, ['fix', '--yes']);
    expectNoToken(fix);
    console.log(`[s6] fix --yes took ${fix.ms} ms (exit ${fix.exitCode})`);
    expect(fix.stdout).toContain('Set gateway.mode to local');
    expect(fix.stdout).toContain('Start the gateway');
    expect(fix.stdout).toContain('the gateway is up');
    expect(fix.exitCode).toBe(0);
    expect((JSON.parse(readFileSync(sb.configPath, 'utf8')) as { gateway: { mode: string } }).gateway.mode).toBe('local');
    expect((await probeGateway({ url: `ws://127.0.0.1:${port}`, token, timeoutMs: 8000 })).kind).toBe('hello-ok');
    const after = await diagnoseJson(realTarget(sb));
    expect(after.report.healthy).toBe(true);
    expect(ids(after.report)).toEqual([]);
  });
});

describe('scenario 7: a stale gateway of another state dir holds the port', () => {
  let user: Sandbox;
  let stale: Sandbox;
  afterAll(async () => {
    await stopAllRealGateways();
    await user?.cleanup();
    await stale?.cleanup();
  });

  it('multiple-gateways and gateway-rejects-config-token, with the listener pid and its config path', async () => {
    user = await makeSandbox('otw-real-s7user-');
    stale = await makeSandbox('otw-real-s7stale-');
    const port = await freePort();
    const mine = writeGatewayConfig(user, { port, token: fakeToken('s7-mine') })!;
    secrets.add(mine);
    const theirs = fakeToken('s7-stale');
    secrets.add(theirs);
    const gw = await startRealGateway(stale, { port, token: theirs, readyTimeoutMs: 180_000 });
    console.log(`[s7] stale gateway ready in ${gw.startMs} ms`);
    const [listener] = await listenerPids(port);
    expect(listener).toBeGreaterThan(0);

    const d = await diagnoseJson(realTarget(user));
    expectNoToken(d);
    expect(d.exitCode).toBe(1);
    expect(ids(d.report)).toEqual(['gateway-rejects-config-token', 'multiple-gateways']);
    const multi = d.report.findings.find((f) => f.id === 'multiple-gateways')!;
    expect(multi.detail).toContain(`pid ${listener}`);
    expect(multi.detail).toContain(stale.stateDir);
    expect(multi.detail).toContain(stale.configPath);
    expect(multi.evidence.join('\n')).toContain(`pid ${listener}`);
    expect(multi.fix[0]).toMatch(new RegExp(`^kill ${listener}\\b`));
    expect(d.report.findings.find((f) => f.id === 'gateway-rejects-config-token')!.detail).toContain(user.configPath);

    // Ending another gateway is never implied by --yes; the wizard shows the exact pid instead.
    const fix = await wizard(user, ['fix', '--yes']);
    expectNoToken(fix);
    expect(fix.stdout).toContain('Stop the stale gateway');
    expect(fix.stdout).toContain(`kill ${listener}`);
    expect(fix.exitCode).toBe(1);
    expect(await listenerPids(port)).toEqual([listener]);

    // Doing that step by hand (stopping the stale gateway) leaves the user's own problem: not running.
    await gw.stop();
    const d2 = await diagnoseJson(realTarget(user));
    expect(ids(d2.report)).toEqual(['gateway-not-running']);
  });
});
