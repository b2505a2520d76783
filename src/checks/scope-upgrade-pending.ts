/**
 * An approved device reconnected asking for more scopes (or a higher role) than it was approved
 * for: the gateway holds it at "pairing required" until someone approves the upgrade. Approving is
 * the person's explicit decision, so this check names the command and does not run it.
 */
import { shellQuote } from '../text/shell-quote.js';
import { clientEvidence, clientName, recordsOf } from './client-records.js';
import { defineCheck } from './check.js';

export const scopeUpgradePending = defineCheck({
  id: 'scope-upgrade-pending',
  severity: 'error',
  title: 'A paired device waits for approval of more scopes or a higher role',
  fixes: [],
  detect(view) {
    return recordsOf(view, 'scope-upgrade').map((h) => ({
      detail: `${clientName(h)} is already paired but asked for more than it was approved for (${h.reason ?? 'scope upgrade'}); the gateway refuses it until the upgrade is approved${h.requestId ? ` (request ${h.requestId})` : ''}.`,
      evidence: clientEvidence(view, h),
      advice: ['openclaw devices list', h.requestId ? `openclaw devices approve ${shellQuote(h.requestId)}` : 'openclaw devices approve <requestId>   # the scope-upgrade request in the list'],
    }));
  },
});
