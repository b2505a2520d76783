import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dockerAnswerWithoutCli } from '../../src/facts/docker-endpoint.js';
import { readDocker } from '../../src/facts/docker.js';
import { makeSandbox, type Sandbox } from '../support/sandbox.js';

// A `docker` that is a compiled program (not a script) is stood in for by a file with an ELF
// header that cannot run: if the wizard ever executed it, readDocker would report a failure to
// run it instead of the missing socket.
let sb: Sandbox;
let bin: string;
let socket: string;
beforeEach(async () => {
  sb = await makeSandbox('otw-docker-endpoint-');
  bin = join(sb.cwd, 'bin');
  socket = join(sb.cwd, 'docker.sock');
  await mkdir(bin);
});
afterEach(async () => {
  await sb.cleanup();
});

async function dockerBinary(content: string): Promise<NodeJS.ProcessEnv> {
  const p = join(bin, 'docker');
  await writeFile(p, content);
  await chmod(p, 0o755);
  return { ...sb.env, PATH: bin, DOCKER_HOST: '', DOCKER_CONTEXT: '', DOCKER_CONFIG: join(sb.home, '.docker') };
}
const ELF = '\x7fELF not really a program';

describe('asking the docker CLI only when it can tell something', () => {
  it('no engine socket, no DOCKER_HOST or context: the daemon is unreachable without running docker', async () => {
    const env = await dockerBinary(ELF);
    const answer = { available: true, error: `Docker daemon not reachable: no engine socket at ${socket} (DOCKER_HOST and docker context not set)` };
    expect(await dockerAnswerWithoutCli(env, 'docker', socket)).toEqual(answer);
    expect(await readDocker({ env, timeoutMs: 2000, socket })).toEqual({ containers: [], sources: [], ...answer });
  });

  it('no docker on PATH: not found, without a spawn', async () => {
    expect(await dockerAnswerWithoutCli({ ...sb.env, PATH: bin }, 'docker', socket)).toEqual({ available: false, error: 'docker not found on PATH' });
  });

  it('runs the CLI when the socket exists, DOCKER_HOST or DOCKER_CONTEXT is set, a context is current, or docker is a script', async () => {
    const env = await dockerBinary(ELF);
    expect(await dockerAnswerWithoutCli({ ...env, DOCKER_HOST: 'tcp://127.0.0.1:2375' }, 'docker', socket)).toBeNull();
    expect(await dockerAnswerWithoutCli({ ...env, DOCKER_CONTEXT: 'remote' }, 'docker', socket)).toBeNull();
    await mkdir(join(sb.home, '.docker'), { recursive: true });
    await writeFile(join(sb.home, '.docker', 'config.json'), JSON.stringify({ currentContext: 'desktop-linux' }));
    expect(await dockerAnswerWithoutCli(env, 'docker', socket)).toBeNull();
    await writeFile(join(sb.home, '.docker', 'config.json'), JSON.stringify({ currentContext: 'default' }));
    expect(await dockerAnswerWithoutCli(env, 'docker', socket)).not.toBeNull();
    await writeFile(socket, '');
    expect(await dockerAnswerWithoutCli(env, 'docker', socket)).toBeNull();
  });

  it('a docker that is a script (podman-docker, a wrapper) is always asked: it may need no socket', async () => {
    const env = await dockerBinary('#!/bin/sh\nexit 0\n');
    expect(await dockerAnswerWithoutCli(env, 'docker', socket)).toBeNull();
  });
});
