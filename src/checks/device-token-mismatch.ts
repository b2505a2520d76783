/** A paired device presents a cached per-device token the gateway no longer accepts. */
import { clientEvidence, clientName, recordsOf } from './client-records.js';
import { defineCheck } from './check.js';

export const deviceTokenMismatch = defineCheck({
  id: 'device-token-mismatch',
  severity: 'error',
  title: 'A paired device presents a stale device token',
  fixes: [],
  detect(view) {
    return recordsOf(view, 'device-token-mismatch').map((h) => ({
      detail: `${clientName(h)} presented a cached per-device token the gateway no longer accepts. This is the device token, not the shared gateway token.`,
      evidence: clientEvidence(view, h),
      advice: ['openclaw devices list', 'openclaw devices rotate --device <id> --role operator   # or: openclaw devices clear --yes, then re-pair'],
    }));
  },
});
