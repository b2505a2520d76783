/** No openclaw command on PATH: the printed fixes need it. */
import { defineCheck } from './check.js';
import { OPENCLAW_INSTALL } from './words.js';

export const cliNotFound = defineCheck({
  id: 'cli-not-found',
  severity: 'warning',
  title: 'The openclaw CLI is not on PATH',
  fixes: [],
  detect(view) {
    const f = view.facts;
    // A gateway in a container: every command runs its CLI in the container, none needs one here.
    if (!f.cli || f.cli.found || view.gatewayContainer) return [];
    const dockerish = f.sources.some((s) => s.kind === 'compose' || s.kind === 'container');
    return [
      {
        detail: `No openclaw command on PATH: the fix commands in this report use it${dockerish ? ' (in Docker, run them as `docker compose run --rm openclaw-cli …`)' : ''}.`,
        evidence: [f.cli.error ?? 'openclaw not found on PATH'],
        advice: [OPENCLAW_INSTALL],
        severity: dockerish ? 'info' : 'warning',
      },
    ];
  },
});
