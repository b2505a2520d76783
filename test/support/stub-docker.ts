/**
 * A stub `docker` for e2e runs (sh builtins only: the sandbox PATH has no /bin): `docker ps` and
 * `docker inspect` describe one Compose container publishing the gateway's port, `docker logs`
 * is empty, and every `docker compose …` call is recorded (argv and working directory) before it
 * succeeds or fails as asked. `container: null` lists no container at all.
 */
import { join } from 'node:path';
import { stub, type E2eSandbox } from './e2e.js';

export interface StubComposeContainer {
  /** Host port (and container port) the container publishes. */
  port: number;
  /** com.docker.compose.project.working_dir: the project that runs the gateway. */
  projectDir: string;
  project?: string;
  service?: string;
  env?: string[];
}

export interface StubDockerOptions {
  container: StubComposeContainer | null;
  /** How `docker compose up` ends: exit 0, or this stderr and exit 1. */
  upFails?: string;
}

export interface StubDocker {
  /** Where each `docker compose` call is appended: `cwd=<dir> argv=<args>` per line. */
  calls: string;
}

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export async function stubDocker(sb: E2eSandbox, opts: StubDockerOptions): Promise<StubDocker> {
  const calls = join(sb.root, 'docker-compose-calls');
  const c = opts.container;
  const id = 'c0ffee'.padEnd(64, '0');
  const labels = c
    ? {
        'com.docker.compose.project': c.project ?? 'proj',
        'com.docker.compose.project.working_dir': c.projectDir,
        'com.docker.compose.project.config_files': join(c.projectDir, 'compose.yaml'),
        'com.docker.compose.service': c.service ?? 'openclaw-gateway',
      }
    : {};
  const ps = c
    ? JSON.stringify({
        ID: id,
        Names: 'proj-openclaw-gateway-1',
        Image: 'openclaw:local',
        Ports: `127.0.0.1:${c.port}->${c.port}/tcp`,
        State: 'running',
        Labels: Object.entries(labels)
          .map(([k, v]) => `${k}=${v}`)
          .join(','),
      })
    : '';
  const env = c?.env ?? ['HOME=/home/node'];
  const inspect = c
    ? JSON.stringify([
        {
          Id: id,
          Name: '/proj-openclaw-gateway-1',
          RestartCount: 0,
          Config: { Image: 'openclaw:local', Env: env, Labels: labels, User: 'node' },
          State: { Status: 'running', Running: true, Restarting: false, ExitCode: 0, StartedAt: '2026-01-01T00:00:00Z' },
          Mounts: [],
          HostConfig: { PortBindings: { [`${c.port}/tcp`]: [{ HostIp: '127.0.0.1', HostPort: String(c.port) }] } },
          NetworkSettings: { Ports: { [`${c.port}/tcp`]: [{ HostIp: '127.0.0.1', HostPort: String(c.port) }] } },
        },
      ])
    : '[]';
  const up = opts.upFails ? `echo ${q(opts.upFails)} >&2; exit 1` : 'exit 0';
  await stub(
    sb,
    'docker',
    [
      'case "$1" in',
      `  ps) ${ps ? `echo ${q(ps)}` : ':'} ;;`,
      `  inspect) if [ "$2" = --format ]; then echo ${q(JSON.stringify(env))}; else echo ${q(inspect)}; fi ;;`,
      '  logs) : ;;',
      '  compose)',
      '    if [ "$2" = version ]; then echo "Docker Compose version v2.30.0"; exit 0; fi',
      `    echo "cwd=$(pwd) argv=$*" >> ${q(calls)}`,
      `    case " $* " in *" up "*) ${up} ;; esac ;;`,
      '  *) echo "unexpected docker $*" >&2; exit 1 ;;',
      'esac',
    ].join('\n'),
  );
  return { calls };
}
