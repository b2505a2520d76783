import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeDockerFailure, isOpenClawContainer, parseContainerEnv, parseDockerPs, readDocker } from '../../src/facts/docker.js';
import { fakeToken, makeSandbox, type Sandbox } from '../support/sandbox.js';

// Every test runs a stub `docker` first on PATH (or none at all): the real client at
// /usr/local/bin/docker is never reached because PATH holds only the stub dir and system dirs
// without it.
const SYSTEM_PATH = '/usr/bin:/bin';

let sb: Sandbox;
let bin: string;
beforeEach(async () => {
  sb = await makeSandbox('otw-docker-');
  bin = join(sb.cwd, 'bin');
  await mkdir(bin);
});
afterEach(async () => {
  await sb.cleanup();
});

async function stubDocker(script: string): Promise<NodeJS.ProcessEnv> {
  const p = join(bin, 'docker');
  await writeFile(p, `#!/bin/sh\n${script}\n`);
  await chmod(p, 0o755);
  return { ...sb.env, PATH: `${bin}:${SYSTEM_PATH}` };
}

const PS_LINES = [
  {
    ID: 'a1b2c3d4e5f6',
    Image: 'openclaw:local',
    Names: 'openclaw-openclaw-gateway-1',
    Ports: '127.0.0.1:18789->18789/tcp',
    State: 'running',
    Labels: 'com.docker.compose.service=openclaw-gateway',
  },
  { ID: 'ffeeddccbbaa', Image: 'ghcr.io/acme/bot:1', Names: 'mybot', Ports: '', State: 'running', Labels: 'com.docker.compose.service=openclaw-cli' },
  { ID: '0011223344aa', Image: 'redis:7', Names: 'cache', Ports: '6379/tcp', State: 'running', Labels: '' },
]
  .map((o) => JSON.stringify(o))
  .join('\n');

/** A docker stub: ps lists three containers; inspect works for the gateway and fails for mybot (exec works). */
function happyScript(): string {
  const gwEnv = JSON.stringify(['PATH=/usr/bin', `OPENCLAW_GATEWAY_TOKEN=${fakeToken('gw')}`, 'HOME=/home/node']);
  return `
case "$1" in
  ps) cat <<'EOF'
${PS_LINES}
EOF
  ;;
  inspect)
    case "$4" in
      openclaw-openclaw-gateway-1) echo '${gwEnv}' ;;
      *) echo "Error response from daemon: inspect refused by the stub" >&2; exit 1 ;;
    esac ;;
  exec)
    printf 'PATH=/usr/bin\\nOPENCLAW_GATEWAY_TOKEN= ${fakeToken('bot')}\\nOPENCLAW_GATEWAY_PASSWORD=pw-fake-value\\n' ;;
  *) exit 2 ;;
esac`;
}

describe('pure parsers', () => {
  it('parses docker ps JSON lines and filters OpenClaw containers', () => {
    const all = parseDockerPs(`${PS_LINES}\nnot json\n{broken`);
    expect(all.map((c) => c.name)).toEqual(['openclaw-openclaw-gateway-1', 'mybot', 'cache']);
    expect(all.filter(isOpenClawContainer).map((c) => c.name)).toEqual(['openclaw-openclaw-gateway-1', 'mybot']);
  });

  it('parses inspect JSON, exec env lines, and rejects garbage', () => {
    expect(parseContainerEnv('["A=1","B=x=y"]')).toEqual(
      new Map([
        ['A', '1'],
        ['B', 'x=y'],
      ]),
    );
    expect(parseContainerEnv('null')).toEqual(new Map());
    expect(parseContainerEnv('A=1\nB=2\n')).toEqual(
      new Map([
        ['A', '1'],
        ['B', '2'],
      ]),
    );
    expect(parseContainerEnv('[not json')).toBeNull();
  });

  it('classifies failures', () => {
    const base = { ok: false, stdout: '', ms: 1 };
    expect(describeDockerFailure({ ...base, exitCode: null, stderr: '', failure: 'docker: not found' }, 'docker ps')).toEqual({
      available: false,
      error: 'docker not found on PATH',
    });
    expect(
      describeDockerFailure({ ...base, exitCode: 1, stderr: 'permission denied while trying to connect to the Docker daemon socket at unix:///var/run/docker.sock', failure: null }, 'docker ps').error,
    ).toMatch(/^no permission to talk to the Docker daemon/);
  });
});

