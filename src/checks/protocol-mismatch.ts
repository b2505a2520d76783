/**
 * The gateway and a client share no protocol version (close 1002): the wizard's own probe, or one of
 * the person's clients in the log (an old companion app, CLI or helper left running). A Control UI
 * page older than the gateway is another failure with a similar text: control-ui-stale-build.
 */
import { clientEvidence, clientName, recordsOf } from './client-records.js';
import { defineCheck } from './check.js';

export const protocolMismatch = defineCheck({
  id: 'protocol-mismatch',
  severity: 'error',
  title: 'The gateway speaks a protocol version this client does not',
  fixes: [],
  detect(view) {
    const fromLog = recordsOf(view, 'protocol-mismatch').map((h) => ({
      detail: `${clientName(h)} speaks a protocol version the gateway does not (close 1002): it was built for an older or newer OpenClaw. Update or restart that client; reloading a browser tab does not help here.`,
      evidence: clientEvidence(view, h),
      advice: ['openclaw --version', 'openclaw gateway status --deep   # lists the clients; update the companion app or stop the old process'],
    }));
    const r = view.probes.find((x) => x.kind === 'protocol-mismatch');
    if (!r) return fromLog;
    return [
      ...fromLog,
      {
        detail: `The gateway closed with 1002 "${r.closeReason ?? 'protocol mismatch'}": it and this client share no protocol version (this wizard speaks 3..4).`,
        evidence: [`probe: ${r.closeCode} ${r.closeReason ?? ''}`.trim()],
        advice: ['openclaw --version', 'npm install -g openclaw@latest   # or update the client that fails'],
      },
    ];
  },
});
