/** The checklist's "did you restart the gateway after changing the token?": it still enforces an old one. */
import { restartGateway as restartTheGateway, startInBackgroundCommand } from '../actions/gateway.js';
import { usable, type DiagnosisView } from '../diagnosis/view.js';
import { defineCheck, defineStep } from './check.js';
import { refusedEarlier, sourceLine } from './words.js';

export const restartGateway = defineStep({
  id: 'restartGateway',
  stage: 'still-failing',
  title: 'Restart the gateway so it enforces the config token',
  say: 'The gateway is still running with an old token in memory. A restart makes it read the token from the config.',
  plan: (view) => {
    if (view.hasService) return ['openclaw gateway restart'];
    const own = view.ownGateway;
    return own?.pid ? [`kill ${own.pid}`, startInBackgroundCommand(view)] : ['# restart the gateway where you started it (Ctrl-C, then run it again)'];
  },
  apply: (ctx) => restartTheGateway(ctx, ctx.view.configToken?.value?.reveal().trim() ?? null),
  proof: ({ after }) => {
    const ct = after.configToken;
    if (ct && after.facts.accepted.get(ct.id) === true) return { held: true, observed: `the gateway accepts the config token ${ct.value?.describe() ?? ''}`.trim() };
    return { held: false, observed: ct ? 'the gateway does not accept the config token yet' : 'no config token to check' };
  },
});

function why(view: DiagnosisView): string {
  if (view.acceptedSource) return `It accepts ${view.acceptedSource.label} (${view.acceptedSource.value.describe()}) instead.`;
  if (view.foreignGateways.length) return 'The gateway on the port runs with another state dir (see multiple-gateways).';
  if (view.facts.log?.runtimeTokenGenerated) {
    return 'It started without a configured token and still enforces the runtime token it generated then; a token written into the config afterwards applies only after a restart.';
  }
  return 'The gateway still enforces the token it loaded earlier: restart it so it reads the config again.';
}

export const gatewayRejectsConfigToken = defineCheck({
  id: 'gateway-rejects-config-token',
  severity: 'error',
  title: 'The running gateway rejects the token in your config',
  fixes: [restartGateway],
  detect(view) {
    const ct = view.configToken;
    if (!usable(ct) || view.facts.accepted.get(ct.id) !== false || !view.isGatewayHost) return [];
    const restartPending = view.facts.log?.runtimeTokenGenerated ?? false;
    const a = view.acceptedSource;
    return [
      {
        detail: `The gateway on ${view.facts.target.url} rejected gateway.auth.token from ${view.configPath} with "gateway token mismatch". ${why(view)}`,
        evidence: [
          sourceLine(ct),
          ...(refusedEarlier(view, ct) ? [refusedEarlier(view, ct)] : []),
          a ? `accepted: ${sourceLine(a)}` : 'accepted: none of the tokens found on this machine',
          ...(restartPending ? ['log: gateway started with a generated runtime token'] : []),
        ],
        // Restarting our gateway does not help while another one holds the port: that comes first.
        ...(view.multipleGateways ? { advice: ['openclaw gateway status', 'openclaw-token-wizard diagnose'] } : { step: restartGateway }),
      },
    ];
  },
});
