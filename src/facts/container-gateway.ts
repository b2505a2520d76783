/**
 * The gateway behind a port, when that gateway is a Docker container. Its config, state and log
 * are the container's, not the host's ~/.openclaw and /tmp/openclaw: the container is found from
 * the engine's port mappings, the config is read on the host through the container's mounts
 * (`docker inspect` Mounts), and the log comes from the engine (`docker logs`).
 *
 * Every docker call has a timeout and gets the caller's whole env, so DOCKER_HOST, DOCKER_CONTEXT
 * and the current `docker context` apply exactly as in the user's shell (no socket is assumed).
 * Every outcome (no docker, daemon down, no container on the port) is data, never a throw.
 */
import { readConfig } from './config.js';
import { containerSources, describeDockerFailure, isOpenClawContainer, parseDockerPs, type PsEntry } from './docker.js';
import { readCommand } from './read-command.js';
import {
  containerOpenClawPaths,
  hostPathFor,
  mappingForHostPort,
  mergeTimestampedLogs,
  parseInspect,
  parsePsPorts,
  type ContainerMount,
  type InspectedContainer,
  type PortMapping,
} from './container-inspect.js';
import { redactText, type Secret } from '../secret.js';
import type { TokenSource } from '../types.js';
import type { ConfigFacts } from './types.js';

export interface GatewayContainer {
  id: string;
  name: string;
  image: string;
  /** Compose labels (null when the container was not started by Compose). */
  service: string | null;
  project: string | null;
  projectDir: string | null;
  composeFiles: string[];
  status: string;
  restarting: boolean;
  restartCount: number;
  exitCode: number | null;
  /** The mapping that publishes the asked-for host port. */
  portMapping: PortMapping;
  mounts: ContainerMount[];
  /** Where OpenClaw keeps state and config inside the container. */
  containerStateDir: string;
  containerConfigPath: string;
  /** The same on this host, through the container's mounts (null: not on a mount, or not here). */
  stateHostPath: string | null;
  configHostPath: string | null;
  /** The config read at configHostPath, ${VAR}s resolved with the container's env (null: not readable here). */
  config: ConfigFacts | null;
  /** OPENCLAW_GATEWAY_TOKEN / _PASSWORD the container was started with (docker inspect). */
  envSources: TokenSource[];
  /** Last lines of `docker logs`, in order, escape sequences stripped and known secrets redacted. */
  lastLogLines: string[];
  notes: string[];
}

export interface ContainerGatewayFacts {
  /** A docker client answered. */
  available: boolean;
  error: string | null;
  container: GatewayContainer | null;
}

export interface FindGatewayContainerOptions {
  /** The host port the gateway is reached on. */
  port: number;
  env: NodeJS.ProcessEnv;
  timeoutMs?: number;
  logLines?: number;
  docker?: string;
}

/** Containers `docker inspect` is asked about at most (the ones publishing the port come first). */
const MAX_INSPECTED = 20;

/** ps rows worth inspecting: those publishing the port, then OpenClaw-looking ones (a restarting container shows no ports). */
function candidates(rows: PsEntry[], port: number): PsEntry[] {
  const publishing = rows.filter((r) => mappingForHostPort(parsePsPorts(r.ports), port));
  const rest = rows.filter((r) => !publishing.includes(r) && isOpenClawContainer(r));
  return [...publishing, ...rest].slice(0, MAX_INSPECTED);
}

/** Running first, then restarting, then the most recently started. */
function rank(c: InspectedContainer): [number, string] {
  return [c.running && !c.restarting ? 0 : c.restarting ? 1 : 2, c.startedAt];
}

export function pickContainer(list: InspectedContainer[], port: number): InspectedContainer | null {
  const on = list.filter((c) => mappingForHostPort(c.ports, port));
  on.sort((a, b) => {
    const [ra, ta] = rank(a);
    const [rb, tb] = rank(b);
    return ra !== rb ? ra - rb : ta < tb ? 1 : ta > tb ? -1 : 0;
  });
  return on[0] ?? null;
}

