/**
 * Derived facts, each worked out once per diagnosis: is a gateway there, which source it
 * accepted, is there a service, which gateways are not ours, what each client last saw. Checks,
 * fix steps, the report and the flows read these instead of re-deriving them from raw facts.
 */
import { lastFatalLine } from '../facts/fatal-line.js';
import { COMPOSE_PLUGIN, type ComposeCommand } from '../facts/container-command.js';
import type { GatewayContainer } from '../facts/container-gateway.js';
import type { ListenerProcess, LogHandshake } from '../facts/types.js';
import type { ProbeResult } from '../gateway/types.js';
import { FATAL_PROBLEMS } from '../hygiene.js';
import type { Secret } from '../secret.js';
import type { TokenSource } from '../types.js';
import { containerConfigSourceId } from './container-target.js';
import type { DiagnosisFacts } from './types.js';

/** A source whose value a gateway could accept: readable, and not a value OpenClaw rejects outright. */
export type UsableSource = TokenSource & { value: Secret };

export interface DiagnosisView {
  facts: DiagnosisFacts;
  /** Every probe result, the bare one included. */
  probes: ProbeResult[];
  /** A gateway completed or refused a handshake: something that speaks the protocol is there. */
  reachable: boolean;
  helloOk: ProbeResult | null;
  /** The source the live gateway accepted. */
  acceptedSource: UsableSource | null;
  /** gateway.auth.token from the config, whatever its state. */
  configToken: TokenSource | null;
  /** The gateway on the port runs in this container: its mounted config and its log are the ones judged. */
  gatewayContainer: GatewayContainer | null;
  /** The line a container that cannot start (restarting, exited) last logged about why. */
  containerFatalLine: string | null;
  /** `docker compose` or `docker-compose`: the form this machine has. */
  composeForm: ComposeCommand;
  configPath: string;
  /** This host runs the gateway (not a remote-mode client of one elsewhere). */
  isGatewayHost: boolean;
  /**
   * The credential the gateway's auth mode checks, as OpenClaw resolves the mode (auth-resolve.ts):
   * gateway.auth.mode, else `password` when a password is set, else `token`; null for modes without
   * one (none, trusted-proxy). OpenClaw refuses a blank or placeholder value of this one only.
   */
  authCredential: 'token' | 'password' | null;
  /** A systemd unit or LaunchAgent runs the gateway. */
  hasService: boolean;
  gatewayListeners: ListenerProcess[];
  otherListeners: ListenerProcess[];
  /** Gateways on the port that run with another state dir than the config being fixed. */
  foreignGateways: ListenerProcess[];
  /** More than one gateway process, or one of another state dir. */
  multipleGateways: boolean;
  /** The hand-run gateway of this state dir, if one listens on the port. */
  ownGateway: ListenerProcess | null;
  /** The token clients must present: what the live gateway accepted, else the config's. */
  tokenForClients: Secret | null;
  /** What each of the person's clients last saw since the gateway's last start (our probes excluded). */
  latestClientRecords: LogHandshake[];
  /** The request id of the newest pairing request in the log. */
  pendingPairingRequest: string | null;
  /**
   * Why no gateway answered, when none did: a remote that does not answer, a port held by
   * something that is not a gateway, or nothing there at all.
   */
  unreachable: 'remote' | 'port-occupied' | 'down' | null;
  /** The token every other place should hold: the usable config token, else the one the gateway accepted. */
  referenceToken: UsableSource | null;
  /** Environment places (shell, .env files, the config's env block) holding another token than the reference. */
  envOverrides: UsableSource[];
  /** Compose entries and containers that hand the gateway another token (values that lose their merge excluded). */
  dockerOverrides: UsableSource[];
  /** Service definitions (systemd, launchd) that embed another token. */
  serviceOverrides: UsableSource[];
}

export function usable(s: TokenSource | null | undefined): s is UsableSource {
  return !!s && s.value !== null && !s.problems.some((p) => FATAL_PROBLEMS.has(p));
}

/** The gateway trims what it reads, so two values equal after trimming are one token. */
export function sameValue(a: TokenSource, b: TokenSource): boolean {
  return !!a.value && !!b.value && a.value.reveal().trim() === b.value.reveal().trim();
}

export function reachableKind(r: ProbeResult): boolean {
  return r.kind === 'hello-ok' || r.kind === 'rejected' || r.kind === 'starting' || r.kind === 'protocol-mismatch';
}

/** The config a gateway process reads: OPENCLAW_CONFIG_PATH from its env, else OpenClaw's default in its state dir. */
export function listenerConfig(l: { configPath: string | null; stateDir: string | null }): string | null {
  return l.configPath ?? (l.stateDir ? `${l.stateDir}/openclaw.json` : null);
}

/** The id a config source has in this diagnosis: the container's config sources carry their own ids. */
export function configSourceId(f: DiagnosisFacts, hostId: string): string {
  const c = f.container?.container;
  return c?.config && f.config?.path === c.config.path ? containerConfigSourceId(c.name, hostId) : hostId;
}

/** A container that is not simply running: the last line of its log that says why it stopped. */
function fatalLine(c: GatewayContainer | null): string | null {
  // A container in a restart loop is `running` for the seconds each start takes: its restarts count too.
  if (!c || (c.status === 'running' && !c.restarting && c.restartCount === 0)) return null;
  return lastFatalLine(c.lastLogLines);
}

const cache = new WeakMap<DiagnosisFacts, DiagnosisView>();

export function viewOf(facts: DiagnosisFacts): DiagnosisView {
  const known = cache.get(facts);
  if (known) return known;
  const view = buildView(facts);
  cache.set(facts, view);
  return view;
}

