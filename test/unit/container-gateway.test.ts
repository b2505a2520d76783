// Parsing what the Docker engine reports, on output recorded from a real engine by the docker suite
// (test/fixtures/docker; that suite re-checks these fixtures' shape against the engine each run),
// plus findGatewayContainer end to end against a stub `docker` that replays those recordings.
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { containerOpenClawPaths, hostPathFor, mappingForHostPort, mergeTimestampedLogs, parseInspect, parsePsPorts, type ContainerMount } from '../../src/facts/container-inspect.js';
import { findGatewayContainer, pickContainer } from '../../src/facts/container-gateway.js';
import { composeCommand, formatComposeCommand } from '../../src/facts/container-command.js';
import { parseDockerPs } from '../../src/facts/docker.js';
import { Secret } from '../../src/secret.js';
import { fakeToken, makeSandbox, type Sandbox } from '../support/sandbox.js';
import { execa } from 'execa';

const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), '../fixtures/docker');
const fixture = (name: string) => readFile(join(FIXTURES, name), 'utf8');
const SYSTEM_PATH = '/usr/bin:/bin';

describe('recorded docker inspect / ps', () => {
  it('parses a compose gateway: env, compose labels, bind mount and the published port', async () => {
    const [c] = parseInspect(await fixture('compose-gateway.inspect.json'))!;
    expect(c).toMatchObject({ name: 'otwfixture_openclaw-gateway_1', status: 'running', running: true, restarting: false, user: 'node' });
    expect(c!.env.get('OPENCLAW_GATEWAY_TOKEN')).toBe(fakeToken('docker-dotenv'));
    expect(c!.labels['com.docker.compose.service']).toBe('openclaw-gateway');
    expect(c!.mounts).toEqual([{ type: 'bind', source: '/srv/otw-compose/openclaw-config', destination: '/home/node/.openclaw', rw: true, name: null }]);
    expect(c!.ports).toEqual([{ hostIp: '127.0.0.1', host: 28789, container: 18789, protocol: 'tcp' }]);
    const [row] = parseDockerPs(await fixture('compose-gateway.ps.jsonl'));
    expect(row!.id).toBe(c!.id);
    expect(parsePsPorts(row!.ports)).toEqual(c!.ports);
  });

  it('parses a container the engine restarted after a fatal config', async () => {
    const [c] = parseInspect(await fixture('restart-loop.inspect.json'))!;
    expect(c!.restartCount).toBeGreaterThanOrEqual(1);
    expect(c!.labels['com.docker.compose.service']).toBe('openclaw-gateway');
  });

  it('finds a restarting container by its configured port binding when it publishes nothing live', async () => {
    const raw = JSON.parse(await fixture('restart-loop.inspect.json'));
    raw[0].State = { ...raw[0].State, Status: 'restarting', Running: true, Restarting: true };
    raw[0].NetworkSettings.Ports = {};
    const list = parseInspect(JSON.stringify(raw))!;
    expect(pickContainer(list, 28789)?.restarting).toBe(true);
    expect(pickContainer(list, 28790)).toBeNull();
  });

  it('prefers the running container when several bind the same host port', async () => {
    const [running] = parseInspect(await fixture('compose-gateway.inspect.json'))!;
    const exited = { ...running!, id: 'old', running: false, status: 'exited', startedAt: '2099-01-01T00:00:00Z' };
    expect(pickContainer([exited, running!], 28789)?.id).toBe(running!.id);
  });

  it('is null for text that is not an inspect array', () => {
    expect(parseInspect('Error: No such container: x')).toBeNull();
    expect(parseInspect('{}')).toBeNull();
    expect(parseInspect('[]')).toEqual([]);
  });
});