async function readContainerConfig(c: InspectedContainer, configHostPath: string | null, notes: string[]): Promise<ConfigFacts | null> {
  if (!configHostPath) return null;
  // ${VAR} in the config resolves against the gateway's environment, which is the container's.
  const env: NodeJS.ProcessEnv = Object.fromEntries(c.env);
  const config = await readConfig(configHostPath, env);
  if (!config.exists) {
    notes.push(`${configHostPath} does not exist on this host (is the engine on another machine?)`);
    return null;
  }
  return config;
}

function secretsOf(sources: TokenSource[]): Secret[] {
  return sources.flatMap((s) => (s.value ? [s.value] : []));
}

async function readLogs(docker: string, id: string, opts: { env: NodeJS.ProcessEnv; timeoutMs: number; lines: number }): Promise<{ lines: string[]; error: string | null }> {
  const r = await readCommand(docker, ['logs', '--timestamps', '--tail', String(opts.lines), id], { env: opts.env, timeoutMs: opts.timeoutMs });
  if (!r.ok) return { lines: [], error: describeDockerFailure(r, 'docker logs').error };
  return { lines: mergeTimestampedLogs(r.stdout, r.stderr, opts.lines), error: null };
}

async function describe(c: InspectedContainer, mapping: PortMapping, docker: string, opts: { env: NodeJS.ProcessEnv; timeoutMs: number; lines: number }): Promise<GatewayContainer> {
  const notes: string[] = [];
  const paths = containerOpenClawPaths(c.env, c.user);
  const state = hostPathFor(paths.stateDir, c.mounts);
  const config = hostPathFor(paths.configPath, c.mounts);
  if (!config) notes.push(`${paths.configPath} is not on a mount: it lives only inside the container`);
  const configFacts = await readContainerConfig(c, config?.hostPath ?? null, notes);
  const envSources = containerSources(c.name, c.env, [`read via docker inspect`]);
  const logs = await readLogs(docker, c.id, opts);
  if (logs.error) notes.push(`could not read the container log: ${logs.error}`);
  const secrets = [...secretsOf(envSources), ...secretsOf(configFacts?.sources ?? [])];
  const labels = c.labels;
  return {
    id: c.id,
    name: c.name,
    image: c.image,
    service: labels['com.docker.compose.service'] ?? null,
    project: labels['com.docker.compose.project'] ?? null,
    projectDir: labels['com.docker.compose.project.working_dir'] ?? null,
    composeFiles: (labels['com.docker.compose.project.config_files'] ?? '').split(',').filter(Boolean),
    status: c.status,
    restarting: c.restarting,
    restartCount: c.restartCount,
    exitCode: c.exitCode,
    portMapping: mapping,
    mounts: c.mounts,
    containerStateDir: paths.stateDir,
    containerConfigPath: paths.configPath,
    stateHostPath: state?.hostPath ?? null,
    configHostPath: config?.hostPath ?? null,
    config: configFacts,
    envSources,
    lastLogLines: logs.lines.map((l) => redactText(l, secrets)),
    notes,
  };
}

/** The container publishing `port` on this host, with its config, env tokens and last log lines. */
export async function findGatewayContainer(opts: FindGatewayContainerOptions): Promise<ContainerGatewayFacts> {
  const docker = opts.docker ?? 'docker';
  const runOpts = { env: opts.env, timeoutMs: opts.timeoutMs ?? 3000 };
  const ps = await readCommand(docker, ['ps', '-a', '--no-trunc', '--format', '{{json .}}'], runOpts);
  if (!ps.ok) {
    const d = describeDockerFailure(ps, 'docker ps');
    return { available: d.available, error: d.error, container: null };
  }
  const ids = candidates(parseDockerPs(ps.stdout), opts.port).map((r) => r.id);
  if (ids.length === 0) return { available: true, error: null, container: null };
  const inspect = await readCommand(docker, ['inspect', '--type', 'container', ...ids], runOpts);
  // A container removed between ps and inspect makes inspect exit 1 but still print the others.
  const list = parseInspect(inspect.stdout);
  if (!list) return { available: true, error: describeDockerFailure(inspect, 'docker inspect').error, container: null };
  const c = pickContainer(list, opts.port);
  if (!c) return { available: true, error: null, container: null };
  const container = await describe(c, mappingForHostPort(c.ports, opts.port)!, docker, { ...runOpts, lines: opts.logLines ?? 40 });
  return { available: true, error: null, container };
}
