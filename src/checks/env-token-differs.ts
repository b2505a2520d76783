/** The checklist's env override: OPENCLAW_GATEWAY_TOKEN in the shell or a .env differs from the config token. */
import { rewriteEnvLine } from '../actions/env-line.js';
import { shellQuote } from '../actions/openclaw-cli.js';
import type { DiagnosisView } from '../diagnosis/view.js';
import type { TokenSource } from '../types.js';
import { defineCheck, defineStep } from './check.js';
import { agree, refusedEarlier, sourceLine } from './words.js';

const UNSET_IN_SHELL = 'unset OPENCLAW_GATEWAY_TOKEN   # and remove it from your shell profile';

function planLine(s: TokenSource): string {
  if (s.kind === 'process-env') return UNSET_IN_SHELL;
  if (s.kind === 'config-env') return 'openclaw config unset env.OPENCLAW_GATEWAY_TOKEN';
  return `$EDITOR ${shellQuote(s.file ?? s.label)}   # line ${s.line ?? '?'}: comment out OPENCLAW_GATEWAY_TOKEN`;
}

export const removeEnvOverride = defineStep({
  id: 'removeEnvOverride',
  stage: 'still-failing',
  title: 'Remove the stale OPENCLAW_GATEWAY_TOKEN',
  say: 'An old OPENCLAW_GATEWAY_TOKEN is still set in a file, and some clients send that instead of the real token. I will comment it out so the config is the one source of truth.',
  plan: (view) => view.envOverrides.map(planLine),
  apply: async (ctx) => {
    const list = ctx.view.envOverrides;
    const editable = list.filter((s) => s.kind === 'dotenv' && s.file && s.line);
    const done: string[] = [];
    const failed: string[] = [];
    // Every .env line is tried, whatever happened to the one before: one refusal must not leave the rest.
    for (const s of editable) {
      const r = await rewriteEnvLine(ctx, s.file!, s.line!, null, 'commented out a stale OPENCLAW_GATEWAY_TOKEN');
      (r.ok ? done : failed).push(r.message);
    }
    // The shell and the config's env block are the person's to change: the plan names how.
    const byHand = list.filter((s) => !editable.includes(s)).map(planLine);
    const parts = [...done, ...failed.map((m) => `not changed: ${m}`), ...byHand.map((c) => `still to do by hand: ${c}`)];
    return { ok: failed.length === 0 && byHand.length === 0, message: parts.join('; ') || 'nothing to change' };
  },
  proof: ({ after }) =>
    after.envOverrides.length
      ? { held: false, observed: `${after.envOverrides.map((s) => s.label).join(', ')} still hold another token` }
      : { held: true, observed: 'no environment place holds another token' },
});

function acceptedNote(view: DiagnosisView, id: string): string {
  const a = view.facts.accepted.get(id);
  const s = view.facts.sources.find((x) => x.id === id);
  const earlier = s ? refusedEarlier(view, s) : '';
  return a === false ? ` (${earlier || 'rejected by the gateway'})` : a === true ? ' (accepted by the gateway)' : '';
}

export const envTokenDiffers = defineCheck({
  id: 'env-token-differs',
  severity: 'warning',
  title: 'OPENCLAW_GATEWAY_TOKEN in the environment differs from the config token',
  fixes: [removeEnvOverride],
  detect(view) {
    const differ = view.envOverrides;
    const ref = view.referenceToken;
    if (!differ.length || !ref) return [];
    return [
      {
        detail: `${differ.map((s) => s.label).join(' and ')} hold${agree(differ.length, 's', '')} a different token than ${ref.label}. OpenClaw 2026.9 prefers the config for the gateway and local CLI, but clients that read the environment (OPENCLAW_GATEWAY_URL targets, node hosts, older versions) send the other value and get "token mismatch".`,
        evidence: [sourceLine(ref), ...differ.map((s) => `${sourceLine(s)}${acceptedNote(view, s.id)}`)],
        step: removeEnvOverride,
      },
    ];
  },
});
