/**
 * Gathers every fact concurrently, each under its own timeout, probes the live gateway with every
 * distinct candidate token, and hands the facts to the rules in findings.ts. Read-only: nothing
 * here changes the machine.
 */
import { join } from 'node:path';
import { readConfig } from './facts/config.js';
import { readDotenvFile } from './facts/dotenv.js';
import { readProcessEnv } from './facts/process-env.js';
import { readCompose } from './facts/compose.js';
import { readDocker } from './facts/docker.js';
import { readServices } from './facts/services.js';
import { readListeners } from './facts/listeners.js';
import { readGatewayLog } from './facts/gateway-log.js';
import { findOpenClawCli } from './facts/openclaw-cli.js';
import { resolveGatewayPort, resolveLogFile, resolveOpenClawPaths } from './facts/paths.js';
import type {
  ComposeFacts,
  ConfigFacts,
  DockerFacts,
  DotenvFacts,
  GatewayLogFacts,
  ListenerFacts,
  OpenClawCliFacts,
  OpenClawPaths,
  ProcessEnvFacts,
  ServiceFacts,
} from './facts/types.js';
import { probeGateway, isLoopbackHost } from './gateway/probe.js';
import { fetchHealth } from './gateway/health.js';
import type { HealthResult, ProbeResult } from './gateway/types.js';
import { FATAL_PROBLEMS } from './hygiene.js';
import { Secret } from './secret.js';
import type { CheckResult, CheckStatus, TokenSource } from './types.js';
import { WIZARD_VERSION } from './version.js';
import { deriveFindings } from './findings.js';
import { buildDiagnosisReport, type DiagnosisReport } from './render/json.js';

export interface DiagnoseOptions {
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Per-check timeout. */
  timeoutMs: number;
  configFlag?: string;
  profile?: string;
  dev?: boolean;
  port?: number;
  /** Gateway URL to probe instead of the one the config implies. */
  url?: string;
  composeFile?: string;
  container?: string;
  logFile?: string;
  /** A token the person has (e.g. what their browser holds), from --token-stdin. */
  userToken?: Secret;
}

export interface GatewayTarget {
  url: string;
  httpUrl: string;
  host: string;
  port: number;
  portSource: string;
  tls: boolean;
  /** Probing a remote gateway (gateway.mode=remote / --url to another host). */
  remote: boolean;
  basePath: string | null;
}

/** Everything diagnose learned; the flows read these, the report is rendered from them. */
export interface DiagnosisFacts {
  paths: OpenClawPaths | null;
  config: ConfigFacts | null;
  processEnv: ProcessEnvFacts | null;
  dotenvs: DotenvFacts[];
  compose: ComposeFacts | null;
  docker: DockerFacts | null;
  services: ServiceFacts | null;
  listeners: ListenerFacts | null;
  log: GatewayLogFacts | null;
  cli: OpenClawCliFacts | null;
  target: GatewayTarget;
  health: HealthResult | null;
  /** Probe outcome per distinct token fingerprint. */
  probes: Map<string, ProbeResult>;
  /** Probe without any token, run when no candidate token exists (tells whether anything is there). */
  bareProbe: ProbeResult | null;
  sources: TokenSource[];
  /** true = the live gateway accepted this source's value; false = rejected; null = not probed. */
  accepted: Map<string, boolean | null>;
  userToken: Secret | null;
  userTokenAccepted: boolean | null;
}

export interface Diagnosis {
  facts: DiagnosisFacts;
  report: DiagnosisReport;
}

interface Timed<T> {
  value: T | null;
  check: CheckResult;
}

/** Run one fact source under its own timeout; a throw or a timeout becomes a check row, never a crash. */
async function timed<T>(
  id: string,
  timeoutMs: number,
  work: () => Promise<T>,
  judge: (v: T) => { status: CheckStatus; note: string },
): Promise<Timed<T>> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    const r = await Promise.race([work(), timeout]);
    const ms = Math.round(performance.now() - started);
    if (r === 'timeout') return { value: null, check: { id, status: 'skip', ms, note: `timed out after ${timeoutMs} ms` } };
    const j = judge(r);
    return { value: r, check: { id, ...j, ms } };
  } catch (err) {
    const ms = Math.round(performance.now() - started);
    const msg = err instanceof Error ? err.message : String(err);
    return { value: null, check: { id, status: 'skip', ms, note: `check crashed: ${msg}` } };
  } finally {
    clearTimeout(timer);
  }
}

const PROBE_PRIORITY: Record<string, number> = {
  config: 0,
  'process-env': 1,
  dotenv: 2,
  'config-env': 3,
  service: 4,
  launchctl: 5,
  compose: 6,
  container: 7,
  'config-remote': 8,
};

