/** A gateway block under `agents`, where OpenClaw never looks. */
import { applyConfig, configCommands } from '../actions/config-edit.js';
import { configSourceId, usable } from '../diagnosis/view.js';
import type { DiagnosisView } from '../diagnosis/view.js';
import { defineCheck, defineStep } from './check.js';

const misplacedToken = (view: DiagnosisView) => view.facts.sources.find((s) => s.id === configSourceId(view.facts, 'config:misplaced'))?.value ?? null;

export const moveMisplacedGatewayBlock = defineStep({
  id: 'moveMisplacedGatewayBlock',
  stage: 'fix-sequence',
  title: 'Move the token from agents.gateway to the top-level gateway block',
  say: 'Your token sits under "agents", where OpenClaw never looks. I will copy it to the place the gateway reads.',
  plan: (view) => configCommands([{ path: 'gateway.auth.token', value: '', display: `<token from agents.gateway ${misplacedToken(view)?.fingerprint ?? ''}>` }]),
  apply: async (ctx) => {
    const v = misplacedToken(ctx.view);
    if (!v) return { ok: false, message: 'no token under agents.gateway to move' };
    return applyConfig(ctx, 'copied the token from agents.gateway.auth.token to gateway.auth.token', [{ path: 'gateway.auth.token', value: v.reveal().trim(), display: v.fingerprint }]);
  },
  proof: ({ before, after }) => {
    const moved = misplacedToken(before);
    const now = after.configToken;
    return usable(now) && moved && now.value.reveal().trim() === moved.reveal().trim()
      ? { held: true, observed: `gateway.auth.token now holds ${now.value.describe()}` }
      : { held: false, observed: 'gateway.auth.token does not hold the token from agents.gateway' };
  },
});

export const tokenMisplaced = defineCheck({
  id: 'token-misplaced',
  severity: 'error',
  title: 'The gateway block is nested under agents, where OpenClaw ignores it',
  fixes: [moveMisplacedGatewayBlock],
  detect(view) {
    const g = view.facts.config?.gateway;
    if (!g?.misplacedAgentsGateway) return [];
    const hasTop = usable(view.configToken);
    const canMove = !!misplacedToken(view) && !view.configToken?.value;
    return [
      {
        detail: `${view.configPath} has a gateway block under "agents" (agents.gateway). OpenClaw reads only the top-level "gateway" block${g.misplacedHasToken ? ', so the token written there is not used' : ''}.`,
        evidence: ['agents.gateway present', ...(g.misplacedHasToken ? ['agents.gateway.auth.token set'] : []), `gateway.auth.token at top level: ${hasTop ? 'set' : 'not set'}`],
        severity: hasTop ? 'warning' : 'error',
        ...(canMove ? { step: moveMisplacedGatewayBlock } : { advice: ['openclaw doctor --fix   # migrates agents.gateway to the top-level gateway block', 'openclaw config get gateway.auth.mode'] }),
      },
    ];
  },
});
