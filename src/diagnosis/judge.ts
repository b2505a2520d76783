/** How each fact source's result reads as a row of the report's check list. */
import type { ContainerGatewayFacts } from '../facts/container-gateway.js';
import type { ComposeFacts, ConfigFacts, DockerFacts, DotenvFacts, GatewayLogFacts, ListenerFacts, OpenClawCliFacts, ServiceFacts } from '../facts/types.js';
import type { HealthResult } from '../gateway/types.js';
import type { CheckStatus, TokenSource } from '../types.js';
import { plural } from '../render/style.js';

type Row = { status: CheckStatus; note: string };

function statusFromSources(sources: TokenSource[], base: CheckStatus = 'pass'): CheckStatus {
  return sources.some((s) => s.problems.length > 0) ? 'warn' : base;
}

export function judgeConfig(c: ConfigFacts | null): Row {
  if (!c) return { status: 'fail', note: 'no home directory: cannot locate the OpenClaw config' };
  if (c.error) return { status: 'fail', note: `${c.path}: ${c.error.message}${c.error.line ? ` (line ${c.error.line}, column ${c.error.column ?? '?'})` : ''}` };
  if (!c.exists) return { status: 'warn', note: `${c.path} does not exist` };
  return { status: statusFromSources(c.sources), note: `${c.path}${c.gateway.mode ? `, gateway.mode=${c.gateway.mode}` : ', gateway.mode unset'}` };
}

export function judgeDotenvs(ds: DotenvFacts[]): Row {
  const found = ds.filter((d) => d.exists);
  const errs = ds.filter((d) => d.error);
  if (errs.length) return { status: 'warn', note: errs.map((d) => `${d.path}: ${d.error}`).join('; ') };
  const n = found.reduce((a, d) => a + d.sources.length, 0);
  return { status: statusFromSources(found.flatMap((d) => d.sources)), note: found.length ? `${found.map((d) => d.path).join(', ')}: ${plural(n, 'gateway credential')}` : 'no .env files' };
}

export function judgeCli(c: OpenClawCliFacts): Row {
  return c.found ? { status: 'pass', note: `${c.path} ${c.version ?? '(version unknown)'}` } : { status: 'warn', note: c.error ?? 'openclaw not found' };
}

export function judgeCompose(c: ComposeFacts): Row {
  if (c.errors.length) return { status: 'warn', note: c.errors.map((e) => `${e.file}: ${e.message}`).join('; ') };
  if (!c.files.length) return { status: 'skip', note: 'no compose file here' };
  return { status: statusFromSources(c.sources), note: `${plural(c.files.length, 'compose file')}, ${plural(c.sources.length, 'gateway credential')}` };
}

export function judgeDocker(d: DockerFacts): Row {
  if (!d.available) return { status: 'skip', note: d.error ?? 'docker not found' };
  if (d.error) return { status: 'skip', note: d.error };
  return { status: statusFromSources(d.sources), note: `${plural(d.containers.length, 'OpenClaw container')}` };
}

export function judgeContainer(port: number) {
  return (c: ContainerGatewayFacts): Row => {
    if (c.error) return { status: 'skip', note: c.error };
    const g = c.container;
    if (!g) return { status: 'pass', note: `no container publishes port ${port}` };
    const where = g.configHostPath ? `config ${g.configHostPath}` : `config only inside the container (${g.containerConfigPath})`;
    return { status: g.restarting || g.status !== 'running' ? 'warn' : 'pass', note: `container ${g.name} (${g.status}) publishes ${port} → ${g.portMapping.container}; ${where}` };
  };
}

export function judgeServices(s: ServiceFacts | null): Row {
  if (!s) return { status: 'skip', note: 'no home directory' };
  if (!s.files.length) return { status: 'pass', note: 'no service files embed a token' };
  return { status: statusFromSources(s.sources), note: `${plural(s.files.length, 'service file')}, ${s.sources.length} embed a credential` };
}

export function judgeListeners(port: number) {
  return (l: ListenerFacts): Row => {
    const gws = l.listeners.filter((x) => x.isGateway);
    if (l.method === 'none') return { status: 'skip', note: l.error ?? 'no way to list listeners (ss, lsof, /proc)' };
    if (!l.listeners.length) return { status: 'warn', note: `nothing listens on port ${port} (${l.method})` };
    return { status: gws.length === l.listeners.length ? 'pass' : 'warn', note: l.listeners.map((x) => `${x.address} pid ${x.pid ?? '?'} ${x.command ?? ''}`.trim()).join('; ') + ` (${l.method})` };
  };
}

export function judgeLog(port: number, first: string | undefined) {
  return (g: GatewayLogFacts): Row => {
    if (!g.exists) return { status: 'skip', note: `no log at ${first ?? '(none)'}` };
    if (g.error) return { status: 'warn', note: `${g.file}: ${g.error}` };
    return { status: 'pass', note: `${g.file}: ${plural(g.handshakes.length, 'handshake record')} for port ${port}` };
  };
}

export function judgeHealth(h: HealthResult): Row {
  return h.ok ? { status: 'pass', note: `GET /healthz ${h.status}` } : { status: 'warn', note: h.note ?? `GET /healthz ${h.status ?? 'no answer'}` };
}
