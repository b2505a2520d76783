/**
 * The gateway runs in password mode and a client (usually the Control UI) sent no password or the
 * wrong one. A client that fails is a failing diagnosis; the way out is the password, never a new
 * token (a token is not what this gateway checks).
 */
import { clientEvidence, clientName, isControlUi, isKind } from './client-records.js';
import { defineCheck } from './check.js';

export const PASSWORD_ADVICE_UI = '# enter the gateway password (gateway.auth.password) in the Control UI: Settings → Gateway → Gateway secret';
export const SWITCH_TO_TOKEN_MODE = '# or, deliberately, switch the gateway to token auth: openclaw config set gateway.auth.mode token';

export const clientPasswordRejected = defineCheck({
  id: 'client-password-rejected',
  severity: 'error',
  title: 'A client did not present the gateway password (password mode)',
  fixes: [],
  detect(view) {
    return view.latestClientRecords
      .filter((h) => isKind(h, 'password-missing', 'password-mismatch'))
      .map((h) => ({
        detail: `${clientName(h)} ${h.kind === 'password-missing' ? 'sent no password' : 'sent a secret that is not the gateway password'} at ${h.time}. This gateway is in password mode: it checks gateway.auth.password, not a token${isControlUi(h) ? '; the Control UI keeps the password in memory only, so it asks again after every reload' : ''}.`,
        evidence: clientEvidence(view, h),
        advice: isControlUi(h) ? [PASSWORD_ADVICE_UI, SWITCH_TO_TOKEN_MODE] : ["# give that client this gateway's gateway.auth.password", SWITCH_TO_TOKEN_MODE],
      }));
  },
});
