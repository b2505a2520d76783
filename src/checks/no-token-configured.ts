/**
 * No usable token anywhere the gateway reads: it invents a runtime token at each start and saves
 * it nowhere, so every browser gets "gateway token missing". The article's step 2: generate one.
 */
import { NEW_TOKEN_PLAN, writeNewToken } from '../actions/new-token.js';
import { usable } from '../diagnosis/view.js';
import { defineCheck, defineStep, type Detection } from './check.js';
import type { DiagnosisView } from '../diagnosis/view.js';
import { withRefusal } from './start-refusal.js';
import { restartCommands, SET_NEW_TOKEN, SET_TOKEN_MODE, sourceLine } from './words.js';

export const generateToken = defineStep({
  id: 'generateToken',
  stage: 'fix-sequence',
  title: 'Generate a gateway token and save it in the config',
  say: 'There is no usable token in your config, so the gateway makes up a new one every time it starts. I will create one and save it, so it stays the same.',
  plan: () => NEW_TOKEN_PLAN,
  apply: (ctx) => writeNewToken(ctx, (t) => `saved a new gateway token (${t})`),
  proof: ({ after }) =>
    usable(after.configToken)
      ? { held: true, observed: `${after.configPath} holds gateway.auth.token ${after.configToken.value.describe()}` }
      : { held: false, observed: `${after.configPath} has no usable gateway.auth.token` },
});

export const noTokenConfigured = defineCheck({
  id: 'no-token-configured',
  severity: 'error',
  title: 'No gateway token is configured: the gateway invents a new one on every start',
  fixes: [generateToken],
  detect(view) {
    return withRefusal(view, 'no-token-configured', found(view), () => [SET_TOKEN_MODE, SET_NEW_TOKEN, ...restartCommands(view)]);
  },
});

function found(view: DiagnosisView): Detection[] {
  const f = view.facts;
  const cfg = f.config;
  const g = cfg?.gateway;
  const tokenModeExpected = !g?.authMode || g.authMode === 'token';
  const envToken = f.sources.find((s) => (s.kind === 'process-env' || s.kind === 'config-env' || s.id === 'dotenv:state') && s.credential === 'token' && usable(s));
  const ref = view.configToken?.problems.includes('secret-ref');
  if (!cfg || cfg.error || !view.isGatewayHost || !tokenModeExpected || usable(view.configToken) || ref || envToken) return [];
  const ct = view.configToken;
  return [
    {
      detail:
        'Neither gateway.auth.token nor OPENCLAW_GATEWAY_TOKEN holds a usable token. The gateway then generates a random runtime token at each start and saves it nowhere, so no client can know it: browsers get "gateway token missing".',
      evidence: [
        `config: ${view.configPath}`,
        ct ? sourceLine(ct) + (ct.problems.length ? ` [${ct.problems.join(', ')}]` : '') : 'gateway.auth.token: not set',
        ...(f.log?.runtimeTokenGenerated ? ['log: "Gateway auth token was missing. Generated a runtime token for this startup"'] : []),
      ],
      step: generateToken,
    },
  ];
}
