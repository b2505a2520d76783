/** The checklist's env override: OPENCLAW_GATEWAY_TOKEN in the shell or a .env differs from the config token. */
import { rewriteEnvLine } from '../actions/env-line.js';
import { shellQuote } from '../actions/openclaw-cli.js';
import type { DiagnosisView } from '../diagnosis/view.js';
import { defineCheck, defineStep } from './check.js';
import { agree, sourceLine } from './words.js';

const UNSET_IN_SHELL = 'unset OPENCLAW_GATEWAY_TOKEN   # and remove it from your shell profile';

export const removeEnvOverride = defineStep({
  id: 'removeEnvOverride',
  stage: 'still-failing',
  title: 'Remove the stale OPENCLAW_GATEWAY_TOKEN',
  say: 'An old OPENCLAW_GATEWAY_TOKEN is still set in a file, and some clients send that instead of the real token. I will comment it out so the config is the one source of truth.',
  plan: (view) =>
    view.envOverrides.map((s) =>
      s.kind === 'process-env'
        ? UNSET_IN_SHELL
        : s.file
          ? `$EDITOR ${shellQuote(s.file)}   # line ${s.line ?? '?'}: comment out OPENCLAW_GATEWAY_TOKEN`
          : 'openclaw config unset env.OPENCLAW_GATEWAY_TOKEN',
    ),
  apply: async (ctx) => {
    const list = ctx.view.envOverrides;
    const files = list.filter((s) => s.file && s.line);
    for (const s of files) {
      const r = await rewriteEnvLine(ctx, s.file!, s.line!, null, 'commented out a stale OPENCLAW_GATEWAY_TOKEN');
      if (!r.ok) return r;
    }
    if (list.some((s) => s.kind === 'process-env')) {
      return {
        ok: files.length > 0,
        message: `${files.length ? 'file entries commented out; ' : ''}OPENCLAW_GATEWAY_TOKEN is set in this shell: run \`unset OPENCLAW_GATEWAY_TOKEN\` and remove it from your shell profile`,
      };
    }
    return { ok: true, message: `commented out ${files.length} stale ${agree(files.length, 'entry', 'entries')}` };
  },
  proof: ({ after }) =>
    after.envOverrides.length
      ? { held: false, observed: `${after.envOverrides.map((s) => s.label).join(', ')} still hold another token` }
      : { held: true, observed: 'no environment place holds another token' },
});

function acceptedNote(view: DiagnosisView, id: string): string {
  const a = view.facts.accepted.get(id);
  return a === false ? ' (rejected by the gateway)' : a === true ? ' (accepted by the gateway)' : '';
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
