/** Runs every check of the registry over one diagnosis view: the findings, most severe first. */
import type { DiagnosisView } from '../diagnosis/view.js';
import type { Finding, Severity } from '../types.js';
import { toFinding } from './check.js';
import { CHECKS, type FindingId, type StepId } from './index.js';

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

export function deriveFindings(view: DiagnosisView): Finding<FindingId>[] {
  const out: Finding<FindingId>[] = [];
  for (const check of CHECKS) {
    for (const d of check.detect(view)) {
      // A detection may only name a step its check declares: the registry's step list stays complete.
      if (d.step && !(check.fixes as readonly unknown[]).includes(d.step)) throw new Error(`${check.id} names undeclared fix step ${d.step.id}`);
      out.push(toFinding(check, d, view));
    }
  }
  return out.sort((a, b) => RANK[a.severity] - RANK[b.severity]);
}

/** The fix steps a diagnosis asks for, each once, in registry order. */
export function dueSteps(findings: Finding[], order: readonly StepId[]): StepId[] {
  const wanted = new Set(findings.flatMap((f) => (f.step ? [f.step] : [])));
  return order.filter((id) => wanted.has(id));
}
