// The wizard itself (the built CLI) against a compose gateway on the real engine: the host's
// ~/.openclaw is empty, the gateway's config is the one mounted into its container. diagnose must
// judge that config (no `no-token-configured`), name the compose .env token that differs from it
// with file and line, explain the origin refused through the remapped port, and `fix --yes` must
// align the .env, recreate the container from its project directory, and leave a gateway that
// accepts the token.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { findGatewayContainer } from '../../src/facts/container-gateway.js';
import { probeGateway } from '../../src/gateway/probe.js';
import { Secret } from '../../src/secret.js';
import { execa } from 'execa';
import { diagnoseJson, runCli, type CliTarget } from '../support/cli.js';
import { openControlUi, withBrowser, type ControlUiResult } from '../support/control-ui.js';
import { connectSigned, newDeviceIdentity } from '../support/signed-client.js';
import { createComposeProject, downAllProjects, type ComposeProject } from '../support/docker-project.js';
import { fakeToken } from '../support/sandbox.js';
import type { DiagnosisReport } from '../../src/diagnosis/types.js';

const host = inject('dockerHost');
const image = inject('gatewayImage');

const CONFIG_TOKEN = fakeToken('wizard-docker-config');
const ENV_TOKEN = fakeToken('wizard-docker-dotenv');
const fp = (t: string) => new Secret(t).fingerprint;

let home: string;
let elsewhere: string;

/** The wizard's whole environment: an empty HOME, the suite's engine, the PATH with docker and docker-compose. */
function target(p: ComposeProject, cwd: string): CliTarget {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: home, DOCKER_HOST: p.env.DOCKER_HOST, NO_COLOR: '1', LANG: 'C.UTF-8' };
  return { env, cwd, timeoutMs: 120_000 };
}

const finding = (r: DiagnosisReport, id: string) => r.findings.find((f) => f.id === id);

async function containerName(p: ComposeProject): Promise<string> {
  const f = await findGatewayContainer({ port: p.hostPort, env: p.env, timeoutMs: 15_000 });
  return f.container!.name;
}

/** The real Control UI in headless Chromium, opened from the host through the published port. */
async function controlUi(p: ComposeProject, token: string): Promise<ControlUiResult> {
  return withBrowser(async (b) => {
    const r = await openControlUi(b, `http://127.0.0.1:${p.hostPort}/#token=${token}`, { timeoutMs: 90_000 });
    await r.close();
    return r;
  });
}

/** A printed command, run as a person runs it: in a shell, on a terminal (compose exec allocates one). */
async function runPrinted(p: ComposeProject, line: string): Promise<void> {
  const r = await execa('script', ['-qec', line, '/dev/null'], { env: p.env, reject: false, timeout: 180_000 });
  expect(r.exitCode, `${line}\n${String(r.stdout).slice(-800)}\n${String(r.stderr).slice(-800)}`).toBe(0);
}

/** Polls (no fixed sleep) until the gateway has applied a config change: `until` says so. */
async function eventually(until: () => Promise<boolean>, timeoutMs = 60_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await until()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 1000));
  }
}

beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 'otw-docker-home-'));
  elsewhere = mkdtempSync(join(tmpdir(), 'otw-docker-cwd-'));
});

afterAll(async () => {
  await downAllProjects();
  rmSync(home, { recursive: true, force: true });
  rmSync(elsewhere, { recursive: true, force: true });
});