function buildView(f: DiagnosisFacts): DiagnosisView {
  const probes = [...f.probes.values(), ...(f.bareProbe ? [f.bareProbe] : [])];
  const g = f.config?.gateway;
  const gatewayContainer = f.container?.container ?? null;
  const configToken = f.sources.find((s) => s.id === configSourceId(f, 'config')) ?? null;
  const accepted = f.sources.find((s) => f.accepted.get(s.id) === true && usable(s));
  const acceptedSource = accepted && usable(accepted) ? accepted : null;
  const listeners = f.listeners?.listeners ?? [];
  const gatewayListeners = listeners.filter((l) => l.isGateway);
  const ownStateDir = f.paths?.stateDir ?? null;
  const foreignGateways = gatewayListeners.filter((l) => l.stateDir && ownStateDir && l.stateDir !== ownStateDir);
  const gatewayPids = new Set(gatewayListeners.map((l) => l.pid).filter((p) => p !== null));
  const pairing = (f.log?.handshakes ?? []).filter((h) => h.kind === 'pairing-required' && h.requestId);
  return {
    facts: f,
    probes,
    reachable: probes.some(reachableKind),
    helloOk: probes.find((r) => r.kind === 'hello-ok') ?? null,
    acceptedSource,
    configToken,
    gatewayContainer,
    containerFatalLine: fatalLine(gatewayContainer),
    composeForm: f.composeCommand ?? COMPOSE_PLUGIN,
    configPath: f.config?.path ?? f.paths?.configPath ?? '~/.openclaw/openclaw.json',
    // Remote mode with a URL makes this host a client, also when the URL is a loopback ssh tunnel
    // (the documented way to reach a remote gateway): it needs gateway.remote.token, not a local
    // gateway.mode=local or gateway.auth.token.
    isGatewayHost: !(g?.mode === 'remote' && (f.target.remote || !!g.remoteUrl)),
    authCredential: authCredential(f),
    hasService: (f.services?.files ?? []).some((x) => x.kind === 'systemd' || x.kind === 'launchd'),
    gatewayListeners,
    otherListeners: listeners.filter((l) => !l.isGateway),
    foreignGateways,
    multipleGateways: gatewayPids.size > 1 || foreignGateways.length > 0,
    ownGateway: gatewayListeners.find((l) => l.pid && (!l.stateDir || !ownStateDir || l.stateDir === ownStateDir)) ?? null,
    tokenForClients: acceptedSource?.value ?? (configToken?.value ? configToken.value : null),
    latestClientRecords: latestPerClient(f.log?.handshakes ?? [], f.log?.lastStartAt ?? null),
    pendingPairingRequest: pairing.at(-1)?.requestId ?? null,
    // The engine's proxy on a port the gateway container publishes is that gateway, not another program.
    unreachable: whyUnreachable(f, probes, listeners.length > gatewayListeners.length && !gatewayContainer),
    ...overrides(f.sources, usable(configToken) ? configToken : acceptedSource),
  };
}

function authCredential(f: DiagnosisFacts): DiagnosisView['authCredential'] {
  const mode = f.config?.gateway.authMode;
  if (mode === 'token' || mode === 'password') return mode;
  if (mode) return null;
  // The gateway's own password: the config's, else OPENCLAW_GATEWAY_PASSWORD in its environment.
  const password = f.sources.some(
    (s) => s.credential === 'password' && (s.kind === 'config' || s.kind === 'config-env' || s.kind === 'process-env' || s.kind === 'dotenv') && !!s.value?.reveal().trim(),
  );
  return password ? 'password' : 'token';
}

function overrides(sources: TokenSource[], reference: UsableSource | null) {
  const differs = (s: TokenSource): s is UsableSource => !!reference && usable(s) && !sameValue(s, reference);
  return {
    referenceToken: reference,
    envOverrides: sources.filter((s) => (s.kind === 'process-env' || s.kind === 'dotenv' || s.kind === 'config-env') && s.credential === 'token' && differs(s)) as UsableSource[],
    dockerOverrides: sources.filter((s) => (s.kind === 'compose' || s.kind === 'container') && !s.shadowedBy && differs(s)) as UsableSource[],
    serviceOverrides: sources.filter((s) => (s.kind === 'service' || s.kind === 'launchctl') && !s.shadowedBy && differs(s)) as UsableSource[],
  };
}

function whyUnreachable(f: DiagnosisFacts, probes: ProbeResult[], otherListener: boolean): DiagnosisView['unreachable'] {
  if (!probes.length || probes.some(reachableKind)) return null;
  if (f.target.remote) return 'remote';
  const kinds = new Set(probes.map((r) => r.kind));
  if (kinds.has('not-websocket') || kinds.has('no-answer') || kinds.has('closed-unknown') || otherListener) return 'port-occupied';
  return 'down';
}

/** Our own probes (client openclaw-probe) are not the person's clients. */
function latestPerClient(hs: LogHandshake[], since: string | null): LogHandshake[] {
  const byClient = new Map<string, LogHandshake>();
  for (const h of hs) {
    if (h.client === 'openclaw-probe') continue;
    if (since && h.time && h.time < since) continue;
    // The gateway's "webchat connected" line names no origin (2026.9.6), while its failure lines
    // do: a later success of the same client from the same address settles that client's earlier
    // credential failures from any origin. Origin and secure-context refusals stay: one success
    // from localhost says nothing about the origin that was refused.
    if (h.kind === 'connected' && !h.origin) {
      for (const [k, prev] of byClient) {
        if (prev.client === h.client && prev.remote === h.remote && prev.kind !== 'origin-not-allowed' && prev.kind !== 'insecure-context') byClient.delete(k);
      }
    }
    byClient.set(`${h.client ?? '?'}|${h.origin ?? ''}`, h);
  }
  return [...byClient.values()];
}
