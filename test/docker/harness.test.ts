// The docker suite's own support, on the real engine: the private engine answers on its socket,
// a compose project of the gateway image comes up with its port published on 127.0.0.1, and
// down() leaves no container, network, volume or listener behind.
import { afterAll, describe, expect, inject, it } from 'vitest';
import { execa } from 'execa';
import { engineEnv, engineLeftovers } from '../support/docker-engine.js';
import { createComposeProject, downAllProjects } from '../support/docker-project.js';
import { fakeToken } from '../support/sandbox.js';
import { portIsListening } from '../support/real-openclaw.js';

const host = inject('dockerHost');
const image = inject('gatewayImage');
const env = engineEnv(host);

afterAll(downAllProjects);

describe('docker suite harness', () => {
  it('talks to the private engine only through DOCKER_HOST', async () => {
    expect(host).toMatch(/^unix:\/\/\/tmp\/otw-dockerd-[^/]+\/docker\.sock$/);
    const info = await execa('docker', ['info', '--format', '{{.DockerRootDir}}'], { env });
    expect(String(info.stdout)).toMatch(/openclaw-token-wizard\/docker\/data-root$/);
    const img = await execa('docker', ['image', 'inspect', '--format', '{{json .Config.Cmd}}', image], { env });
    expect(JSON.parse(String(img.stdout))).toEqual(['openclaw', 'gateway', 'run', '--bind', 'lan', '--port', '18789']);
  });

  // Readiness of the gateway itself is covered by container-gateway.test.ts; here only the plumbing.
  it('brings a compose gateway up on a published loopback port and takes it down without leftovers', async () => {
    const token = fakeToken('harness');
    const p = await createComposeProject({ dockerHost: host, image, configToken: token, envToken: token });
    await p.up();
    expect(await portIsListening(p.hostPort)).toBe(true);
    const ps = await execa('docker', ['ps', '--format', '{{.Ports}}', '--filter', `label=com.docker.compose.project=${p.name}`], { env });
    expect(String(ps.stdout)).toBe(`127.0.0.1:${p.hostPort}->18789/tcp`);
    await p.down();
    expect(await portIsListening(p.hostPort)).toBe(false);
    expect(await engineLeftovers(env)).toEqual({ containers: [], networks: [], volumes: [] });
  });
});
