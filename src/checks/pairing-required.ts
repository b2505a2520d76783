/** A device that presented the right token waits for pairing approval. */
import { failureReason, knownSecrets, runOpenClaw } from '../actions/openclaw-cli.js';
import type { ActionContext } from '../actions/types.js';
import type { DiagnosisView } from '../diagnosis/view.js';
import { run } from '../exec.js';
import { clientEvidence, clientName, recordsOf } from './client-records.js';
import { defineCheck, defineStep } from './check.js';
import { gatewayCli } from './container-commands.js';

/** The gateway's own CLI approves: inside its container when it runs in one (the pairing store is there). */
function approveCommand(view: DiagnosisView, id: string): string {
  return view.gatewayContainer ? gatewayCli(view, ['devices', 'approve', id]).line : `openclaw devices approve ${id}`;
}

function listCommand(view: DiagnosisView): string {
  return view.gatewayContainer ? gatewayCli(view, ['devices', 'list']).line : 'openclaw devices list';
}

async function runApprove(ctx: ActionContext, id: string) {
  if (!ctx.view.gatewayContainer) return runOpenClaw(ctx, ['devices', 'approve', id]);
  const inv = gatewayCli(ctx.view, ['devices', 'approve', id]);
  return run(inv.file, inv.args, { timeoutMs: 60_000, env: ctx.env, cwd: inv.cwd ?? ctx.cwd });
}

export const approvePairing = defineStep({
  id: 'approvePairing',
  stage: 'still-failing',
  title: 'Approve the waiting device',
  say: 'The gateway accepted the token and now asks whether this new browser or device may connect. I will approve it.',
  explicit: true,
  consequence: 'That device may then use the gateway with the role it asked for.',
  plan: (view) => [listCommand(view), approveCommand(view, view.pendingPairingRequest ?? '<requestId>')],
  apply: async (ctx) => {
    const id = ctx.view.pendingPairingRequest;
    if (!id) return { ok: false, message: `no pairing request id in the log: run ${listCommand(ctx.view)}` };
    const shown = approveCommand(ctx.view, id);
    if (ctx.dryRun) return { ok: true, message: `dry run: would run ${shown}` };
    const r = await runApprove(ctx, id);
    if (!r.ok) return { ok: false, message: `openclaw devices approve failed: ${failureReason(r, knownSecrets(ctx), { line: 'last' })}` };
    ctx.record({ at: new Date().toISOString(), what: `approved device request ${id}`, commands: [shown], files: [], backups: [] });
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
      ...(view.pendingPairingRequest ? { step: approvePairing } : { advice: [listCommand(view), approveCommand(view, '<requestId>')] }),
    }));
  },
});
