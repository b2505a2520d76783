/** The `diagnose --json` document, built from the view and the findings. */
import type { CheckResult, Finding } from '../types.js';
import { DIAGNOSIS_SCHEMA, type DiagnosisReport } from './types.js';
import type { DiagnosisView } from './view.js';

export function buildDiagnosisReport(view: DiagnosisView, findings: Finding[], checks: CheckResult[], wizardVersion: string): DiagnosisReport {
  const f = view.facts;
  return {
    schema: DIAGNOSIS_SCHEMA,
    wizardVersion,
    // Healthy needs the gateway's own hello-ok: no error finding alone proves anything.
    healthy: !!view.helloOk && !findings.some((x) => x.severity === 'error'),
    gateway: {
      url: f.target.url,
      port: f.target.port,
      portSource: f.target.portSource,
      configPath: f.config?.path ?? f.paths?.configPath ?? null,
      mode: f.config?.gateway.mode ?? null,
      bind: f.config?.gateway.bind ?? null,
      authMode: f.config?.gateway.authMode ?? null,
      reachable: view.reachable || (f.health?.ok ?? false),
      version: view.helloOk?.serverVersion ?? null,
      acceptedSource: view.acceptedSource?.id ?? null,
    },
    sources: f.sources.map((s) => ({
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
