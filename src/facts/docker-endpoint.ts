/**
 * Whether asking the docker CLI can tell anything at all. `docker ps` is a Go start-up (tens of
 * milliseconds, more than the rest of a healthy diagnosis) on every run, and most machines have
 * no engine. The CLI is skipped only when its answer is certain without it: there is no `docker`
 * on PATH, or it would talk to the default socket (no DOCKER_HOST, no DOCKER_CONTEXT, no current
 * context in its config) and that socket does not exist. A `docker` that is a script (podman's
 * shim, a wrapper) may need no socket at all, so it is always asked.
 */
import { closeSync, lstatSync, openSync, readSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { readBoundedSync } from '../fs/read-bounded.js';
import { findOnPath } from './openclaw-cli.js';

export const DEFAULT_DOCKER_SOCKET = '/var/run/docker.sock';

function startsWithShebang(p: string): boolean {
  let fd: number | null = null;
  try {
    fd = openSync(p, 'r');
    const head = Buffer.alloc(2);
    return readSync(fd, head, 0, 2, 0) === 2 && head.toString('latin1') === '#!';
  } catch {
    return true; // unreadable: let the CLI itself say what is wrong
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

/** The docker CLI's current context from its config file, or null for the default one. */
function currentContext(env: NodeJS.ProcessEnv): string | null {
  const dir = env.DOCKER_CONFIG || join(env.HOME || homedir(), '.docker');
  const r = readBoundedSync(join(dir, 'config.json'), { maxBytes: 256 * 1024 });
  if (!r.ok) return null;
  try {
    const ctx = (JSON.parse(r.text) as { currentContext?: unknown }).currentContext;
    return typeof ctx === 'string' && ctx !== '' && ctx !== 'default' ? ctx : null;
  } catch {
    return 'unreadable'; // the CLI reads it too: let it report the problem
  }
}

/**
 * Why the docker CLI need not be run, as the facts a run would have produced; null when it must be
 * run. `socket` is for tests: the default engine socket.
 */
export async function dockerAnswerWithoutCli(env: NodeJS.ProcessEnv, docker = 'docker', socket = DEFAULT_DOCKER_SOCKET): Promise<{ available: boolean; error: string } | null> {
  const cli = await findOnPath(docker, env);
  if (!cli) return { available: false, error: 'docker not found on PATH' };
  if (env.DOCKER_HOST || env.DOCKER_CONTEXT || currentContext(env) !== null) return null;
  if (startsWithShebang(cli)) return null;
  try {
    lstatSync(socket);
    return null;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') return null;
  }
  return { available: true, error: `Docker daemon not reachable: no engine socket at ${socket} (DOCKER_HOST and docker context not set)` };
}