/** A value worth presenting to the gateway: readable and not one OpenClaw rejects outright. */
function isProbeable(s: TokenSource): s is TokenSource & { value: Secret } {
  return s.value !== null && !s.problems.some((p) => FATAL_PROBLEMS.has(p));
}

export function resolveTarget(opts: DiagnoseOptions, config: ConfigFacts | null, paths: OpenClawPaths | null, envPort: string | null): GatewayTarget {
  const g = config?.gateway;
  const tls = g?.tlsEnabled ?? false;
  const basePath = g?.basePath ?? null;
  const explicitUrl = opts.url ?? (g?.mode === 'remote' ? g.remoteUrl ?? undefined : undefined);
  if (explicitUrl) {
    try {
      const u = new URL(explicitUrl);
      const port = Number(u.port || (u.protocol === 'wss:' || u.protocol === 'https:' ? 443 : 80));
      const host = u.hostname.replace(/^\[|\]$/g, '');
      const secure = u.protocol === 'wss:' || u.protocol === 'https:';
      const hostPart = host.includes(':') ? `[${host}]` : host;
      return {
        url: `${secure ? 'wss' : 'ws'}://${hostPart}:${port}${u.pathname === '/' ? '' : u.pathname}`,
        httpUrl: `${secure ? 'https' : 'http'}://${hostPart}:${port}`,
        host,
        port,
        portSource: opts.url ? '--url' : 'gateway.remote.url',
        tls: secure,
        remote: !isLoopbackHost(host),
        basePath,
      };
    } catch {
      // fall through to the local target; the config check reports the bad URL
    }
  }
  const { port, source } = resolveGatewayPort({
    flag: opts.port,
    env: envPort === null ? {} : { OPENCLAW_GATEWAY_PORT: envPort },
    configPort: g?.port ?? null,
    profile: paths?.profile ?? null,
    profileSource: paths?.profileSource ?? null,
  });
  const host = g?.bind === 'custom' && g.customBindHost ? g.customBindHost : '127.0.0.1';
  const ws = tls ? 'wss' : 'ws';
  const http = tls ? 'https' : 'http';
  return {
    url: `${ws}://${host}:${port}${basePath ?? ''}`,
    httpUrl: `${http}://${host}:${port}`,
    host,
    port,
    portSource: source,
    tls,
    remote: false,
    basePath,
  };
}

function statusFromSources(sources: TokenSource[], base: CheckStatus = 'pass'): CheckStatus {
  return sources.some((s) => s.problems.length > 0) ? 'warn' : base;
}