describe('ports, paths and logs', () => {
  it('parses the ps Ports column forms', () => {
    expect(parsePsPorts('0.0.0.0:8080->80/tcp, :::8080->80/tcp')).toEqual([
      { hostIp: '0.0.0.0', host: 8080, container: 80, protocol: 'tcp' },
      { hostIp: '::', host: 8080, container: 80, protocol: 'tcp' },
    ]);
    expect(parsePsPorts('[::1]:5000->5000/tcp')).toEqual([{ hostIp: '::1', host: 5000, container: 5000, protocol: 'tcp' }]);
    expect(parsePsPorts('127.0.0.1:8000-8001->9000-9001/tcp').map((p) => [p.host, p.container])).toEqual([
      [8000, 9000],
      [8001, 9001],
    ]);
    expect(parsePsPorts('18789/tcp, 18790/udp')).toEqual([]);
    expect(mappingForHostPort(parsePsPorts('127.0.0.1:53->53/udp'), 53)).toBeNull();
  });

  it("resolves OpenClaw's paths inside the container as OpenClaw does", () => {
    expect(containerOpenClawPaths(new Map([['HOME', '/home/node']]), 'node').configPath).toBe('/home/node/.openclaw/openclaw.json');
    expect(containerOpenClawPaths(new Map(), '').stateDir).toBe('/root/.openclaw');
    expect(containerOpenClawPaths(new Map([['OPENCLAW_STATE_DIR', '/data']]), 'node').configPath).toBe('/data/openclaw.json');
    expect(containerOpenClawPaths(new Map([['OPENCLAW_CONFIG_PATH', '/etc/oc.json']]), '1000:1000').configPath).toBe('/etc/oc.json');
  });

  it('maps a container path to the host through the deepest mount that holds it', () => {
    const m = (destination: string, source: string): ContainerMount => ({ type: 'bind', source, destination, rw: true, name: null });
    const mounts = [m('/home/node/.openclaw', '/srv/cfg'), m('/home/node/.openclaw/workspace', '/srv/ws'), m('/home/node/.openclaw-other', '/x')];
    expect(hostPathFor('/home/node/.openclaw/openclaw.json', mounts)?.hostPath).toBe('/srv/cfg/openclaw.json');
    expect(hostPathFor('/home/node/.openclaw/workspace/a', mounts)?.hostPath).toBe('/srv/ws/a');
    expect(hostPathFor('/home/node/.openclaw', mounts)?.hostPath).toBe('/srv/cfg');
    expect(hostPathFor('/home/node/.openclawx/openclaw.json', mounts)).toBeNull();
    expect(hostPathFor('/etc/x', [m('/', '/rootfs')])?.hostPath).toBe('/rootfs/etc/x');
  });

  it('merges stdout and stderr by engine timestamp, keeps the last lines, strips escapes', () => {
    const out = '2026-11-30T03:30:22.3Z [gateway] loading\n2026-11-30T03:30:24.1Z \x1b[31mready\x1b[39m\n';
    const err = '2026-11-30T03:30:22.45Z Gateway failed to start\n2026-11-30T03:30:23Z \x1b]0;title\x07bell\x07\n';
    expect(mergeTimestampedLogs(out, err, 10)).toEqual(['[gateway] loading', 'Gateway failed to start', 'bell', 'ready']);
    expect(mergeTimestampedLogs(out, err, 2)).toEqual(['bell', 'ready']);
  });
});

