/** The gateway's limiter locked a client out after repeated failed logins. */
import { defineCheck } from './check.js';
import { clientEvidence, clientName } from './client-records.js';

const WAIT = 'sleep 300 && openclaw-token-wizard diagnose';

export const rateLimited = defineCheck({
  id: 'rate-limited',
  severity: 'warning',
  title: 'The gateway is rate-limiting failed logins',
  fixes: [],
  detect(view) {
    const probe = view.probes.find((r) => r.reject === 'rate-limited');
    if (probe) {
      return [
        {
          detail: 'The gateway answered "too many failed authentication attempts": it locks a client out for 5 minutes after 10 failures in a minute.',
          evidence: [`probe: ${probe.closeReason ?? 'rate limited'}`],
          advice: [WAIT],
        },
      ];
    }
    return view.latestClientRecords
      .filter((h) => h.kind === 'rate-limited')
      .map((h) => ({ detail: `${clientName(h)} was refused at ${h.time}: ${h.reason ?? h.kind}.`, evidence: clientEvidence(view, h), advice: [WAIT] }));
  },
});
