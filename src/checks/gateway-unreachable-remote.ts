/** A remote gateway that does not complete a handshake. */
import { defineCheck } from './check.js';

export const gatewayUnreachableRemote = defineCheck({
  id: 'gateway-unreachable-remote',
  severity: 'error',
  title: 'The remote gateway cannot be reached',
  fixes: [],
  detect(view) {
    if (view.unreachable !== 'remote') return [];
    const t = view.facts.target;
    const first = view.probes[0]!;
    return [
      {
        detail: `${t.url} did not complete a handshake (${first.note ?? first.kind}).`,
        evidence: [`target: ${t.url} (${t.portSource})`, `probe: ${first.kind}${first.note ? `, ${first.note}` : ''}`],
        advice: [`curl -sS ${t.httpUrl}/healthz`, 'openclaw config get gateway.remote.url', 'openclaw gateway status   # on the gateway host'],
      },
    ];
  },
});