describe('findGatewayContainer against a stub docker replaying the recordings', () => {
  let sb: Sandbox;
  beforeEach(async () => {
    sb = await makeSandbox('otw-container-');
  });
  afterEach(async () => {
    await sb.cleanup();
  });

  async function stub(): Promise<{ env: NodeJS.ProcessEnv; configDir: string; args: string }> {
    const bin = join(sb.cwd, 'bin');
    const configDir = join(sb.cwd, 'openclaw-config');
    await mkdir(bin);
    await mkdir(configDir);
    await writeFile(join(configDir, 'openclaw.json'), JSON.stringify({ gateway: { auth: { mode: 'token', token: fakeToken('mounted') } } }));
    // The recorded mount source becomes this sandbox's dir, so the config can be read through it.
    const inspect = (await fixture('compose-gateway.inspect.json')).split('/srv/otw-compose').join(sb.cwd);
    await writeFile(join(sb.cwd, 'inspect.json'), inspect);
    await writeFile(join(sb.cwd, 'ps.jsonl'), await fixture('compose-gateway.ps.jsonl'));
    const args = join(sb.cwd, 'args.log');
    const script = `#!/bin/sh
echo "$DOCKER_HOST $*" >> '${args}'
case "$1" in
  ps) cat '${sb.cwd}/ps.jsonl' ;;
  inspect) cat '${sb.cwd}/inspect.json' ;;
  logs) echo '2026-11-30T03:30:22.400Z [gateway] token ${fakeToken('mounted')} seen'; echo '2026-11-30T03:30:22.300Z Gateway failed to start: boom' >&2 ;;
  *) exit 1 ;;
esac
`;
    await writeFile(join(bin, 'docker'), script);
    await chmod(join(bin, 'docker'), 0o755);
    return { env: { ...sb.env, PATH: `${bin}:${SYSTEM_PATH}`, DOCKER_HOST: 'tcp://engine.example:2376' }, configDir, args };
  }

  it('reads the mounted config, the env token and the log (redacted), passing DOCKER_HOST through', async () => {
    const { env, configDir, args } = await stub();
    const f = await findGatewayContainer({ port: 28789, env, timeoutMs: 5000, logLines: 10 });
    expect(f.error).toBeNull();
    const c = f.container!;
    expect(c.configHostPath).toBe(join(configDir, 'openclaw.json'));
    expect(c.config!.sources.find((s) => s.variable === 'gateway.auth.token')!.value!.equals(new Secret(fakeToken('mounted')))).toBe(true);
    expect(c.envSources.map((s) => s.variable)).toEqual(['OPENCLAW_GATEWAY_TOKEN']);
    expect(c.lastLogLines[0]).toBe('Gateway failed to start: boom');
    expect(c.lastLogLines[1]).not.toContain(fakeToken('mounted'));
    expect(c.lastLogLines[1]).toMatch(/token sha256:[0-9a-f]{8} seen/);
    const calls = (await readFile(args, 'utf8')).trim().split('\n');
    expect(calls.every((l) => l.startsWith('tcp://engine.example:2376 '))).toBe(true);
    expect(calls.map((l) => l.split(' ')[1])).toEqual(['ps', 'inspect', 'logs']);
  });

  it('is null for a port no container publishes, and reports a missing client', async () => {
    const { env } = await stub();
    expect((await findGatewayContainer({ port: 1, env, timeoutMs: 5000 })).container).toBeNull();
    const none = await findGatewayContainer({ port: 28789, env: { ...sb.env, PATH: SYSTEM_PATH }, timeoutMs: 5000, docker: 'docker-not-here' });
    expect(none).toEqual({ available: false, error: 'docker not found on PATH', container: null });
  });
});

describe('compose command form', () => {
  let sb: Sandbox;
  beforeEach(async () => {
    sb = await makeSandbox('otw-compose-form-');
  });
  afterEach(async () => {
    await sb.cleanup();
  });

  async function withTools(tools: Record<string, string>): Promise<NodeJS.ProcessEnv> {
    const bin = join(sb.cwd, 'bin');
    await mkdir(bin, { recursive: true });
    for (const [name, body] of Object.entries(tools)) {
      await writeFile(join(bin, name), `#!/bin/sh\n${body}\n`);
      await chmod(join(bin, name), 0o755);
    }
    return { ...sb.env, PATH: `${bin}:${SYSTEM_PATH}` };
  }

  it('prefers the plugin, falls back to docker-compose, defaults to the plugin form', async () => {
    const both = await withTools({ docker: 'exit 0', 'docker-compose': 'exit 0' });
    expect(await composeCommand(both)).toEqual(['docker', 'compose']);
    const v1 = await withTools({ docker: '[ "$1" = compose ] && exit 1; exit 0', 'docker-compose': 'exit 0' });
    expect(await composeCommand(v1)).toEqual(['docker-compose']);
    expect(await composeCommand({ ...sb.env, PATH: join(sb.cwd, 'nothing') })).toEqual(['docker', 'compose']);
    // A loaded machine: docker says it has no compose plugin, docker-compose (Python) answers too
    // slowly; the one that exists is the standalone one.
    const slowV1 = await withTools({ docker: '[ "$1" = compose ] && exit 1; exit 0', 'docker-compose': 'exec sleep 5' });
    expect(await composeCommand(slowV1, { timeoutMs: 300 })).toEqual(['docker-compose']);
  });

  it('prints commands a POSIX shell reads back word for word', async () => {
    const words = ['-f', "/it's here/compose.yml", 'exec', 'openclaw-gateway', 'sh', '-c', 'echo "$HOME" && ls *'];
    const printed = formatComposeCommand(['docker-compose'], words);
    expect(printed.startsWith('docker-compose -f ')).toBe(true);
    const r = await execa('sh', ['-c', `set -- ${printed}; printf '%s\\n' "$@"`]);
    expect(String(r.stdout).split('\n')).toEqual(['docker-compose', ...words]);
    expect(formatComposeCommand(['docker', 'compose'], ['exec', ''])).toBe("docker compose exec ''");
  });
});
