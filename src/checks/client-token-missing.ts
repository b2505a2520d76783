/**
 * A client connected without a token: the article's headline error. For the Control UI the fix is
 * the article's step 3 (put the token in) and step 4 (see it connect in the gateway's log).
 */
import { deliverToControlUi } from '../actions/control-ui.js';
import type { DiagnosisView } from '../diagnosis/view.js';
import type { LogHandshake } from '../facts/types.js';
import { BROWSER_CLIENTS, clientEvidence, clientName, isControlUi, recordsOf } from './client-records.js';
import { defineCheck, defineStep, type Detection } from './check.js';
import { OPEN_CONTROL_UI } from './words.js';

export const putTokenIntoControlUi = defineStep({
  id: 'putTokenIntoControlUi',
  stage: 'deliver',
  title: 'Put the token into the Control UI',
  say: 'Your browser does not have the right token. I will open the Control UI with the token built into the link, then we watch the gateway confirm the connection.',
  // The link carries the token itself: the runnable equivalent is the wizard's own `open`, never a
  // URL with a fingerprint where the secret belongs.
  plan: () => [OPEN_CONTROL_UI],
  apply: (ctx) => deliverToControlUi(ctx),
  proof: ({ after, since }) => {
    const seen = (after.facts.log?.handshakes ?? []).filter((h) => BROWSER_CLIENTS.has(h.client ?? '') && Date.parse(h.time) >= since.getTime());
    const last = seen.at(-1);
    if (last?.kind === 'connected') return { held: true, observed: `the Control UI connected at ${last.time} (gateway log)` };
    if (last) return { held: false, observed: `the Control UI was refused at ${last.time}: ${last.reason ?? last.kind}` };
    return { held: false, observed: 'no Control UI connection in the gateway log since the token was handed over' };
  },
});

/** The fix for a client that presents no token or the wrong one: the Control UI gets the link, others the token. */
export function clientTokenFix(view: DiagnosisView, h: LogHandshake | null, otherClient: string): Pick<Detection, 'step' | 'advice'> {
  const ui = h === null || isControlUi(h);
  if (ui && view.tokenForClients) return { step: putTokenIntoControlUi };
  // No token exists yet: once one does, the same command hands it to the Control UI.
  if (ui) return { advice: [OPEN_CONTROL_UI] };
  return { advice: [`openclaw gateway auth-token --show   # then ${otherClient}`] };
}

export const clientTokenMissing = defineCheck({
  id: 'client-token-missing',
  severity: 'error',
  title: 'A client tried to connect without a token (gateway token missing)',
  fixes: [putTokenIntoControlUi],
  detect(view) {
    const fromLog = recordsOf(view, 'token-missing').map((h) => ({
      detail: `${clientName(h)} tried to connect without a token at ${h.time}. ${isControlUi(h) ? 'The Control UI needs the token once: open it with the tokenized dashboard URL, or paste the token under Settings → Gateway → Gateway secret.' : 'Give that client the gateway token.'}`,
      evidence: clientEvidence(view, h),
      ...clientTokenFix(view, h, 'give that value to the client'),
    }));
    const stdin = view.facts.userToken;
    if (stdin && stdin.reveal().trim() === '') fromLog.push({ detail: 'The token you gave on stdin is empty.', evidence: ['token-stdin: empty'], ...clientTokenFix(view, null, 'use that value') });
    return fromLog;
  },
});
