// The gateway where it really lives, on the real engine: a compose project shaped like OpenClaw's
// (config dir mounted at /home/node/.openclaw, the token in the project .env, 18789 published on
// another host port). The wizard's fact (findGatewayContainer) must find the container from the
// port mapping, read the config through the mount, see the .env token that differs from it, see a
// stale token in the running container's env, and read the container's log through the engine.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { execa } from 'execa';
import { findGatewayContainer, type GatewayContainer } from '../../src/facts/container-gateway.js';
import { readCompose } from '../../src/facts/compose/index.js';
import { probeGateway } from '../../src/gateway/probe.js';
import { Secret } from '../../src/secret.js';
import { openControlUi, withBrowser } from '../support/control-ui.js';
import { createComposeProject, downAllProjects, type ComposeProject } from '../support/docker-project.js';
import { checkFixtureParsed, checkFixtureShape } from '../support/docker-fixtures.js';
import { fakeToken, freePort } from '../support/sandbox.js';
import { sleep } from '../support/sleep.js';

const host = inject('dockerHost');
const image = inject('gatewayImage');

const CONFIG_TOKEN = fakeToken('docker-config');
const ENV_TOKEN = fakeToken('docker-dotenv');
const NEW_ENV_TOKEN = fakeToken('docker-dotenv-new');

let p: ComposeProject;

async function find(port = p.hostPort): Promise<GatewayContainer | null> {
  const f = await findGatewayContainer({ port, env: p.env, timeoutMs: 15_000 });
  expect(f.error).toBeNull();
  expect(f.available).toBe(true);
  return f.container;
}

beforeAll(async () => {
  p = await createComposeProject({ dockerHost: host, image, configToken: CONFIG_TOKEN, envToken: ENV_TOKEN });
  await p.up();
  await p.waitReady();
});

afterAll(downAllProjects);

