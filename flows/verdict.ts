/**
 * How a run ends, from what it saw: a machine that reached "connected" or "ready" only knows the
 * gateway accepts the token. The person's own symptom is a client that failed, and for the Control
 * UI only its connect in the gateway's log after the last change settles it; without that the run
 * ends "ui-not-connected", with its own exit code.
 */
import type { DiagnosisReport } from '../src/diagnosis/types.js';
import type { LogHandshake } from '../src/facts/types.js';
import { BROWSER_CLIENTS } from '../src/checks/client-records.js';
import type { FlowEnd, StepOutcome } from './shared.js';

export type RunEnd = FlowEnd | 'ui-not-connected';

/** Findings that are a client's token failure: settled only when that client connects. */
export const CLIENT_FAILURES = new Set(['client-token-missing', 'client-token-mismatch']);

/** The exit code of each way a run ends (the README's table and `--help` name the same). */
export const EXIT_UI_NOT_CONNECTED = 3;

export interface VerdictInput {
  end: FlowEnd;
  flow: 'recovery' | 'setup' | 'rotate' | 'support';
  outcomes: StepOutcome[];
  /** A Control UI failure (missing or wrong token) was seen during this run. */
  controlUiFailed: boolean;
  /** A Control UI connect in the gateway's log after the last change. */
  controlUiConnected: boolean;
  last: DiagnosisReport | null;
}

/** A Control UI connect in `handshakes` at or after `since` (ms). */
export function controlUiConnectedSince(handshakes: readonly LogHandshake[], since: number): boolean {
  return handshakes.some((h) => h.kind === 'connected' && BROWSER_CLIENTS.has(h.client ?? '') && Date.parse(h.time) >= since);
}

/** The Control UI step's own proof held, and no change came after it. */
function proofStands(outcomes: StepOutcome[]): boolean {
  const at = outcomes.map((o) => o.step === 'putTokenIntoControlUi' && !!o.proof?.held).lastIndexOf(true);
  return at >= 0 && !outcomes.slice(at + 1).some((o) => o.ok);
}

/**
 * Whether this run owes the person a Control UI connection: one failed, the flow promises it
 * (setup's "Ready" says the Control UI has the token), a rotation left every browser with a dead
 * token, or the Control UI step was offered at all.
 */
function owesControlUi(v: VerdictInput): boolean {
  if (v.controlUiFailed || v.flow === 'setup') return true;
  return v.outcomes.some((o) => o.step === 'putTokenIntoControlUi' || (o.step === 'rotateToken' && o.ok));
}

/** Only client failures remain, with a gateway that accepts the token: the gateway side is done. */
function onlyClientLeft(last: DiagnosisReport | null): boolean {
  if (!last) return false;
  const errors = last.findings.filter((f) => f.severity === 'error');
  const accepts = !!last.gateway.acceptedSource || last.sources.some((s) => s.accepted === true);
  return accepts && errors.length > 0 && errors.every((f) => CLIENT_FAILURES.has(f.id));
}

export function verdict(v: VerdictInput): RunEnd {
  const seen = v.controlUiConnected || proofStands(v.outcomes);
  if ((v.end === 'connected' || v.end === 'ready') && owesControlUi(v) && !seen) return 'ui-not-connected';
  if (v.end === 'stuck' && v.controlUiFailed && !seen && onlyClientLeft(v.last)) return 'ui-not-connected';
  return v.end;
}
