/**
 * When the gateway on the diagnosed port is a Docker container, its config, env and log are the
 * container's: this module decides whether to ask the engine at all (diagnose stays fast when no
 * container is involved) and turns what findGatewayContainer found into diagnosis facts.
 */
import { mappingForHostPort, parsePsPorts } from '../facts/container-inspect.js';
import type { GatewayContainer } from '../facts/container-gateway.js';
import { parseGatewayLog } from '../facts/gateway-log.js';
import type { ConfigFacts, DockerFacts, GatewayLogFacts, ListenerFacts } from '../facts/types.js';
import type { TokenSource } from '../types.js';

/** Processes that hold a published port for a container: the gateway behind them is in the container. */
const CONTAINER_PROXIES = /(^|\/)(docker-proxy|containerd|rootlesskit|slirp4netns|vpnkit|com\.docker\.backend|dockerd)\b/;

/**
 * Ask the engine only when Docker answered and something points at a container: a listener on the
 * port that is a container proxy (or whose owner this user cannot see: a root docker-proxy), an
 * OpenClaw container publishing the port or nothing (a restarting one publishes nothing), or a
 * container the person named.
 */
export function worthAskingEngine(port: number, docker: DockerFacts | null, listeners: ListenerFacts | null, named: boolean): boolean {
  if (!docker?.available || docker.error) return false;
  if (named || docker.containers.some((c) => !c.ports || mappingForHostPort(parsePsPorts(c.ports), port))) return true;
  const ls = listeners?.listeners ?? [];
  return ls.some((l) => l.command === null || CONTAINER_PROXIES.test(l.command) || CONTAINER_PROXIES.test(l.commandLine ?? ''));
}

/** `container:<name>:config`, `container:<name>:config:password`, ...: never the host config's ids. */
export function containerConfigSourceId(containerName: string, hostId: string): string {
  return `container:${containerName}:${hostId}`;
}

/** The container's mounted config, with source ids of its own and a note saying where it is mounted. */
export function containerConfig(c: GatewayContainer): ConfigFacts | null {
  if (!c.config) return null;
  const note = `mounted at ${c.containerConfigPath} in container ${c.name}`;
  return {
    ...c.config,
    sources: c.config.sources.map((s) => ({ ...s, id: containerConfigSourceId(c.name, s.id), notes: [...(s.notes ?? []), note] })),
  };
}

/** The container's env tokens not already read by readDocker (same `container:<name>` ids). */
export function newContainerEnvSources(c: GatewayContainer, known: readonly TokenSource[]): TokenSource[] {
  const ids = new Set(known.map((s) => s.id));
  return c.envSources.filter((s) => !ids.has(s.id));
}

/** readDocker's sources without other containers': once the gateway on the port is known, those serve other ports. */
export function withoutOtherContainers(c: GatewayContainer, sources: readonly TokenSource[]): TokenSource[] {
  const own = new Set(c.envSources.map((s) => s.id));
  return sources.filter((s) => s.kind !== 'container' || own.has(s.id));
}

/** The container's last log lines as the gateway log: its own port and the published one are both its. */
export function containerLog(c: GatewayContainer): GatewayLogFacts {
  const parsed = parseGatewayLog(c.lastLogLines.join('\n'), [c.portMapping.host, c.portMapping.container]);
  return { file: `docker logs ${c.name}`, exists: true, error: null, ...parsed };
}