describe('diagnose against a compose gateway', () => {
  let p: ComposeProject;
  beforeAll(async () => {
    p = await createComposeProject({ dockerHost: host, image, configToken: CONFIG_TOKEN, envToken: ENV_TOKEN });
    await p.up();
    await p.waitReady();
  });

  it('judges the config mounted into the container, not the empty host ~/.openclaw', async () => {
    const name = await containerName(p);
    const r = await diagnoseJson(target(p, elsewhere), ['--port', String(p.hostPort)]);
    const ids = r.report.findings.map((f) => f.id);
    expect(ids).not.toContain('no-token-configured');
    expect(ids).not.toContain('gateway-not-running');
    const configId = `container:${name}:config`;
    expect(r.report.gateway.acceptedSource).toBe(configId);
    expect(r.report.gateway.configPath).toBe(p.configPath);
    const configured = r.report.sources.find((s) => s.id === configId)!;
    expect(configured).toMatchObject({ kind: 'config', fingerprint: fp(CONFIG_TOKEN), accepted: true });
    // The container's env token, read once (readDocker and the container fact share its id), refused.
    const envSources = r.report.sources.filter((s) => s.id === `container:${name}`);
    expect(envSources).toHaveLength(1);
    // Not presented: the probes stop at the token the gateway accepts (the config's).
    expect(envSources[0]).toMatchObject({ fingerprint: fp(ENV_TOKEN), accepted: null });
    const o = finding(r.report, 'docker-env-override')!;
    expect(o.severity).toBe('warning');
    expect(o.evidence[0]).toContain(fp(CONFIG_TOKEN));
    expect(o.evidence.some((e) => e.startsWith(`container ${name} (OPENCLAW_GATEWAY_TOKEN): ${fp(ENV_TOKEN)}`))).toBe(true);
    expect(r.report.checks.find((c) => c.id === 'docker-container')).toMatchObject({ status: 'pass' });
    expect(r.stdout).not.toContain(CONFIG_TOKEN);
    expect(r.stdout).not.toContain(ENV_TOKEN);
  });

  it('from the compose project directory: the .env line, and the recreate command in the form this machine has', async () => {
    const r = await diagnoseJson(target(p, p.dir), ['--port', String(p.hostPort)]);
    const o = finding(r.report, 'docker-env-override')!;
    expect(
      o.evidence.some((e) => e.includes('.env line 4') && e.includes(fp(ENV_TOKEN))),
      o.evidence.join('\n'),
    ).toBe(true);
    // Only docker-compose (v1) is installed here; the project was started with -p.
    expect(o.fix?.at(-1)).toBe(`cd ${p.dir} && docker-compose -p ${p.name} up -d openclaw-gateway`);
    expect(o.fix?.[0]).toContain(`${p.envFile}   # line 4: OPENCLAW_GATEWAY_TOKEN=<config token ${fp(CONFIG_TOKEN)}>`);
  });

  it('a browser origin on the published port: origin-not-allowed names it and explains the mapping', async () => {
    const origin = `http://127.0.0.1:${p.hostPort}`;
    const refused = await probeGateway({ url: `ws://127.0.0.1:${p.hostPort}`, token: CONFIG_TOKEN, origin, timeoutMs: 15_000, clientId: 'openclaw-control-ui', clientMode: 'webchat' });
    expect(refused.reject).toBe('origin-not-allowed');
    const r = await diagnoseJson(target(p, elsewhere), ['--port', String(p.hostPort)]);
    const o = finding(r.report, 'origin-not-allowed')!;
    expect(o.detail).toContain(`opened from ${origin}`);
    expect(o.detail).toContain(`host port ${p.hostPort} while the gateway listens on 18789 inside it`);
    expect(o.evidence[0]).toMatch(/^log docker logs \S+: /);
    // Set inside the container: the host's `openclaw config set` would edit the host's config.
    const set = o.fix?.find((l) => l.includes('openclaw config set gateway.controlUi.allowedOrigins')) ?? '';
    expect(set.startsWith(`cd ${p.dir} && docker-compose -p ${p.name} exec openclaw-gateway openclaw config set gateway.controlUi.allowedOrigins '`)).toBe(true);
    expect(set.endsWith(`"${origin}"]'`)).toBe(true);

    // The printed command, run as printed, changes the gateway in the container: it allows the
    // origin (a probe with that Origin is accepted once the gateway applied it; the Control UI
    // client id without a device would be asked for one from the bridge address), and the real Control UI in Chromium on the host connects through the remapped port.
    await runPrinted(p, set);
    const allowed = await eventually(async () => (await probeGateway({ url: `ws://127.0.0.1:${p.hostPort}`, token: CONFIG_TOKEN, origin, timeoutMs: 15_000 })).kind === 'hello-ok');
    expect(allowed).toBe(true);
    expect((JSON.parse(readFileSync(p.configPath, 'utf8')) as { gateway: { controlUi: { allowedOrigins: string[] } } }).gateway.controlUi.allowedOrigins).toContain(origin);
    const ui = await controlUi(p, CONFIG_TOKEN);
    expect(ui.state, ui.errorText ?? '').toBe('connected');
  }, 600_000);
});

