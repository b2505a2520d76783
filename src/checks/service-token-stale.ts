/** The checklist's stuck service: a systemd unit or LaunchAgent that embeds an old token. */
import { failureReason, knownSecrets, runOpenClaw } from '../actions/openclaw-cli.js';
import type { DiagnosisView } from '../diagnosis/view.js';
import { defineCheck, defineStep } from './check.js';
import { agree, sourceLine } from './words.js';

function reinstallPlan(view: DiagnosisView): string[] {
  return [...(view.serviceOverrides.some((s) => s.kind === 'launchctl') ? ['launchctl unsetenv OPENCLAW_GATEWAY_TOKEN'] : []), 'openclaw gateway install --force', 'openclaw gateway restart'];
}

export const reinstallService = defineStep({
  id: 'reinstallService',
  stage: 'still-failing',
  title: 'Reinstall the gateway service so it stops carrying an old token',
  say: 'Your gateway service has an old token baked into it. Reinstalling it writes a fresh service definition.',
  plan: reinstallPlan,
  apply: async (ctx) => {
    if (ctx.dryRun) return { ok: true, message: 'dry run: would reinstall the service' };
    if (!ctx.facts.cli?.found) return { ok: false, message: 'the openclaw CLI is not on PATH' };
    for (const args of [
      ['gateway', 'install', '--force'],
      ['gateway', 'restart'],
    ]) {
      const r = await runOpenClaw(ctx, args, 90_000);
      if (!r.ok) return { ok: false, message: `openclaw ${args.join(' ')} failed: ${failureReason(r, knownSecrets(ctx), { line: 'last' })}` };
      ctx.record({ at: new Date().toISOString(), what: `ran openclaw ${args.join(' ')}`, commands: [`openclaw ${args.join(' ')}`], files: [], backups: [] });
    }
    return { ok: true, message: 'service reinstalled and restarted' };
  },
  proof: ({ after }) =>
    after.serviceOverrides.length
      ? { held: false, observed: `${after.serviceOverrides.map((s) => s.label).join(', ')} still embed another token` }
      : { held: true, observed: 'no service definition embeds another token' },
});

export const serviceTokenStale = defineCheck({
  id: 'service-token-stale',
  severity: 'error',
  title: 'The gateway service embeds an old token',
  fixes: [reinstallService],
  detect(view) {
    const differ = view.serviceOverrides;
    const ref = view.referenceToken;
    if (!differ.length || !ref) return [];
    return [
      {
        detail: `${differ.map((s) => s.label).join(' and ')} embed${agree(differ.length, 's', '')} an OPENCLAW_GATEWAY_TOKEN that differs from ${ref.label}. Older installs baked the token into the service; \`openclaw gateway restart\` keeps the old one, \`openclaw gateway install --force\` rewrites it.`,
        evidence: [sourceLine(ref), ...differ.map(sourceLine)],
        step: reinstallService,
      },
    ];
  },
});
