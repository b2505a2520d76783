/**
 * Pure parsing of what the Docker engine reports about containers: `docker inspect` JSON, the
 * `Ports` column of `docker ps --format '{{json .}}'`, and `docker logs --timestamps` output.
 * Shapes checked against a real engine (test/fixtures/docker/, recorded by the docker suite).
 * No I/O here: src/facts/container-gateway.ts runs the commands.
 */
import { posix } from 'node:path';
import { sanitizeForTerminal } from '../text/sanitize.js';
import { envFromList } from './docker.js';

export interface PortMapping {
  /** Host address the port is published on ('' or 0.0.0.0 / :: for all). */
  hostIp: string;
  host: number;
  container: number;
  protocol: string;
}

export interface ContainerMount {
  type: string;
  /** Path on the engine's host (for a named volume: its _data directory). */
  source: string;
  destination: string;
  rw: boolean;
  /** Named volume's name. */
  name: string | null;
}

export interface InspectedContainer {
  id: string;
  name: string;
  image: string;
  env: Map<string, string>;
  labels: Record<string, string>;
  user: string;
  status: string;
  running: boolean;
  restarting: boolean;
  exitCode: number | null;
  restartCount: number;
  startedAt: string;
  mounts: ContainerMount[];
  /** Published ports: live ones (NetworkSettings.Ports) and configured ones (HostConfig.PortBindings). */
  ports: PortMapping[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (o: Obj | undefined, k: string): string => (o && typeof o[k] === 'string' ? o[k] : '');
const num = (o: Obj | undefined, k: string): number | null => (o && typeof o[k] === 'number' ? o[k] : null);

/** `{"18789/tcp": [{"HostIp": "127.0.0.1", "HostPort": "28790"}]}` (either map the engine keeps). */
function portMapEntries(map: unknown): PortMapping[] {
  if (!isObj(map)) return [];
  const out: PortMapping[] = [];
  for (const [key, bindings] of Object.entries(map)) {
    const m = /^(\d+)\/(\w+)$/.exec(key);
    if (!m || !Array.isArray(bindings)) continue;
    for (const b of bindings) {
      if (!isObj(b)) continue;
      const host = Number(str(b, 'HostPort'));
      if (!Number.isInteger(host) || host <= 0) continue; // "" = a random port not yet assigned
      out.push({ hostIp: str(b, 'HostIp'), host, container: Number(m[1]), protocol: m[2]! });
    }
  }
  return out;
}

function uniquePorts(list: PortMapping[]): PortMapping[] {
  const seen = new Set<string>();
  return list.filter((p) => {
    const k = `${p.hostIp}|${p.host}|${p.container}|${p.protocol}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function mountsOf(list: unknown): ContainerMount[] {
  if (!Array.isArray(list)) return [];
  return list.filter(isObj).map((m) => ({
    type: str(m, 'Type'),
    source: str(m, 'Source'),
    destination: str(m, 'Destination'),
    rw: m.RW !== false,
    name: str(m, 'Name') || null,
  }));
}

function labelsOf(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isObj(v)) for (const [k, val] of Object.entries(v)) if (typeof val === 'string') out[k] = val;
  return out;
}

function parseOne(o: Obj): InspectedContainer | null {
  const id = str(o, 'Id');
  if (!id) return null;
  const config = isObj(o.Config) ? o.Config : undefined;
  const state = isObj(o.State) ? o.State : undefined;
  const host = isObj(o.HostConfig) ? o.HostConfig : undefined;
  const net = isObj(o.NetworkSettings) ? o.NetworkSettings : undefined;
  return {
    id,
    name: str(o, 'Name').replace(/^\//, ''),
    image: str(config, 'Image'),
    env: envFromList(config?.Env),
    labels: labelsOf(config?.Labels),
    user: str(config, 'User'),
    status: str(state, 'Status'),
    running: state?.Running === true,
    restarting: state?.Restarting === true,
    exitCode: num(state, 'ExitCode'),
    restartCount: num(o, 'RestartCount') ?? 0,
    startedAt: str(state, 'StartedAt'),
    mounts: mountsOf(o.Mounts),
    ports: uniquePorts([...portMapEntries(net?.Ports), ...portMapEntries(host?.PortBindings)]),
  };
}

/** Parse `docker inspect ID...` output (a JSON array); null when it is not one. */
export function parseInspect(text: string): InspectedContainer[] | null {
  let arr: unknown;
  try {
    arr = JSON.parse(text);
  } catch {
    return null;
  }
  if (!Array.isArray(arr)) return null;
  return arr
    .filter(isObj)
    .map(parseOne)
    .filter((c): c is InspectedContainer => c !== null);
}

/**
 * The `Ports` column of `docker ps`: `127.0.0.1:28790->18789/tcp, :::28790->18789/tcp`, ranges
 * `0.0.0.0:8000-8001->8000-8001/tcp`, and unpublished `18789/tcp` (skipped).
 */
export function parsePsPorts(ports: string): PortMapping[] {
  const out: PortMapping[] = [];
  for (const part of ports.split(',')) {
    const m = /^\s*(.*):(\d+)(?:-(\d+))?->(\d+)(?:-(\d+))?\/(\w+)\s*$/.exec(part);
    if (!m) continue;
    const [hostIp, h1, h2, c1, , protocol] = [m[1]!, Number(m[2]), m[3] ? Number(m[3]) : Number(m[2]), Number(m[4]), m[5], m[6]!];
    for (let i = 0; h1 + i <= h2 && i < 1024; i++) out.push({ hostIp: hostIp.replace(/^\[|\]$/g, ''), host: h1 + i, container: c1 + i, protocol });
  }
  return uniquePorts(out);
}

/** The mapping that publishes TCP `hostPort`, if the container has one. */
export function mappingForHostPort(ports: readonly PortMapping[], hostPort: number): PortMapping | null {
  return ports.find((p) => p.host === hostPort && p.protocol === 'tcp') ?? null;
}

/**
 * Where OpenClaw inside the container keeps its state and config, from the container's own
 * environment (OPENCLAW_CONFIG_PATH, OPENCLAW_STATE_DIR, HOME) and user, as OpenClaw resolves them.
 */
export function containerOpenClawPaths(env: Map<string, string>, user: string): { stateDir: string; configPath: string; home: string } {
  const home = env.get('OPENCLAW_HOME') || env.get('HOME') || (user === '' || user === 'root' || user === '0' ? '/root' : `/home/${user.split(':')[0]}`);
  const stateDir = env.get('OPENCLAW_STATE_DIR') || posix.join(home, '.openclaw');
  const configPath = env.get('OPENCLAW_CONFIG_PATH') || posix.join(stateDir, 'openclaw.json');
  return { stateDir: posix.resolve('/', stateDir), configPath: posix.resolve(stateDir, configPath), home };
}

/** The host path behind a path inside the container: the deepest mount whose destination holds it. */
export function hostPathFor(containerPath: string, mounts: readonly ContainerMount[]): { hostPath: string; mount: ContainerMount } | null {
  let best: ContainerMount | null = null;
  for (const m of mounts) {
    if (!m.destination || !m.source) continue;
    const dest = m.destination.replace(/\/+$/, '') || '/';
    const inside = containerPath === dest || containerPath.startsWith(dest === '/' ? '/' : `${dest}/`);
    if (inside && (!best || dest.length > best.destination.replace(/\/+$/, '').length)) best = m;
  }
  if (!best) return null;
  const rest = posix.relative(best.destination, containerPath);
  return { hostPath: rest ? posix.join(best.source, rest) : best.source, mount: best };
}

/**
 * `docker logs --timestamps` prints stdout and stderr on two pipes; each line starts with the
 * engine's RFC 3339 timestamp, so sorting on it restores the container's order. Returns the last
 * `max` lines without the engine's timestamps, escape sequences removed.
 */
export function mergeTimestampedLogs(stdout: string, stderr: string, max: number): string[] {
  const lines: Array<{ t: string; text: string; i: number }> = [];
  let i = 0;
  for (const chunk of [stdout, stderr]) {
    for (const raw of chunk.split('\n')) {
      if (raw === '') continue;
      const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})) ?(.*)$/.exec(raw);
      lines.push({ t: m ? m[1]!.replace(/(\.\d+)?(Z|[+-].*)$/, (_s, f: string | undefined, z: string) => `${(f ?? '.').padEnd(10, '0')}${z}`) : '', text: m ? m[2]! : raw, i: i++ });
    }
  }
  lines.sort((a, b) => (a.t === b.t ? a.i - b.i : a.t < b.t ? -1 : 1));
  return lines.slice(-max).map((l) => sanitizeForTerminal(l.text));
}