describe('a browser that reaches the gateway through the bridge must be paired', () => {
  it('diagnose names the request and the approve command in the container; run as printed, the same device connects', async () => {
    const p = await createComposeProject({ dockerHost: host, image, configToken: CONFIG_TOKEN, envToken: CONFIG_TOKEN });
    await p.up();
    await p.waitReady();
    // The browser opens the gateway at the container's address on the compose network (reachable
    // from the host through the bridge): not loopback, so the gateway asks for pairing. The person
    // allowed that origin already.
    const id = await p.containerId();
    const ip = String((await execa('docker', ['inspect', '--format', '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}', id], { env: p.env })).stdout).trim();
    expect(ip).toMatch(/^10\.214\.\d+\.\d+$/);
    const origin = `http://${ip}:18789`;
    const cfg = JSON.parse(readFileSync(p.configPath, 'utf8')) as { gateway: Record<string, unknown> };
    cfg.gateway.controlUi = { allowedOrigins: [origin] };
    writeFileSync(p.configPath, JSON.stringify(cfg, null, 2) + '\n');
    const device = newDeviceIdentity();
    const browser = () => connectSigned({ url: `ws://${ip}:18789`, token: CONFIG_TOKEN, origin, identity: device, timeoutMs: 15_000 });
    let first = await browser();
    expect(await eventually(async () => (first = await browser()).error?.details?.code === 'PAIRING_REQUIRED')).toBe(true);
    const requestId = String(first.error!.details!.requestId);
    expect(first.closeReason).toBe(`pairing required: device is not approved yet (requestId: ${requestId})`);

    const r = await diagnoseJson(target(p, p.dir), ['--port', String(p.hostPort)]);
    const f = finding(r.report, 'pairing-required')!;
    expect(f, JSON.stringify(r.report.findings)).toBeDefined();
    expect(f.detail).toContain(`request ${requestId}`);
    const approve = `cd ${p.dir} && docker-compose -p ${p.name} exec openclaw-gateway openclaw devices approve ${requestId}`;
    expect(f.fix).toEqual([`cd ${p.dir} && docker-compose -p ${p.name} exec openclaw-gateway openclaw devices list`, approve]);

    await runPrinted(p, approve);
    const again = await browser();
    expect(again.ok, JSON.stringify(again.error)).toBe(true);
    await p.down();
  }, 600_000);
});

describe('fix --yes for the compose .env that overrides the config volume', () => {
  it('aligns the .env, recreates the container from its project directory, and the gateway accepts the token', async () => {
    // The browser origin of the published port is allowed: the .env is the only thing broken.
    const p = await createComposeProject({ dockerHost: host, image, configToken: CONFIG_TOKEN, envToken: ENV_TOKEN, allowOrigins: ['published-port'] });
    await p.up();
    await p.waitReady();
    const before = await p.containerId();
    // Broken: the Control UI given the token from the compose .env is refused.
    const refused = await controlUi(p, ENV_TOKEN);
    expect(refused.state).toBe('error');
    expect(refused.errorKind).toBe('auth-failed');
    const fix = await runCli(target(p, p.dir), ['fix', '--yes', '--port', String(p.hostPort)], { timeoutMs: 200_000 });
    expect(fix.stdout + fix.stderr).not.toContain(CONFIG_TOKEN);
    expect(readFileSync(p.envFile, 'utf8')).toContain(`OPENCLAW_GATEWAY_TOKEN=${CONFIG_TOKEN}\n`);
    const after = await p.containerId();
    expect(after).not.toBe(before);
    await p.waitReady();
    const c = (await findGatewayContainer({ port: p.hostPort, env: p.env, timeoutMs: 15_000 })).container!;
    expect(c.envSources.find((s) => s.variable === 'OPENCLAW_GATEWAY_TOKEN')?.value?.equals(new Secret(CONFIG_TOKEN))).toBe(true);
    const probe = await probeGateway({ url: `ws://127.0.0.1:${p.hostPort}`, token: CONFIG_TOKEN, timeoutMs: 15_000 });
    expect(probe.kind).toBe('hello-ok');
    const r = await diagnoseJson(target(p, p.dir), ['--port', String(p.hostPort)]);
    expect(
      r.report.findings.map((f) => f.id),
      JSON.stringify(r.report.findings),
    ).not.toContain('docker-env-override');
    // Connected: the real Control UI in Chromium, given the token the compose .env now holds.
    const envToken = /^OPENCLAW_GATEWAY_TOKEN=(.*)$/m.exec(readFileSync(p.envFile, 'utf8'))![1]!;
    const ui = await controlUi(p, envToken);
    expect(ui.state, ui.errorText ?? '').toBe('connected');
    await p.down();
  }, 600_000);
});