describe('readDocker', () => {
  it('reads tokens from OpenClaw containers via inspect, falling back to exec', async () => {
    const env = await stubDocker(happyScript());
    const facts = await readDocker({ env, timeoutMs: 5000 });
    expect(facts.available).toBe(true);
    expect(facts.error).toBeNull();
    expect(facts.containers).toEqual([
      { id: 'a1b2c3d4e5f6', name: 'openclaw-openclaw-gateway-1', image: 'openclaw:local', ports: '127.0.0.1:18789->18789/tcp' },
      { id: 'ffeeddccbbaa', name: 'mybot', image: 'ghcr.io/acme/bot:1', ports: '' },
    ]);
    expect(facts.sources.map((s) => s.id)).toEqual(['container:openclaw-openclaw-gateway-1', 'container:mybot', 'container:mybot:password']);
    const gw = facts.sources[0]!;
    expect(gw).toMatchObject({
      kind: 'container',
      label: 'container openclaw-openclaw-gateway-1 (OPENCLAW_GATEWAY_TOKEN)',
      variable: 'OPENCLAW_GATEWAY_TOKEN',
      credential: 'token',
      problems: [],
    });
    expect(gw.value?.reveal()).toBe(fakeToken('gw'));
    expect(gw.notes).toContain('read via docker inspect');
    const bot = facts.sources[1]!;
    expect(bot.notes).toContain('read via docker exec env');
    expect(bot.problems).toEqual(['whitespace']);
    expect(facts.sources[2]).toMatchObject({ credential: 'password', variable: 'OPENCLAW_GATEWAY_PASSWORD' });
    expect(JSON.stringify(facts)).not.toContain(fakeToken('gw'));
  });

  it('reads only the container named with --container, even when docker ps does not list it', async () => {
    const env = await stubDocker(happyScript());
    const named = await readDocker({ env, timeoutMs: 5000, container: 'openclaw-openclaw-gateway-1' });
    expect(named.containers.map((c) => c.name)).toEqual(['openclaw-openclaw-gateway-1']);
    expect(named.sources).toHaveLength(1);

    const stopped = await readDocker({
      env: await stubDocker(`[ "$1" = ps ] && exit 0; [ "$1" = inspect ] && echo '["OPENCLAW_GATEWAY_TOKEN=${fakeToken('old')}"]'`),
      timeoutMs: 5000,
      container: 'old-gw',
    });
    expect(stopped.containers).toEqual([{ id: '', name: 'old-gw', image: '', ports: '' }]);
    expect(stopped.sources[0]!.notes).toContain('not running (not listed by docker ps)');
    expect(stopped.sources[0]!.value?.reveal()).toBe(fakeToken('old'));
  });

  it('reports a container whose env cannot be read, without failing the rest', async () => {
    const env = await stubDocker(`
case "$1" in
  ps) echo '{"ID":"1","Names":"openclaw-x","Image":"openclaw:local"}' ;;
  *) echo "Error response from daemon: No such container: openclaw-x" >&2; exit 1 ;;
esac`);
    const facts = await readDocker({ env, timeoutMs: 5000 });
    expect(facts.available).toBe(true);
    expect(facts.sources).toEqual([]);
    expect(facts.error).toMatch(/could not read the environment of container openclaw-x: docker inspect failed \(exit 1\): Error response from daemon: No such container/);
  });

  it('reports a daemon that is down', async () => {
    const env = await stubDocker(`echo "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?" >&2\nexit 1`);
    const facts = await readDocker({ env, timeoutMs: 5000 });
    expect(facts).toEqual({
      available: true,
      error: 'Docker daemon not reachable: Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?',
      containers: [],
      sources: [],
    });
  });

  it('reports a docker that hangs past the timeout', async () => {
    const env = await stubDocker('exec sleep 10');
    const started = Date.now();
    const facts = await readDocker({ env, timeoutMs: 300 });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(facts.available).toBe(true);
    expect(facts.error).toMatch(/^docker ps timed out after 300 ms/);
  });

  it('reports docker missing from PATH, and a nonexistent explicit binary', async () => {
    const env = { ...sb.env, PATH: bin }; // empty dir: no docker anywhere on this PATH
    expect(await readDocker({ env, timeoutMs: 2000 })).toEqual({
      available: false,
      error: 'docker not found on PATH',
      containers: [],
      sources: [],
    });
    const explicit = await readDocker({ env, timeoutMs: 2000, docker: join(bin, 'no-such-docker') });
    expect(explicit.available).toBe(false);
  });
});
