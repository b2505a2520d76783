/**
 * Gathers every fact concurrently, each under its own timeout, presents the candidate tokens to
 * the live gateway, and runs the checks. Read-only: nothing here changes the machine.
 */
import { join } from 'node:path';
import { deriveFindings } from '../checks/derive.js';
import { readCompose } from '../facts/compose/read.js';
import { readConfig } from '../facts/config.js';
import { composeCommand, type ComposeCommand } from '../facts/container-command.js';
import { findGatewayContainer, type ContainerGatewayFacts } from '../facts/container-gateway.js';
import { readDocker } from '../facts/docker.js';
import { readDotenvFile } from '../facts/dotenv.js';
import { readGatewayLog } from '../facts/gateway-log.js';
import { readListeners } from '../facts/listeners.js';
import { findOpenClawCli } from '../facts/openclaw-cli.js';
import { resolveLogFile, resolveOpenClawPaths } from '../facts/paths.js';
import { readProcessEnv } from '../facts/process-env.js';
import { readServices } from '../facts/services.js';
import type { DockerFacts, ListenerFacts, OpenClawPaths } from '../facts/types.js';
import { fetchHealth } from '../gateway/health.js';
import { probeGateway } from '../gateway/probe.js';
import type { ProbeResult } from '../gateway/types.js';
import type { CheckResult, TokenSource } from '../types.js';
import { WIZARD_VERSION } from '../version.js';
import * as judge from './judge.js';
import { acceptedFrom, probeCheck, ProbeSession } from './probing.js';
import { RefusalMemory } from './refusal-memory.js';
import { buildDiagnosisReport } from './report.js';
import { resolveTarget } from './target.js';
import { containerConfig, containerLog, newContainerEnvSources, withoutOtherContainers, worthAskingEngine } from './container-target.js';
import { timed, type Timed } from './timed.js';
import type { DiagnoseOptions, DiagnosisFacts, DiagnosisReport, GatewayTarget } from './types.js';
import { viewOf, type DiagnosisView } from './view.js';

export interface Diagnosis {
  facts: DiagnosisFacts;
  view: DiagnosisView;
  report: DiagnosisReport;
}

function pathsOf(opts: DiagnoseOptions): OpenClawPaths | null {
  try {
    return resolveOpenClawPaths({ env: opts.env, configFlag: opts.configFlag, profile: opts.profile, dev: opts.dev });
  } catch {
    return null;
  }
}

/** The readers that need nothing but the options: started at once, awaited as needed. */
function startEarlyReaders(opts: DiagnoseOptions, paths: OpenClawPaths | null) {
  const t = opts.timeoutMs;
  const dotenvPaths: Array<[string, string]> = [['dotenv:cwd', join(opts.cwd, '.env')]];
  if (paths) dotenvPaths.push(['dotenv:state', join(paths.stateDir, '.env')]);
  return {
    // `${VAR}` in the config is filled the way the gateway fills it: from its .env files too.
    config: timed('config', t, async () => (paths ? readConfig(paths.configPath, opts.env, { gatewayEnv: { cwd: opts.cwd, stateDir: paths.stateDir, home: paths.home } }) : null), judge.judgeConfig),
    dotenv: timed('dotenv', t, async () => Promise.all(dotenvPaths.map(([id, p]) => readDotenvFile(p, id, { home: paths?.home ?? null, workspace: id === 'dotenv:cwd' }))), judge.judgeDotenvs),
    cli: timed('openclaw-cli', t, () => findOpenClawCli({ env: opts.env, timeoutMs: t, allowRun: false }), judge.judgeCli),
    compose: timed('compose', t, () => readCompose({ cwd: opts.cwd, composeFile: opts.composeFile, env: opts.env }), judge.judgeCompose),
    docker: timed('docker', t, () => readDocker({ env: opts.env, timeoutMs: t, container: opts.container }), judge.judgeDocker),
  };
}

/** The readers that need the config: the port to look at, the log to read. */
function startTargetReaders(opts: DiagnoseOptions, paths: OpenClawPaths | null, target: GatewayTarget, configLogFile: string | null) {
  const t = opts.timeoutMs;
  const logCandidates = opts.logFile ? [opts.logFile] : resolveLogFile({ configLogFile, profile: paths?.profile ?? null, home: paths?.home ?? null });
  return {
    services: timed('services', t, async () => (paths?.home ? readServices({ home: paths.home, stateDir: paths.stateDir, env: opts.env, timeoutMs: t }) : null), judge.judgeServices),
    listeners: timed('listeners', t, () => readListeners({ port: target.port, env: opts.env, stateDirs: paths ? [paths.stateDir] : [], timeoutMs: t }), judge.judgeListeners(target.port)),
    log: timed('gateway-log', t, () => readGatewayLog({ candidates: logCandidates, port: target.port }), judge.judgeLog(target.port, logCandidates[0])),
    health: target.remote && !target.tls ? null : timed('healthz', t, () => fetchHealth(target.httpUrl, t), judge.judgeHealth),
  };
}

interface ContainerSide {
  found: Timed<ContainerGatewayFacts> | null;
  form: ComposeCommand | null;
}

/** The container behind the port and the Compose form: asked only when Docker is involved, so diagnose stays fast without it. */
async function readContainerSide(opts: DiagnoseOptions, port: number, docker: DockerFacts | null, listeners: ListenerFacts | null): Promise<ContainerSide> {
  const t = opts.timeoutMs;
  const involved = worthAskingEngine(port, docker, listeners, !!opts.container);
  const [found, form] = await Promise.all([
    involved ? timed('docker-container', t, () => findGatewayContainer({ port, env: opts.env, timeoutMs: t }), judge.judgeContainer(port)) : null,
    involved ? composeCommand(opts.env, { timeoutMs: t }) : null,
  ]);
  return { found, form };
}

