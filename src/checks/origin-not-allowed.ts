/** The Control UI was opened from an origin missing from gateway.controlUi.allowedOrigins. */
import { applyConfig, configCommands } from '../actions/config-edit.js';
import type { DiagnosisView } from '../diagnosis/view.js';
import { clientEvidence, recordsOf } from './client-records.js';
import { defineCheck, defineStep } from './check.js';

/** The allowed origins once every refused origin from the log is added. */
function allowedOriginsAfter(view: DiagnosisView): string[] {
  const current = view.facts.config?.gateway.allowedOrigins ?? [];
  const wanted = recordsOf(view, 'origin-not-allowed').flatMap((h) => (h.origin ? [h.origin] : []));
  return [...new Set([...current, ...wanted])];
}

export const allowOrigin = defineStep({
  id: 'allowOrigin',
  stage: 'still-failing',
  title: 'Allow the origin the Control UI is opened from',
  say: 'You open the Control UI from an address the gateway does not trust yet. I will add that address to the allowed origins.',
  explicit: true,
  consequence: 'Pages from that origin may then connect to the gateway (they still need the token).',
  plan: (view) => [
    ...configCommands([{ path: 'gateway.controlUi.allowedOrigins', value: allowedOriginsAfter(view) }]),
    `# or open it from the gateway host: http://127.0.0.1:${view.facts.target.port}/`,
  ],
  apply: (ctx) => applyConfig(ctx, 'allowed the Control UI origin', [{ path: 'gateway.controlUi.allowedOrigins', value: allowedOriginsAfter(ctx.view) }]),
  proof: ({ before, after }) => {
    const now = new Set(after.facts.config?.gateway.allowedOrigins ?? []);
    const missing = allowedOriginsAfter(before).filter((o) => !now.has(o));
    return missing.length
      ? { held: false, observed: `gateway.controlUi.allowedOrigins still lacks ${missing.join(', ')}` }
      : { held: true, observed: 'gateway.controlUi.allowedOrigins lists the refused origin' };
  },
});

export const originNotAllowed = defineCheck({
  id: 'origin-not-allowed',
  severity: 'error',
  title: 'The Control UI was opened from an origin the gateway does not allow',
  fixes: [allowOrigin],
  detect(view) {
    const current = view.facts.config?.gateway.allowedOrigins ?? [];
    return recordsOf(view, 'origin-not-allowed').map((h) => ({
      detail: `The Control UI was opened from ${h.origin ?? 'an origin the log does not name'}, which is not in gateway.controlUi.allowedOrigins${current.length ? ` (${current.join(', ')})` : ''}.`,
      evidence: clientEvidence(view, h),
      ...(h.origin ? { step: allowOrigin } : { advice: [`# open it from the gateway host: http://127.0.0.1:${view.facts.target.port}/`] }),
    }));
  },
});
