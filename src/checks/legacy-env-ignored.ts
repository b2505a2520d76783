/** CLAWDBOT_* / MOLTBOT_* variables from before the rename: set, and silently ignored. */
import { defineCheck } from './check.js';

export const legacyEnvIgnored = defineCheck({
  id: 'legacy-env-ignored',
  severity: 'warning',
  title: 'Legacy CLAWDBOT_* / MOLTBOT_* variables are set but ignored',
  fixes: [],
  detect(view) {
    const f = view.facts;
    const names = [...new Set([...(f.processEnv?.legacyNames ?? []), ...f.dotenvs.flatMap((d) => d.legacyNames)])];
    if (!names.length) return [];
    return [
      {
        detail: `${names.join(', ')} ${names.length === 1 ? 'is' : 'are'} set, but OpenClaw reads only OPENCLAW_* names now.`,
        evidence: names.map((n) => `set: ${n}`),
        advice: names.map((n) => `unset ${n}   # use ${n.replace(/^(CLAWDBOT|MOLTBOT)_/, 'OPENCLAW_')} instead`),
      },
    ];
  },
});
