/**
 * The diagnosis as data: what the command line asks for, the target gateway, every fact gathered,
 * and the `diagnose --json` document built from them. Types only, so every layer can import them
 * without importing each other.
 */
import type { ContainerGatewayFacts } from '../facts/container-gateway.js';
import type { ComposeCommand } from '../facts/container-command.js';
import type { ComposeFacts, ConfigFacts, DockerFacts, DotenvFacts, GatewayLogFacts, ListenerFacts, OpenClawCliFacts, OpenClawPaths, ProcessEnvFacts, ServiceFacts } from '../facts/types.js';
import type { HealthResult, ProbeResult } from '../gateway/types.js';
import type { Secret } from '../secret.js';
import type { CheckResult, Finding, SourceKind, TokenProblem, TokenSource } from '../types.js';

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
  /** Keep this run's token refusals for a minute in the state dir, and reuse earlier ones (not in a dry run). */
  rememberRefusals?: boolean;
  /** --allow-insecure-ws: send tokens over plain ws:// to a host that is not loopback (anyone on the path can read them). */
  allowInsecureWs?: boolean;
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
  /** The person accepted that a token may cross the network over plain ws:// (--allow-insecure-ws). */
  allowInsecureWs?: boolean;
}

/** Everything diagnose learned; the checks read these through a DiagnosisView. */
export interface DiagnosisFacts {
  paths: OpenClawPaths | null;
  /** The config the gateway on the port reads: the container's mounted one when the gateway is a container. */
  config: ConfigFacts | null;
  /** The host's config (~/.openclaw), when `config` is a container's instead. */
  hostConfig?: ConfigFacts | null;
  /** The container behind the port, when the engine was asked (see container-target.ts). */
  container?: ContainerGatewayFacts | null;
  /** Which Compose this machine has, when Docker is involved (what the wizard runs and prints). */
  composeCommand?: ComposeCommand | null;
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

export const DIAGNOSIS_SCHEMA = 'openclaw-token-wizard.diagnosis/v1';

/** The `diagnose --json` document. Every token appears only as a fingerprint plus its length. */
export interface DiagnosisReport {
  schema: typeof DIAGNOSIS_SCHEMA;
  wizardVersion: string;
  healthy: boolean;
  gateway: {
    url: string;
    port: number;
    portSource: string;
    configPath: string | null;
    mode: string | null;
    bind: string | null;
    authMode: string | null;
    reachable: boolean;
    version: string | null;
    acceptedSource: string | null;
  };
  sources: Array<{
    id: string;
    kind: SourceKind;
    label: string;
    fingerprint: string | null;
    length: number | null;
    accepted: boolean | null;
    problems: TokenProblem[];
  }>;
  findings: Finding[];
  checks: CheckResult[];
}
