import type { DiagnosisFacts } from '../diagnose.js';
import type { CheckResult, Finding, SourceKind, TokenProblem } from '../types.js';

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

export function buildDiagnosisReport(f: DiagnosisFacts, findings: Finding[], checks: CheckResult[], wizardVersion: string): DiagnosisReport {
  const probes = [...f.probes.values(), ...(f.bareProbe ? [f.bareProbe] : [])];
  const reachable = probes.some((r) => ['hello-ok', 'rejected', 'starting', 'protocol-mismatch'].includes(r.kind)) || (f.health?.ok ?? false);
  const hello = probes.find((r) => r.kind === 'hello-ok');
  const accepted = f.sources.find((s) => f.accepted.get(s.id) === true && s.id !== 'token-stdin');
  return {
    schema: DIAGNOSIS_SCHEMA,
    wizardVersion,
    healthy: !!hello && !findings.some((x) => x.severity === 'error'),
    gateway: {
      url: f.target.url,
      port: f.target.port,
      portSource: f.target.portSource,
      configPath: f.config?.path ?? f.paths?.configPath ?? null,
      mode: f.config?.gateway.mode ?? null,
      bind: f.config?.gateway.bind ?? null,
      authMode: f.config?.gateway.authMode ?? null,
      reachable,
      version: hello?.serverVersion ?? null,
      acceptedSource: accepted?.id ?? null,
    },
    sources: f.sources
      .filter((s) => s.id !== 'token-stdin')
      .map((s) => ({
        id: s.id,
        kind: s.kind,
        label: s.label,
        fingerprint: s.value?.fingerprint ?? null,
        length: s.value?.length ?? null,
        accepted: f.accepted.get(s.id) ?? null,
        problems: s.problems,
      })),
    findings,
    checks,
  };
}
