/**
 * The demo scenarios end to end: the built CLI (`node bin/openclaw-token-wizard.js`, run `npx tsc
 * -p .` first) as a child process against each scenario's sandbox, with the fake `openclaw` first
 * on PATH. The CLI runs asynchronously on purpose: the scenario's gateway is our child, and a
 * blocked event loop (spawnSync) would leave it a zombie that still looks alive to `kill -0`.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { probeGateway } from '../../src/gateway/probe.js';
import { processesWithHome, SCENARIO_NAMES, SCENARIOS, startScenario, type DemoSandbox, type ScenarioName } from '../../src/demo/scenarios.js';
import { filesUnder } from '../support/files.js';
import { REPO, diagnoseJson, runCli, type CliRun } from '../support/cli.js';
import { scrubbedEnv } from '../support/env.js';
import { expectNoLeak } from '../support/leaks.js';

const sandboxes: DemoSandbox[] = [];
afterEach(async () => {
  while (sandboxes.length) await sandboxes.pop()!.stop();
});

async function scenario(name: ScenarioName): Promise<DemoSandbox> {
  const sb = await startScenario(name);
  sandboxes.push(sb);
  return sb;
}

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The built CLI against a demo sandbox, colour off, through the one runner (support/cli.ts). */
/** The sandbox's environment as on a machine without OpenClaw: its fake CLI off PATH, HOME an empty directory. */
function withoutOpenClaw(sb: DemoSandbox, home: string): NodeJS.ProcessEnv {
  const PATH = sb.env
    .PATH!.split(':')
    .filter((d) => d !== sb.bin)
    .join(':');
  return { ...sb.env, PATH, HOME: home };
}

function runDemoCli(args: string[], opts: { env: NodeJS.ProcessEnv; cwd: string; timeoutMs?: number }): Promise<CliRun> {
  return runCli({ env: { ...opts.env, NO_COLOR: '1' }, cwd: opts.cwd, timeoutMs: opts.timeoutMs ?? 60_000 }, args);
}

describe.concurrent('demo scenarios: diagnose --json reports what each scenario sets up', () => {
  it.for([...SCENARIO_NAMES])('%s', { timeout: 45_000 }, async (name, { onTestFinished }) => {
    // Concurrent tests: each cleans up its own sandbox (the shared afterEach would race).
    const sb = await startScenario(name);
    onTestFinished(() => sb.stop());
    const r = await diagnoseJson({ env: { ...sb.env, NO_COLOR: '1' }, cwd: sb.cwd, timeoutMs: 60_000 });
    const report = r.report;
    expect(report.findings.map((f) => f.id).sort()).toEqual([...SCENARIOS[name].expect].sort());
    expect(report.gateway.url).toBe(`ws://127.0.0.1:${sb.port}`);
    // The sandbox's docker says there is no engine, whatever this machine has.
    expect(report.checks.find((c) => c.id === 'docker')?.status).toBe('skip');
    expect(r.exitCode).toBe(report.findings.some((f) => f.severity === 'error') ? 1 : 0);
    expectNoLeak(r.stdout + r.stderr, sb.tokens);
  });
});

