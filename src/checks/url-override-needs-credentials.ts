/**
 * OPENCLAW_GATEWAY_URL is set but no token or password travels with it. OpenClaw never sends the
 * configured credentials to an overridden URL (a guard against handing the token to another
 * host), so every `openclaw` command fails with "gateway url override requires explicit credentials".
 */
import { sanitizeForTerminal } from '../text/sanitize.js';
import { defineCheck } from './check.js';

export const urlOverrideNeedsCredentials = defineCheck({
  id: 'url-override-needs-credentials',
  severity: 'error',
  title: 'OPENCLAW_GATEWAY_URL is set without a token for it',
  fixes: [],
  detect(view) {
    const raw = view.facts.processEnv?.url;
    if (!raw) return [];
    const url = sanitizeForTerminal(raw);
    const envCredential = view.facts.sources.some((s) => (s.kind === 'process-env' || s.kind === 'dotenv') && (s.credential === 'token' || s.credential === 'password') && s.value !== null);
    if (envCredential) return [];
    return [
      {
        detail: `OPENCLAW_GATEWAY_URL=${url} is set in this shell, and neither OPENCLAW_GATEWAY_TOKEN nor OPENCLAW_GATEWAY_PASSWORD is. OpenClaw does not send the configured token to an overridden URL, so openclaw commands fail with "gateway url override requires explicit credentials".`,
        evidence: [`shell: OPENCLAW_GATEWAY_URL=${url}`, 'shell and .env files: no OPENCLAW_GATEWAY_TOKEN or OPENCLAW_GATEWAY_PASSWORD'],
        advice: [
          'unset OPENCLAW_GATEWAY_URL   # the CLI then uses the configured gateway and its credentials',
          '# or set OPENCLAW_GATEWAY_TOKEN to the token of that gateway as well (shell or ~/.openclaw/.env)',
        ],
      },
    ];
  },
});
