// Talking to the engine the user means: DOCKER_HOST and `docker context` are honoured (nothing
// assumes /var/run/docker.sock), and Compose is run and printed in the form this machine has.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { execa } from 'execa';
import { findGatewayContainer } from '../../src/facts/container-gateway.js';
import { composeCommand, formatComposeCommand } from '../../src/facts/container-command.js';
import { engineEnv } from '../support/docker-engine.js';
import { createComposeProject, downAllProjects } from '../support/docker-project.js';
import { freePort } from '../support/sandbox.js';

const host = inject('dockerHost');
const image = inject('gatewayImage');
const env = engineEnv(host);
const tmp = mkdtempSync(join(tmpdir(), 'otw-docker-sel-'));
let port: number;
let id: string;

beforeAll(async () => {
  // No gateway needed to be found by its port mapping: a container that only sleeps is cheaper.
  port = await freePort();
  const r = await execa('docker', ['run', '-d', '-p', `127.0.0.1:${port}:18789`, image, 'sleep', '600'], { env });
  id = String(r.stdout).trim();
});

afterAll(async () => {
  await execa('docker', ['rm', '-f', id], { env, reject: false });
  await downAllProjects();
  rmSync(tmp, { recursive: true, force: true });
});

/** The caller's env without any engine selection, plus the given one. */
function envWith(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = { ...process.env, ...extra };
  if (!('DOCKER_HOST' in extra)) delete e.DOCKER_HOST;
  if (!('DOCKER_CONTEXT' in extra)) delete e.DOCKER_CONTEXT;
  return e;
}

describe('engine selection', () => {
  it('uses DOCKER_HOST: the private engine finds the container, a dead socket reports the daemon unreachable', async () => {
    const found = await findGatewayContainer({ port, env: envWith({ DOCKER_HOST: host, DOCKER_CONFIG: join(tmp, 'cfg-empty') }), timeoutMs: 15_000 });
    expect(found.container?.id).toBe(id);
    const dead = await findGatewayContainer({ port, env: envWith({ DOCKER_HOST: `unix://${join(tmp, 'nothing.sock')}`, DOCKER_CONFIG: join(tmp, 'cfg-empty') }), timeoutMs: 15_000 });
    expect(dead.container).toBeNull();
    expect(dead.available).toBe(true);
    expect(dead.error).toMatch(/Docker daemon not reachable|Cannot connect/);
  });

  it('uses the current `docker context` when DOCKER_HOST is not set', async () => {
    const config = join(tmp, 'cfg-context');
    const e = envWith({ DOCKER_CONFIG: config });
    await execa('docker', ['context', 'create', 'otw-private', '--docker', `host=${host}`], { env: e });
    await execa('docker', ['context', 'use', 'otw-private'], { env: e });
    const viaCurrent = await findGatewayContainer({ port, env: e, timeoutMs: 15_000 });
    expect(viaCurrent.container?.id).toBe(id);
    // DOCKER_CONTEXT names a context for one command, over the current one.
    const viaVar = await findGatewayContainer({ port, env: { ...e, DOCKER_CONTEXT: 'default' }, timeoutMs: 15_000 });
    expect(viaVar.container).toBeNull();
  });

  it('picks docker-compose when the compose plugin is missing (as here), the plugin when it exists, and prints that form', async () => {
    const here = await composeCommand(process.env);
    expect(here).toEqual(['docker-compose']);
    // A `docker` shim that has the plugin: the form the wizard prefers.
    const shimDir = join(tmp, 'shim');
    await execa('mkdir', ['-p', shimDir]);
    const real = String((await execa('sh', ['-c', 'command -v docker'])).stdout).trim();
    const shim = join(shimDir, 'docker');
    writeFileSync(shim, `#!/bin/sh\nif [ "$1" = compose ] && [ "$2" = version ]; then echo 2.29.7; exit 0; fi\nexec '${real}' "$@"\n`);
    chmodSync(shim, 0o755);
    expect(await composeCommand({ ...process.env, PATH: `${shimDir}:${process.env.PATH}` })).toEqual(['docker', 'compose']);
    expect(await composeCommand({ ...process.env, PATH: join(tmp, 'empty') })).toEqual(['docker', 'compose']);

    // The printed standalone form runs as printed, against the engine DOCKER_HOST names.
    const p = await createComposeProject({ dockerHost: host, image, configToken: null, envToken: null });
    const printed = formatComposeCommand(here, ['-f', p.composeFile, 'config', '--services']);
    expect(printed).toBe(`docker-compose -f ${p.composeFile} config --services`);
    const r = await execa('sh', ['-c', printed], { env: p.env, cwd: p.dir });
    expect(String(r.stdout).trim()).toBe('openclaw-gateway');
    expect(formatComposeCommand(['docker', 'compose'], ['-f', '/a b/compose.yml', 'up', '-d'])).toBe(`docker compose -f '/a b/compose.yml' up -d`);
    await p.down();
  });
});