function acceptance(sources: TokenSource[], probes: Map<string, ProbeResult>): Map<string, boolean | null> {
  const accepted = new Map<string, boolean | null>();
  for (const s of sources) accepted.set(s.id, s.value ? acceptedFrom(probes.get(s.value.fingerprint)) : null);
  return accepted;
}

/** The person's own token is compared with the accepted one when there is one, and sent only when there is not. */
async function judgeUserToken(opts: DiagnoseOptions, session: ProbeSession, acceptedFingerprint: string | null): Promise<boolean | null> {
  const u = opts.userToken;
  if (!u) return null;
  if (acceptedFingerprint) return u.fingerprint === acceptedFingerprint;
  await session.present([{ id: 'token-stdin', kind: 'process-env', label: 'token from --token-stdin', variable: 'stdin', credential: 'token', value: u, problems: [] }]);
  return acceptedFrom(session.results.get(u.fingerprint));
}

/** Only runs that may write (not a dry run, not a test calling diagnose directly) keep refusals. */
function refusalMemory(opts: DiagnoseOptions, paths: OpenClawPaths | null, target: GatewayTarget): RefusalMemory | null {
  if (!opts.rememberRefusals || !paths) return null;
  return new RefusalMemory({ stateDir: paths.stateDir, watched: [paths.configPath, join(paths.stateDir, '.env')], httpUrl: target.httpUrl, timeoutMs: opts.timeoutMs });
}

export async function diagnose(opts: DiagnoseOptions): Promise<Diagnosis> {
  const started = performance.now();
  const checks: CheckResult[] = [];
  const paths = pathsOf(opts);
  const early = startEarlyReaders(opts, paths);
  const envFacts = readProcessEnv(opts.env);
  const configT = await early.config;
  const config = configT.value;
  const target = resolveTarget(opts, config, paths, envFacts.port);
  const late = startTargetReaders(opts, paths, target, config?.logFile ?? null);

  const session = new ProbeSession(target, opts.timeoutMs, config?.gateway.mode === 'remote', refusalMemory(opts, paths, target));
  const dotenvT = await early.dotenv;
  const dotenvs = dotenvT.value ?? [];
  const earlySources = [...(config?.sources ?? []), ...envFacts.sources, ...dotenvs.flatMap((d) => d.sources)];
  const earlyProbes = session.present(earlySources);
  const [composeT, dockerT, servicesT, listenersT, logT, cliT, healthT] = await Promise.all([early.compose, early.docker, late.services, late.listeners, late.log, early.cli, late.health]);
  const side = await readContainerSide(opts, target.port, dockerT.value, listenersT.value);
  const gc = side.found?.value?.container ?? null;
  // The gateway in a container reads its mounted config, not ~/.openclaw on the host: that is the config judged.
  const gatewayConfig = gc ? containerConfig(gc) : null;
  const dockerSources = gc ? withoutOtherContainers(gc, dockerT.value?.sources ?? []) : (dockerT.value?.sources ?? []);
  const containerSources = gc ? [...newContainerEnvSources(gc, dockerSources), ...(gatewayConfig?.sources ?? [])] : [];
  const lateSources = [...(composeT.value?.sources ?? []), ...dockerSources, ...containerSources, ...(servicesT.value?.sources ?? [])];
  await earlyProbes;
  await session.present(lateSources);

  const sources = [...earlySources, ...lateSources];
  const probes = session.results;
  // Nothing to present: one bare probe still tells whether a gateway is there at all.
  const bareProbe = probes.size === 0 ? await probeGateway({ url: target.url, timeoutMs: Math.min(opts.timeoutMs, 5000) }) : null;
  const accepted = acceptance(sources, probes);
  const acceptedFingerprint = [...probes].find(([, r]) => r.kind === 'hello-ok')?.[0] ?? null;
  const userTokenAccepted = await judgeUserToken(opts, session, acceptedFingerprint);

  checks.push(configT.check, dotenvT.check, composeT.check, dockerT.check, servicesT.check, listenersT.check, logT.check, cliT.check);
  if (side.found) checks.push(side.found.check);
  if (healthT) checks.push(healthT.check);
  checks.push(probeCheck(target, [...probes.values()], bareProbe, started));

  const facts: DiagnosisFacts = {
    paths,
    config: gatewayConfig ?? config,
    hostConfig: config,
    container: side.found?.value ?? null,
    composeCommand: side.form,
    processEnv: envFacts,
    dotenvs,
    compose: composeT.value,
    docker: dockerT.value,
    services: servicesT.value,
    listeners: listenersT.value,
    log: gc ? containerLog(gc) : logT.value,
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
  // Which Compose (plugin or docker-compose v1) is asked only when a Compose command will be shown:
  // `docker-compose version` alone costs a Python start-up, on every diagnosis of a compose project.
  const withForm = !facts.composeCommand && viewOf(facts).dockerOverrides.length ? { ...facts, composeCommand: await composeCommand(opts.env, { timeoutMs: opts.timeoutMs }) } : facts;
  const view = viewOf(withForm);
  const report = buildDiagnosisReport(view, deriveFindings(view), checks, WIZARD_VERSION);
  return { facts: withForm, view, report };
}