export async function diagnose(opts: DiagnoseOptions): Promise<Diagnosis> {
  const started = performance.now();
  const t = opts.timeoutMs;
  const checks: CheckResult[] = [];

  // Config first: the port, the log file and the main token all come from it, and it is a local file read.
  const paths = (() => {
    try {
      return resolveOpenClawPaths({ env: opts.env, configFlag: opts.configFlag, profile: opts.profile, dev: opts.dev });
    } catch {
      return null;
    }
  })();
  const configP = timed(
    'config',
    t,
    async () => (paths ? readConfig(paths.configPath, opts.env) : null),
    (c) =>
      !c
        ? { status: 'fail', note: 'no home directory: cannot locate the OpenClaw config' }
        : c.error
          ? { status: 'fail', note: `${c.path}: ${c.error.message}${c.error.line ? ` (line ${c.error.line}, column ${c.error.column ?? '?'})` : ''}` }
          : !c.exists
            ? { status: 'warn', note: `${c.path} does not exist` }
            : { status: statusFromSources(c.sources), note: `${c.path}${c.gateway.mode ? `, gateway.mode=${c.gateway.mode}` : ', gateway.mode unset'}` },
  );
  const envFacts = readProcessEnv(opts.env);
  const dotenvPaths: Array<[string, string]> = [['dotenv:cwd', join(opts.cwd, '.env')]];
  if (paths) dotenvPaths.push(['dotenv:state', join(paths.stateDir, '.env')]);
  const dotenvP = timed(
    'dotenv',
    t,
    async () => Promise.all(dotenvPaths.map(([id, p]) => readDotenvFile(p, id, { home: paths?.home ?? null, workspace: id === 'dotenv:cwd' }))),
    (ds) => {
      const found = ds.filter((d) => d.exists);
      const errs = ds.filter((d) => d.error);
      if (errs.length) return { status: 'warn', note: errs.map((d) => `${d.path}: ${d.error}`).join('; ') };
      const n = found.reduce((a, d) => a + d.sources.length, 0);
      return {
        status: statusFromSources(found.flatMap((d) => d.sources)),
        note: found.length ? `${found.map((d) => d.path).join(', ')}: ${n} gateway credential(s)` : 'no .env files',
      };
    },
  );
  const cliP = timed(
    'openclaw-cli',
    t,
    () => findOpenClawCli({ env: opts.env, timeoutMs: t, allowRun: false }),
    (c) => (c.found ? { status: 'pass', note: `${c.path} ${c.version ?? '(version unknown)'}` } : { status: 'warn', note: c.error ?? 'openclaw not found' }),
  );
  const composeP = timed(
    'compose',
    t,
    () => readCompose({ cwd: opts.cwd, composeFile: opts.composeFile, env: opts.env }),
    (c) =>
      c.errors.length
        ? { status: 'warn', note: c.errors.map((e) => `${e.file}: ${e.message}`).join('; ') }
        : c.files.length
          ? { status: statusFromSources(c.sources), note: `${c.files.length} compose file(s), ${c.sources.length} gateway credential(s)` }
          : { status: 'skip', note: 'no compose file here' },
  );
  const dockerP = timed(
    'docker',
    t,
    () => readDocker({ env: opts.env, timeoutMs: t, container: opts.container }),
    (d) =>
      !d.available
        ? { status: 'skip', note: d.error ?? 'docker not found' }
        : d.error
          ? { status: 'skip', note: d.error }
          : { status: statusFromSources(d.sources), note: `${d.containers.length} OpenClaw container(s)` },
  );

  const configT = await configP;
  checks.push(configT.check);
  const config = configT.value;
  const target = resolveTarget(opts, config, paths, envFacts.port);

  const servicesP = timed(
    'services',
    t,
    async () => (paths?.home ? readServices({ home: paths.home, stateDir: paths.stateDir, env: opts.env, timeoutMs: t }) : null),
    (s) =>
      !s
        ? { status: 'skip', note: 'no home directory' }
        : s.files.length
          ? { status: statusFromSources(s.sources), note: `${s.files.length} service file(s), ${s.sources.length} embed a credential` }
          : { status: 'pass', note: 'no service files embed a token' },
  );
  const listenersP = timed(
    'listeners',
    t,
    () =>
      readListeners({
        port: target.port,
        env: opts.env,
        stateDirs: paths ? [paths.stateDir] : [],
        timeoutMs: t,
      }),
    (l) => {
      const gws = l.listeners.filter((x) => x.isGateway);
      if (l.method === 'none') return { status: 'skip', note: l.error ?? 'no way to list listeners (ss, lsof, /proc)' };
      if (!l.listeners.length) return { status: 'warn', note: `nothing listens on port ${target.port} (${l.method})` };
      return {
        status: gws.length === l.listeners.length ? 'pass' : 'warn',
        note: l.listeners.map((x) => `${x.address} pid ${x.pid ?? '?'} ${x.command ?? ''}`.trim()).join('; ') + ` (${l.method})`,
      };
    },
  );
  const logCandidates = opts.logFile
    ? [opts.logFile]
    : resolveLogFile({ configLogFile: config?.logFile ?? null, profile: paths?.profile ?? null, home: paths?.home ?? null });
  const logP = timed(
    'gateway-log',
    t,
    () => readGatewayLog({ candidates: logCandidates, port: target.port }),
    (g) =>
      !g.exists
        ? { status: 'skip', note: `no log at ${logCandidates[0] ?? '(none)'}` }
        : g.error
          ? { status: 'warn', note: `${g.file}: ${g.error}` }
          : { status: 'pass', note: `${g.file}: ${g.handshakes.length} handshake record(s) for port ${target.port}` },
  );
  const healthP = target.remote && !target.tls ? null : timed('healthz', t, () => fetchHealth(target.httpUrl, t), (h) =>
    h.ok ? { status: 'pass', note: `GET /healthz ${h.status}` } : { status: 'warn', note: h.note ?? `GET /healthz ${h.status ?? 'no answer'}` },
  );

  // Probing: every distinct usable value, concurrently on loopback; on a remote gateway at most
  // three failing attempts (its limiter locks a client out after ten).
  const probes = new Map<string, ProbeResult>();
  const inFlight = new Map<string, Promise<ProbeResult>>();
  let remoteFailures = 0;
  const probeWith = (secret: Secret): Promise<ProbeResult> => {
    const key = secret.fingerprint;
    const existing = inFlight.get(key);
    if (existing) return existing;
    const p = (async () => {
      if (target.remote && remoteFailures >= 3) {
        return {
          kind: 'not-attempted',
          url: target.url,
          ms: 0,
          closeCode: null,
          closeReason: null,
          detailsCode: null,
          errorCode: null,
          reject: null,
          serverVersion: null,
          protocol: null,
          note: 'skipped: three failed attempts already sent to this remote gateway',
        } satisfies ProbeResult;
      }
      const r = await probeGateway({ url: target.url, token: secret.reveal().trim(), timeoutMs: Math.min(t, 5000) });
      if (r.kind !== 'hello-ok') remoteFailures += 1;
      probes.set(key, r);
      return r;
    })();
    inFlight.set(key, p);
    return p;
  };

  const earlySources = [...(config?.sources ?? []), ...envFacts.sources];
  const dotenvT = await dotenvP;
  checks.push(dotenvT.check);
  const dotenvs = dotenvT.value ?? [];
  earlySources.push(...dotenvs.flatMap((d) => d.sources));
  const order = (s: TokenSource) => PROBE_PRIORITY[s.kind] ?? 9;
  const probeQueue = async (sources: TokenSource[]) => {
    const list = sources.filter(isProbeable).sort((a, b) => order(a) - order(b));
    if (target.remote) {
      for (const s of list) await probeWith(s.value);
    } else await Promise.all(list.map((s) => probeWith(s.value)));
  };
  const earlyProbes = probeQueue(opts.userToken ? [...earlySources, userSource(opts.userToken)] : earlySources);

  const [composeT, dockerT, servicesT, listenersT, logT, cliT, healthT] = await Promise.all([
    composeP,
    dockerP,
    servicesP,
    listenersP,
    logP,
    cliP,
    healthP,
  ]);
  const lateSources = [
    ...(composeT.value?.sources ?? []),
    ...(dockerT.value?.sources ?? []),
    ...(servicesT.value?.sources ?? []),
  ];
  await earlyProbes;
  await probeQueue(lateSources);

  const sources = [...earlySources, ...lateSources];
  // Nothing to present: one bare probe still tells whether a gateway is there at all.
  let bareProbe: ProbeResult | null = null;
  if (probes.size === 0) bareProbe = await probeGateway({ url: target.url, timeoutMs: Math.min(t, 5000) });

  const accepted = new Map<string, boolean | null>();
  for (const s of sources) {
    const r = s.value ? probes.get(s.value.fingerprint) : undefined;
    accepted.set(s.id, r ? acceptedFrom(r) : null);
  }
  const userTokenAccepted = opts.userToken ? acceptedFrom(probes.get(opts.userToken.fingerprint)) : null;

  checks.push(composeT.check, dockerT.check, servicesT.check, listenersT.check, logT.check, cliT.check);
  if (healthT) checks.push(healthT.check);
  checks.push(probeCheck(target, [...probes.values()], bareProbe, started));

  const facts: DiagnosisFacts = {
    paths,
    config,
    processEnv: envFacts,
    dotenvs,
    compose: composeT.value,
    docker: dockerT.value,
    services: servicesT.value,
    listeners: listenersT.value,
    log: logT.value,
    cli: cliT.value,
    target,
    health: healthT?.value ?? null,
    probes,
    bareProbe,
    sources,
    accepted,
    userToken: opts.userToken ?? null,
    userTokenAccepted,
  };
  const findings = deriveFindings(facts);
  const report = buildDiagnosisReport(facts, findings, checks, WIZARD_VERSION);
  return { facts, report };
}

