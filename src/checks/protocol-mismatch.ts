/** The gateway and this client share no protocol version (close 1002). */
import { defineCheck } from './check.js';

export const protocolMismatch = defineCheck({
  id: 'protocol-mismatch',
  severity: 'error',
  title: 'The gateway speaks a protocol version this client does not',
  fixes: [],
  detect(view) {
    const r = view.probes.find((x) => x.kind === 'protocol-mismatch');
    if (!r) return [];
    return [
      {
        detail: `The gateway closed with 1002 "${r.closeReason ?? 'protocol mismatch'}": it and this client share no protocol version (this wizard speaks 3..4).`,
        evidence: [`probe: ${r.closeCode} ${r.closeReason ?? ''}`.trim()],
        advice: ['openclaw --version', 'npm install -g openclaw@latest   # or update the client that fails'],
      },
    ];
  },
});