describe('a compose gateway on the real engine', () => {
  it('is found from the engine port mapping, with its compose service, project and mounts', async () => {
    const c = (await find())!;
    expect(c).not.toBeNull();
    expect(c.id.startsWith(await p.containerId())).toBe(true);
    expect(c).toMatchObject({
      service: 'openclaw-gateway',
      project: p.name,
      projectDir: p.dir,
      composeFiles: [p.composeFile],
      status: 'running',
      restarting: false,
      portMapping: { hostIp: '127.0.0.1', host: p.hostPort, container: 18789, protocol: 'tcp' },
      containerStateDir: '/home/node/.openclaw',
      containerConfigPath: '/home/node/.openclaw/openclaw.json',
      stateHostPath: p.configDir,
      configHostPath: p.configPath,
    });
    // A port no container publishes is not mistaken for this one.
    expect(await find(await freePort())).toBeNull();
  });

  it("reads the token from the config mounted into the container, not the host's ~/.openclaw", async () => {
    const c = (await find())!;
    expect(c.config?.gateway.hasToken).toBe(true);
    const configured = c.config!.sources.find((s) => s.variable === 'gateway.auth.token');
    expect(configured?.value?.equals(new Secret(CONFIG_TOKEN))).toBe(true);
    expect(configured?.file).toBe(p.configPath);
    // The real gateway agrees: the mounted config's token is the one it accepts.
    const ok = await probeGateway({ url: `ws://127.0.0.1:${p.hostPort}`, token: CONFIG_TOKEN, timeoutMs: 15_000 });
    expect(ok.kind).toBe('hello-ok');
  });

  it('sees the compose .env token that differs from the config volume, with file and line, and the gateway refusing it', async () => {
    const compose = await readCompose({ cwd: p.dir, env: p.env });
    const fromEnv = compose.sources.find((s) => s.variable === 'OPENCLAW_GATEWAY_TOKEN');
    expect(fromEnv?.value?.equals(new Secret(ENV_TOKEN))).toBe(true);
    expect(fromEnv?.valueAt ?? { file: fromEnv?.file, line: fromEnv?.line }).toEqual({ file: p.envFile, line: 4 });
    const c = (await find())!;
    const inContainer = c.envSources.find((s) => s.variable === 'OPENCLAW_GATEWAY_TOKEN');
    expect(inContainer?.value?.equals(new Secret(ENV_TOKEN))).toBe(true);
    expect(inContainer?.value?.equals(c.config!.sources.find((s) => s.variable === 'gateway.auth.token')!.value)).toBe(false);
    // Config wins over the container env in 2026.9.6: a client holding the .env token is refused.
    const refused = await probeGateway({ url: `ws://127.0.0.1:${p.hostPort}`, token: ENV_TOKEN, timeoutMs: 15_000 });
    expect(refused.kind).toBe('rejected');
    expect(refused.reject).toBe('token-mismatch');
  });

  it('host port ≠ container port: the browser origin http://127.0.0.1:HOSTPORT is refused, and the container log says so', async () => {
    const origin = `http://127.0.0.1:${p.hostPort}`;
    const probe = await probeGateway({ url: `ws://127.0.0.1:${p.hostPort}`, token: CONFIG_TOKEN, origin, timeoutMs: 15_000 });
    expect(probe.reject).toBe('origin-not-allowed');
    const ui = await withBrowser(async (b) => {
      const r = await openControlUi(b, `${origin}/#token=${CONFIG_TOKEN}`, { timeoutMs: 60_000 });
      await r.close();
      return r;
    });
    expect(ui.state).toBe('error');
    expect(ui.errorKind).toBe('origin-not-allowed');
    const c = (await find())!;
    const refusal = c.lastLogLines.filter((l) => l.includes('origin not allowed') && l.includes(`origin=${origin}`));
    expect(refusal.length).toBeGreaterThan(0);
    // The gateway's own startup line explains why: it allowed only its in-container port.
    const seeded = (await findGatewayContainer({ port: p.hostPort, env: p.env, timeoutMs: 15_000, logLines: 500 })).container!.lastLogLines;
    expect(seeded.some((l) => l.includes('seeded gateway.controlUi.allowedOrigins ["http://localhost:18789","http://127.0.0.1:18789"]'))).toBe(true);
    // Known secrets never come back in log lines.
    expect(seeded.join('\n')).not.toContain(CONFIG_TOKEN);
  });

  it('allowing that origin in the config found through the mount lets the Control UI connect from the host', async () => {
    const origin = `http://127.0.0.1:${p.hostPort}`;
    const c = (await find())!;
    const cfg = JSON.parse(readFileSync(c.configHostPath!, 'utf8'));
    cfg.gateway.controlUi = { ...(cfg.gateway.controlUi ?? {}), allowedOrigins: [origin] };
    writeFileSync(c.configHostPath!, JSON.stringify(cfg, null, 2) + '\n');
    // The gateway watches its config; wait for it to apply (no fixed sleep), restart if it does not.
    const accepted = async () => (await probeGateway({ url: `ws://127.0.0.1:${p.hostPort}`, token: CONFIG_TOKEN, origin, timeoutMs: 15_000 })).kind === 'hello-ok';
    const deadline = Date.now() + 30_000;
    let ok = await accepted();
    while (!ok && Date.now() < deadline) {
      await sleep(1000);
      ok = await accepted();
    }
    expect(ok).toBe(true);
    const ui = await withBrowser(async (b) => {
      const r = await openControlUi(b, `${origin}/#token=${CONFIG_TOKEN}`, { timeoutMs: 90_000 });
      await r.close();
      return r;
    });
    expect(ui.state).toBe('connected');
  });

  it('contract (Docker case): the fixtures the fast suite parses (test/fixtures/docker) have the shape and parse to what the engine reports', async () => {
    const id = (await find())!.id;
    const inspect = await execa('docker', ['inspect', '--type', 'container', id], { env: p.env });
    const ps = await execa('docker', ['ps', '-a', '--no-trunc', '--format', '{{json .}}', '--filter', `id=${id}`], { env: p.env });
    const live = { inspect: String(inspect.stdout), ps: String(ps.stdout) };
    expect(checkFixtureShape('compose-gateway', live, p)).toEqual([]);
    // Field by field through the wizard's own parsers: name, image, user, env names, compose
    // labels, mounts, port mappings (inspect and ps), state.
    expect(checkFixtureParsed('compose-gateway', live, p)).toEqual([]);
    // …and the comparison sees a difference when there is one (a port the fixture does not have).
    expect(checkFixtureParsed('compose-gateway', live, { ...p, hostPort: p.hostPort + 1 })).toContainEqual(expect.stringMatching(/^compose-gateway ports: /));
  });

  it('sees a stale token in the running container env after the .env changed, until the container is recreated', async () => {
    const before = (await find())!;
    p.writeEnv(NEW_ENV_TOKEN);
    const compose = await readCompose({ cwd: p.dir, env: p.env });
    expect(compose.sources.find((s) => s.variable === 'OPENCLAW_GATEWAY_TOKEN')?.value?.equals(new Secret(NEW_ENV_TOKEN))).toBe(true);
    const stale = (await find())!;
    expect(stale.id).toBe(before.id);
    expect(stale.envSources.find((s) => s.variable === 'OPENCLAW_GATEWAY_TOKEN')?.value?.equals(new Secret(ENV_TOKEN))).toBe(true);
    // `docker compose restart` would keep the old env; `up -d` recreates the container with the new one.
    await p.up();
    const recreated = (await find())!;
    expect(recreated.id).not.toBe(before.id);
    expect(recreated.envSources.find((s) => s.variable === 'OPENCLAW_GATEWAY_TOKEN')?.value?.equals(new Secret(NEW_ENV_TOKEN))).toBe(true);
  });
});