describe('the wizard fixes the demo with its real steps', () => {
  it('fix --yes on token-missing: saves a token, restarts the runtime-token gateway, the gateway accepts it; no Control UI came back, so not "Connected" (exit 3)', async () => {
    const sb = await scenario('token-missing');
    const r = await runDemoCli(['fix', '--yes'], { env: sb.env, cwd: sb.cwd, timeoutMs: 80_000 });
    const config = JSON.parse(readFileSync(sb.configPath, 'utf8')) as { gateway: { auth?: { mode?: string; token?: string } } };
    const token = config.gateway.auth?.token ?? '';
    expect(config.gateway.auth?.mode).toBe('token');
    expect(token).toMatch(/^[0-9a-f]{48}$/);
    expect(r.stdout).toContain('Restart the gateway so it enforces the config token');
    expect(r.stdout).toContain('the gateway is back and accepts the config token');
    // The browser that failed never connected again: the gateway side is fixed, the person's symptom is not.
    expect(r.stdout).not.toContain('Connected:');
    expect(r.stdout).toContain('Gateway ready; the Control UI has not connected yet. Next: open it with the token: openclaw-token-wizard open');
    expect(r.exitCode).toBe(3);
    // The piped run shows no link with a fingerprint where the token belongs (pasted, it is a mismatch).
    expect(r.stdout).not.toContain('#token=sha256:');
    expect(r.stdout).toContain('openclaw-token-wizard open --print --show-token');
    const probe = await probeGateway({ url: `ws://127.0.0.1:${sb.port}`, token, timeoutMs: 3000 });
    expect(probe.kind).toBe('hello-ok');
    expectNoLeak(r.stdout + r.stderr, [token, ...sb.tokens]);

    // The wizard started the new gateway itself (detached); stop() must end it too.
    const running = processesWithHome(sb.home);
    expect(running.length).toBeGreaterThan(0);
    sandboxes.splice(sandboxes.indexOf(sb), 1);
    await sb.stop();
    expect(processesWithHome(sb.home)).toEqual([]);
    expect(existsSync(sb.root)).toBe(false);
    expect((await probeGateway({ url: `ws://127.0.0.1:${sb.port}`, token, timeoutMs: 1000 })).kind).toBe('refused');
  }, 90_000);

  it('fix --dry-run changes no file in the sandbox', async () => {
    const sb = await scenario('token-missing');
    // The gateway's own log grows with every probe: the gateway writes it, not the wizard.
    const gatewayWritten = new Set([sb.logFile, join(sb.root, 'logs', 'gateway-console.log')]);
    const before = filesUnder(sb.root, gatewayWritten);
    const r = await runDemoCli(['fix', '--dry-run'], { env: sb.env, cwd: sb.cwd });
    const after = filesUnder(sb.root, gatewayWritten);
    expect(r.stdout).toContain('Would do the same as');
    // The run would edit the config itself, not start OpenClaw's CLI: the dry run says that.
    expect(r.stdout).toContain(`dry run: would set gateway.auth.mode, gateway.auth.token in ${sb.configPath}`);
    expect(r.stdout).not.toContain('would run openclaw config set');
    expect(r.stdout).toContain('Plan (dry run: nothing was changed)');
    expect(r.exitCode).toBe(1);
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    expect(after).toEqual(before);
    expect(before.has(relative(sb.root, sb.configPath))).toBe(true);
  });
});

