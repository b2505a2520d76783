/**
 * Builders for in-process diagnoses: the facts a gather would have collected, so a test can state
 * one situation (a probe result, a log record, a remote-mode config) and run the real checks,
 * view and report over it.
 */
import type { DiagnosisFacts } from '../../src/diagnosis/types.js';
import type { GatewayContainer } from '../../src/facts/container-gateway.js';
import type { ConfigFacts, GatewayConfigFacts, GatewayLogFacts, LogHandshake } from '../../src/facts/types.js';
import type { ProbeResult } from '../../src/gateway/types.js';
import { emptyGatewayFacts } from '../../src/facts/config.js';
import { Secret } from '../../src/secret.js';
import type { TokenSource } from '../../src/types.js';

export const TOKEN_A = 'a'.repeat(48);
export const TOKEN_B = 'b'.repeat(48);

export function tokenSource(id: string, kind: TokenSource['kind'], value: string | null, extra: Partial<TokenSource> = {}): TokenSource {
  return { id, kind, label: `${id} label`, variable: 'OPENCLAW_GATEWAY_TOKEN', credential: 'token', value: value === null ? null : new Secret(value), problems: [], ...extra };
}

export function probeResult(kind: ProbeResult['kind'], extra: Partial<ProbeResult> = {}): ProbeResult {
  return { kind, url: 'ws://127.0.0.1:18789', ms: 1, closeCode: null, closeReason: null, detailsCode: null, errorCode: null, reject: null, serverVersion: null, protocol: null, note: null, ...extra };
}

export function handshake(kind: LogHandshake['kind'], extra: Partial<LogHandshake> = {}): LogHandshake {
  return {
    time: '2026-11-30T00:00:00.000Z',
    kind,
    client: 'openclaw-control-ui',
    clientMode: 'webchat',
    origin: 'http://127.0.0.1:18789',
    remote: '127.0.0.1',
    reason: null,
    requestId: null,
    ...extra,
  };
}

export function gatewayLog(handshakes: LogHandshake[], extra: Partial<GatewayLogFacts> = {}): GatewayLogFacts {
  return { file: '/tmp/gw.log', exists: true, error: null, handshakes, lastStartAt: null, runtimeTokenGenerated: false, startBlocked: null, ...extra };
}

export function configFacts(gateway: Partial<GatewayConfigFacts> = {}, extra: Partial<ConfigFacts> = {}): ConfigFacts {
  return {
    path: '/home/u/.openclaw/openclaw.json',
    exists: true,
    error: null,
    isPlainJson: true,
    gateway: { ...emptyGatewayFacts(), mode: 'local', authMode: 'token', hasToken: true, ...gateway },
    logFile: null,
    envBlockNames: [],
    sources: [],
    unresolvedVars: [],
    secretRefs: [],
    ...extra,
  };
}

/** The gateway target on loopback `port`. */
export function loopbackTarget(port = 18789, portSource = 'default'): DiagnosisFacts['target'] {
  return { url: `ws://127.0.0.1:${port}`, httpUrl: `http://127.0.0.1:${port}`, host: '127.0.0.1', port, portSource, tls: false, remote: false, basePath: null };
}

/** A diagnosis of a local loopback gateway with nothing found, with `patch` applied. */
export function diagnosisFacts(patch: Partial<DiagnosisFacts> = {}): DiagnosisFacts {
  const base: DiagnosisFacts = {
    paths: null,
    config: null,
    processEnv: null,
    dotenvs: [],
    compose: null,
    docker: null,
    services: null,
    listeners: null,
    log: null,
    cli: null,
    target: loopbackTarget(),
    health: null,
    probes: new Map(),
    bareProbe: null,
    sources: [],
    accepted: new Map(),
    userToken: null,
    userTokenAccepted: null,
  };
  return { ...base, ...patch };
}

/** A running compose gateway container of `project` in `dir`, port 28789 published from 18789, with `patch` applied. */
export function gatewayContainer(project: string, dir: string, patch: Partial<GatewayContainer> = {}): GatewayContainer {
  return {
    id: 'abc',
    name: `${project}_openclaw-gateway_1`,
    image: 'openclaw:local',
    service: 'openclaw-gateway',
    project,
    projectDir: dir,
    composeFiles: [`${dir}/docker-compose.yml`],
    status: 'running',
    restarting: false,
    restartCount: 0,
    exitCode: 0,
    portMapping: { hostIp: '127.0.0.1', host: 28789, container: 18789, protocol: 'tcp' },
    mounts: [],
    containerStateDir: '/home/node/.openclaw',
    containerConfigPath: '/home/node/.openclaw/openclaw.json',
    stateHostPath: `${dir}/config`,
    configHostPath: `${dir}/config/openclaw.json`,
    config: null,
    envSources: [],
    lastLogLines: [],
    notes: [],
    ...patch,
  };
}
