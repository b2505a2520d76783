/** A browser outside a secure context has no device identity, so the gateway refuses it. */
import { clientEvidence, clientName, recordsOf } from './client-records.js';
import { defineCheck } from './check.js';

export const controlUiInsecureContext = defineCheck({
  id: 'control-ui-insecure-context',
  severity: 'error',
  title: 'The Control UI was opened from an insecure context',
  fixes: [],
  detect(view) {
    const port = view.facts.target.port;
    return recordsOf(view, 'insecure-context').map((h) => ({
      detail: `${clientName(h)} has no device identity: browsers only create one in a secure context (HTTPS or localhost). Opening the UI over plain http:// from another host fails this way.`,
      evidence: clientEvidence(view, h),
      advice: [`# open http://127.0.0.1:${port}/ on the gateway host, or an ssh tunnel:`, `ssh -N -L ${port}:127.0.0.1:${port} <gateway-host>`, '# or serve it over HTTPS (tailscale serve)'],
    }));
  },
});