describe('the demo command', () => {
  it('demo --list names every scenario', async () => {
    const r = await runDemoCli(['demo', '--list'], { env: scrubbedEnv(), cwd: REPO });
    for (const n of SCENARIO_NAMES) expect(r.stdout).toContain(`  ${n} `);
    expect(r.stdout).toContain('(default)');
    expect(r.exitCode).toBe(0);
  });

  it('an unknown scenario is a usage error that lists the scenarios', async () => {
    const r = await runDemoCli(['demo', 'no-such-scenario'], { env: scrubbedEnv(), cwd: REPO });
    expect(r.stderr).toContain('unknown demo scenario "no-such-scenario"');
    expect(r.stderr).toContain('restart-pending');
    expect(r.exitCode).toBe(2);
  });

  it('demo docker --yes: the recreate of a compose project that does not run the gateway waits for an explicit yes, and no container is claimed recreated (issue 8, point 11; issue 9, D22)', async () => {
    const r = await runDemoCli(['demo', 'docker', '--yes'], { env: scrubbedEnv(), cwd: REPO, timeoutMs: 90_000 });
    expect(r.stdout).toMatch(
      /Make Docker pass the same token as the config\? This recreates the containers of the compose project in \S+, which is not the one running this gateway .* no \(needs an explicit answer in a terminal\)/,
    );
    expect(r.stdout).not.toMatch(/recreated the gateway container|container was recreated/);
  });

  it('demo healthy runs the flow in a sandbox and removes it afterwards', async () => {
    const r = await runDemoCli(['demo', 'healthy'], { env: scrubbedEnv(), cwd: REPO });
    const m = /sandbox (\S+) \(HOME=(\S+),/.exec(r.stdout);
    expect(m).not.toBeNull();
    expect(r.stdout).toMatch(/fake gateway port \d+/);
    expect(r.exitCode).toBe(0);
    expect(existsSync(m![1]!)).toBe(false);
    expect(processesWithHome(m![2]!)).toEqual([]);
  });

  it('recover without openclaw and without a config offers the demo (no terminal: a hint)', async () => {
    const sb = await scenario('not-running');
    const env = withoutOpenClaw(sb, join(sb.root, 'empty-home'));
    const r = await runDemoCli(['--port', String(sb.port)], { env, cwd: sb.cwd });
    expect(r.stderr).toContain('OpenClaw is not installed here (no openclaw on PATH) and there is no config');
    expect(r.stderr).toContain('openclaw-token-wizard demo');
    expect(r.exitCode).toBeDefined();
  });

  it('recover --yes without openclaw and without a config: installing OpenClaw is step 1, nothing is written (issue 8 point 9)', async () => {
    const sb = await scenario('not-running');
    const home = join(sb.root, 'empty-home');
    const env = withoutOpenClaw(sb, home);
    const r = await runDemoCli(['--yes', '--port', String(sb.port)], { env, cwd: sb.cwd });
    expect(r.stdout).toContain('Step 1: install OpenClaw');
    expect(r.stdout).toContain('$ npm install -g openclaw@latest');
    expect(r.stdout).toContain('Nothing was changed.');
    expect(r.stdout).not.toContain('Start the gateway');
    expect(existsSync(join(home, '.openclaw', 'openclaw.json'))).toBe(false);
    expect(existsSync(home) ? [...filesUnder(home).keys()] : []).toEqual([]);
    expect(r.exitCode).toBe(1);
  });
});

describe('a gateway the wizard starts, and that refuses to start', () => {
  it('fix --yes stops waiting at its fatal line and names it, instead of waiting out its 120 s', { timeout: 90_000 }, async () => {
    const sb = await scenario('not-running');
    // The placeholder password: OpenClaw 2026.9.6 (and the fake CLI) refuse to start with it.
    const cfg = JSON.parse(readFileSync(sb.configPath, 'utf8')) as { gateway: { auth?: unknown } };
    cfg.gateway.auth = { mode: 'password', password: 'change-me-to-a-strong-password' };
    writeFileSync(sb.configPath, JSON.stringify(cfg, null, 2));
    // Less than the wait's own 120 s: a wait that ignored the refusal would be killed, and fail.
    const r = await runDemoCli(['fix', '--yes'], { env: sb.env, cwd: sb.cwd, timeoutMs: 60_000 });
    const fatal = 'Gateway failed to start: Invalid config: gateway auth password is blank, a published example placeholder, or the literal string undefined/null.';
    expect(r.stdout).toContain('▲  Waiting for the gateway to accept connections: the gateway refused to start');
    expect(r.stdout).toContain(`■  the gateway refused to start: ${fatal}`);
    expect(r.stdout).toContain(`• Start the gateway: the gateway refused to start: ${fatal}`);
    // What is still to do names the cause: the placeholder password, the credential password mode checks.
    expect(r.stdout).toMatch(/Still to do[\s\S]*■ A gateway token or password has a value OpenClaw treats as none/);
    expect(r.stdout).not.toContain('gave up after');
    expect(r.exitCode).toBe(1);
  });
});

describe('the fake openclaw CLI', () => {
  it('behaves like the real one for config get/set and a blocked start', async () => {
    const sb = await scenario('not-running');
    const oc = (args: string[]) =>
      new Promise<Ran>((resolve) => {
        const c = spawn(join(sb.bin, 'openclaw'), args, { env: sb.env, cwd: sb.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        c.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        c.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        c.on('close', (code) => resolve({ code, stdout, stderr }));
      });
    expect((await oc(['--version'])).stdout).toBe('OpenClaw 2026.9.6 (demo)\n');
    expect(await oc(['config', 'get', 'gateway.auth.token'])).toMatchObject({ code: 0, stdout: '__OPENCLAW_REDACTED__\n' });
    const unset = await oc(['config', 'get', 'gateway.remote.token']);
    expect(unset.code).toBe(1);
    expect(unset.stderr).toContain('Config path is valid but unset: gateway.remote.token.');
    expect(await oc(['config', 'set', 'gateway.mode', 'remote'])).toMatchObject({ code: 0, stdout: 'Updated gateway.mode. Restart the gateway to apply.\n' });
    expect(JSON.parse(readFileSync(sb.configPath, 'utf8')).gateway.mode).toBe('remote');
    const blocked = await oc(['gateway', 'run', '--port', String(sb.port), '--bind', 'loopback']);
    expect(blocked.code).toBe(78);
    expect(blocked.stderr).toContain('Gateway start blocked: set gateway.mode=local (current: remote) or pass --allow-unconfigured.');
    expect(await oc(['config', 'file'])).toMatchObject({ code: 0, stdout: `${sb.configPath}\n` });
    const show = await oc(['gateway', 'auth-token', '--show']);
    expect(show.code).toBe(1);
    expect(show.stderr).toContain('Refusing to print the Gateway token outside an interactive terminal');
    expectNoLeak(show.stdout + show.stderr, sb.tokens);
  });
});
