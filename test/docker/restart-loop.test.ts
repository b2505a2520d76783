// A gateway container that restarts in a loop on a fatal config (the published placeholder token
// `change-me-now`): the real gateway refuses to start, the engine restarts it, and the wizard's
// fact still finds it by its configured port mapping and reads the fatal line from `docker logs`.
import { afterAll, describe, expect, inject, it } from 'vitest';
import { execa } from 'execa';
import { findGatewayContainer } from '../../src/facts/container-gateway.js';
import { createComposeProject, downAllProjects } from '../support/docker-project.js';
import { checkFixtureShape } from '../support/docker-fixtures.js';
import { fakeToken } from '../support/sandbox.js';

const host = inject('dockerHost');
const image = inject('gatewayImage');
const FATAL = 'Gateway failed to start: Invalid config: gateway auth token is blank, a published example placeholder';

afterAll(downAllProjects);

describe('a gateway container in a restart loop', () => {
  it('is found on its port while restarting, and its last log lines carry the fatal line', async () => {
    const p = await createComposeProject({ dockerHost: host, image, configToken: 'change-me-now', envToken: fakeToken('loop'), restart: 'always' });
    await p.up();
    const id = await p.containerId();
    // Wait (without a fixed sleep) until the engine has restarted it at least once after the failure.
    const deadline = Date.now() + 200_000;
    let restarts = 0;
    for (;;) {
      const r = await execa('docker', ['inspect', '--format', '{{.RestartCount}}', id], { env: p.env });
      restarts = Number(String(r.stdout).trim());
      if (restarts >= 1 && (await p.logs(80)).includes(FATAL)) break;
      if (Date.now() > deadline) throw new Error(`no restart with the fatal line within 200 s; log:\n${await p.logs(30)}`);
      await new Promise((res) => setTimeout(res, 500));
    }
    const f = await findGatewayContainer({ port: p.hostPort, env: p.env, timeoutMs: 15_000, logLines: 60 });
    expect(f.error).toBeNull();
    const c = f.container!;
    expect(c.id.startsWith(id)).toBe(true);
    expect(c.service).toBe('openclaw-gateway');
    expect(c.restartCount).toBeGreaterThanOrEqual(1);
    expect(c.portMapping).toMatchObject({ host: p.hostPort, container: 18789 });
    expect(c.lastLogLines.some((l) => l.includes(FATAL))).toBe(true);
    // The mounted config is read too, and its token is the placeholder the finding will name.
    const token = c.config!.sources.find((s) => s.variable === 'gateway.auth.token')!;
    expect(token.problems).toContain('placeholder');

    const inspect = await execa('docker', ['inspect', '--type', 'container', c.id], { env: p.env });
    const ps = await execa('docker', ['ps', '-a', '--no-trunc', '--format', '{{json .}}', '--filter', `id=${c.id}`], { env: p.env });
    expect(checkFixtureShape('restart-loop', { inspect: String(inspect.stdout), ps: String(ps.stdout) }, p)).toEqual([]);
    await p.down();
  });
});
