/** A client presented a token the gateway does not enforce: it holds an old copy. */
import { clientEvidence, clientName, recordsOf } from './client-records.js';
import { defineCheck } from './check.js';
import { clientTokenFix, putTokenIntoControlUi } from './client-token-missing.js';
import { sourceLine } from './words.js';

export const clientTokenMismatch = defineCheck({
  id: 'client-token-mismatch',
  severity: 'error',
  title: 'A client presented the wrong token (gateway token mismatch)',
  fixes: [putTokenIntoControlUi],
  detect(view) {
    const fromLog = recordsOf(view, 'token-mismatch').map((h) => ({
      detail: `${clientName(h)} presented a token the gateway does not enforce, at ${h.time}. It holds an old copy: give it the current one.`,
      evidence: clientEvidence(view, h),
      ...clientTokenFix(view, h, 'update that client'),
    }));
    const f = view.facts;
    if (f.userToken && f.userToken.reveal().trim() !== '' && f.userTokenAccepted === false) {
      const ok = view.acceptedSource;
      fromLog.push({
        detail: `The token you gave (${f.userToken.describe()}) is not the one the gateway enforces${ok ? ` (${ok.value.describe()}, from ${ok.label})` : ''}.`,
        evidence: [`token-stdin: ${f.userToken.describe()}`, ...(ok ? [`accepted: ${sourceLine(ok)}`] : [])],
        ...clientTokenFix(view, null, 'use that value'),
      });
    }
    return fromLog;
  },
});
