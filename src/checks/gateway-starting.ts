/** The gateway answered 1013 "gateway starting": wait, do not change anything. */
import { defineCheck } from './check.js';

export const gatewayStarting = defineCheck({
  id: 'gateway-starting',
  severity: 'warning',
  title: 'The gateway is still starting',
  fixes: [],
  detect(view) {
    if (!view.probes.some((r) => r.kind === 'starting')) return [];
    return [
      {
        detail: 'The gateway answered "gateway starting" (close 1013). It accepts connections within seconds.',
        evidence: [`probe ${view.facts.target.url}: 1013 gateway starting`],
        advice: ['sleep 5 && openclaw-token-wizard diagnose'],
      },
    ];
  },
});
