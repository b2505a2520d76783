/** A device that presented the right token waits for pairing approval. */
import { runOpenClaw } from '../actions/openclaw-cli.js';
import { clientEvidence, clientName, recordsOf } from './client-records.js';
import { defineCheck, defineStep } from './check.js';

export const approvePairing = defineStep({
  id: 'approvePairing',
  stage: 'still-failing',
  title: 'Approve the waiting device',
  say: 'The gateway accepted the token and now asks whether this new browser or device may connect. I will approve it.',
  explicit: true,
  consequence: 'That device may then use the gateway with the role it asked for.',
  plan: (view) => ['openclaw devices list', `openclaw devices approve ${view.pendingPairingRequest ?? '<requestId>'}`],
  apply: async (ctx) => {
    const id = ctx.view.pendingPairingRequest;
    if (!id) return { ok: false, message: 'no pairing request id in the log: run openclaw devices list' };
    if (ctx.dryRun) return { ok: true, message: `dry run: would run openclaw devices approve ${id}` };
    const r = await runOpenClaw(ctx, ['devices', 'approve', id]);
    if (!r.ok) return { ok: false, message: `openclaw devices approve failed: ${(r.failure ?? r.stderr.trim()).slice(0, 300)}` };
    ctx.record({ at: new Date().toISOString(), what: `approved device request ${id}`, commands: [`openclaw devices approve ${id}`], files: [], backups: [] });
    return { ok: true, message: `approved ${id}` };
  },
  proof: ({ before, after }) =>
    after.pendingPairingRequest && after.pendingPairingRequest !== before.pendingPairingRequest
      ? { held: false, observed: `a new pairing request waits: ${after.pendingPairingRequest}` }
      : recordsOf(after, 'pairing-required').length
        ? { held: false, observed: 'the device still waits for pairing' }
        : { held: true, observed: 'no device waits for pairing' },
});

export const pairingRequired = defineCheck({
  id: 'pairing-required',
  severity: 'warning',
  title: 'A device waits for pairing approval',
  fixes: [approvePairing],
  detect(view) {
    return recordsOf(view, 'pairing-required').map((h) => ({
      detail: `${clientName(h)} waits for pairing approval${h.requestId ? ` (request ${h.requestId})` : ''}.`,
      evidence: clientEvidence(view, h),
      ...(view.pendingPairingRequest ? { step: approvePairing } : { advice: ['openclaw devices list', 'openclaw devices approve <requestId>'] }),
    }));
  },
});