function userSource(secret: Secret): TokenSource {
  return { id: 'token-stdin', kind: 'process-env', label: 'token from --token-stdin', variable: 'stdin', credential: 'token', value: secret, problems: [] };
}

export function acceptedFrom(r: ProbeResult | undefined): boolean | null {
  if (!r) return null;
  if (r.kind === 'hello-ok') return true;
  if (r.kind === 'rejected' && (r.reject === 'token-mismatch' || r.reject === 'password-mismatch' || r.reject === 'token-missing')) return false;
  return null;
}

function probeCheck(target: GatewayTarget, results: ProbeResult[], bare: ProbeResult | null, started: number): CheckResult {
  const all = bare ? [bare] : results;
  const ms = Math.round(Math.max(0, ...all.map((r) => r.ms)));
  if (!all.length) return { id: 'probe', status: 'skip', ms: Math.round(performance.now() - started), note: 'nothing to probe' };
  const ok = all.filter((r) => r.kind === 'hello-ok');
  if (ok.length) return { id: 'probe', status: 'pass', ms, note: `${target.url}: hello-ok from ${ok[0]!.serverVersion ?? 'gateway'} (${ok.length}/${all.length} candidate token(s) accepted)` };
  const first = all[0]!;
  if (bare && first.kind === 'rejected') {
    // Without any token to present, a rejection only proves the gateway is there.
    return { id: 'probe', status: 'warn', ms, note: `${target.url}: a gateway answers, but no token was found to present (it said: ${first.closeReason ?? first.reject ?? 'rejected'})` };
  }
  const what = first.closeCode ? `closed ${first.closeCode}${first.closeReason ? `: ${first.closeReason}` : ''}` : first.note ?? first.kind;
  return { id: 'probe', status: 'fail', ms, note: `${target.url}: ${first.kind} (${what})` };
}
