/**
 * The shape of one problem's module: what it is (id, severity, title), when it is present
 * (`detect`, a pure function of the diagnosis view), and how the wizard fixes it (a FixStep with
 * its plan, its action and the observation that proves it worked). `diagnose` prints a fix
 * step's plan as the finding's fix, so the advice and what the wizard runs cannot drift apart.
 */
import type { ActionContext, ActionOutcome } from '../actions/types.js';
import type { DiagnosisView } from '../diagnosis/view.js';
import type { Finding, Severity } from '../types.js';
import { forGatewayAll } from './container-commands.js';

/** Where a step sits in the article: its fix sequence, its "still failing?" checklist, handing the token over, or rotation. */
export type Stage = 'fix-sequence' | 'still-failing' | 'deliver' | 'rotation';

/** What the diagnosis after a fix must show for the fix to count as done. */
export interface ProofInput {
  before: DiagnosisView;
  after: DiagnosisView;
  findings: Finding[];
  /** When the step was applied: only log records after it prove anything. */
  since: Date;
}

export interface Proof {
  held: boolean;
  /** What was observed, in words, either way. */
  observed: string;
}

export interface FixStep<Id extends string = string> {
  id: Id;
  stage: Stage;
  title: string;
  /** What a supporter reads out to the user at this step. */
  say: string;
  /**
   * Never implied by --yes: stopping a process, approving a device, allowing an origin, rotating;
   * or, decided from the view, recreating containers of a compose project that does not run this gateway.
   */
  explicit?: boolean | ((view: DiagnosisView) => boolean);
  /** What an explicit step breaks or changes, named in its confirmation. */
  consequence?: string | ((view: DiagnosisView) => string | undefined);
  /** The commands the step runs, in order, as the person could type them (tokens never raw). */
  plan(view: DiagnosisView): string[];
  apply(ctx: ActionContext): Promise<ActionOutcome>;
  /** The observation that proves the step worked, read from the diagnosis that follows it. */
  proof(input: ProofInput): Proof;
}

/** One occurrence of a problem: the check turns it into a Finding. */
export interface Detection {
  detail: string;
  evidence: string[];
  /** The wizard fixes it with this step (its plan becomes the printed fix)… */
  step?: FixStep;
  /** …or these are the commands a person runs (no step of the wizard applies). */
  advice?: string[];
  /** Overrides the check's default severity for this occurrence. */
  severity?: Severity;
}

export interface Check<Id extends string = string, Fixes extends readonly FixStep[] = readonly FixStep[]> {
  id: Id;
  severity: Severity;
  title: string;
  /** The fix steps a detection of this check may name, so the registry knows every step and its order. */
  fixes: Fixes;
  detect(view: DiagnosisView): Detection[];
}

/** Keeps the literal ids, so the registry can derive the finding and step vocabularies from its checks. */
export function defineCheck<const Id extends string, const Fixes extends readonly FixStep[] = readonly []>(check: Check<Id, Fixes>): Check<Id, Fixes> {
  return check;
}

/** The plan is retargeted at a gateway container (see container-commands.ts) wherever it is shown. */
export function defineStep<const Id extends string>(step: FixStep<Id>): FixStep<Id> {
  return { ...step, plan: (view) => forGatewayAll(view, step.plan(view)) };
}

/** How a step is confirmed for this view: whether --yes answers it, and what it names as its consequence. */
export function confirmationOf(step: FixStep, view: DiagnosisView): { explicit: boolean; consequence: string | undefined } {
  const explicit = typeof step.explicit === 'function' ? step.explicit(view) : !!step.explicit;
  const consequence = typeof step.consequence === 'function' ? step.consequence(view) : step.consequence;
  return { explicit, consequence };
}

export function toFinding<Id extends string>(check: Check<Id>, d: Detection, view: DiagnosisView): Finding<Id> {
  return {
    id: check.id,
    severity: d.severity ?? check.severity,
    title: check.title,
    detail: d.detail,
    evidence: d.evidence,
    fix: d.step ? d.step.plan(view) : forGatewayAll(view, d.advice ?? []),
    ...(d.step ? { step: d.step.id } : {}),
  };
}

/** The default proof: the finding that made the step due is gone from the next diagnosis. */
export function stepNoLongerDue(stepId: string, findings: Finding[], done: string, notDone: string): Proof {
  const still = findings.filter((f) => f.step === stepId);
  return still.length ? { held: false, observed: `${notDone} (${still.map((f) => f.id).join(', ')})` } : { held: true, observed: done };
}

/** How one step of a run went, as the summary and the support report show it. */
export interface StepOutcome {
  step: string;
  ok: boolean;
  message: string;
  waiting?: boolean;
  proof?: Proof;
  at: string;
}
