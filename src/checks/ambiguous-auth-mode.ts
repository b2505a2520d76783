/** A token and a password with no mode: OpenClaw refuses to start, install or doctor. */
import { applyConfig } from '../actions/config-edit.js';
import { defineCheck, defineStep } from './check.js';
import { withRefusal } from './start-refusal.js';
import { SET_TOKEN_MODE } from './words.js';

export const chooseTokenAuthMode = defineStep({
  id: 'chooseTokenAuthMode',
  stage: 'fix-sequence',
  title: 'Make token auth explicit',
  say: 'Both a token and a password are configured and OpenClaw cannot tell which to use. I will set the auth mode to token.',
  plan: () => [SET_TOKEN_MODE],
  apply: (ctx) => applyConfig(ctx, 'set gateway.auth.mode=token', [{ path: 'gateway.auth.mode', value: 'token' }]),
  proof: ({ after }) => {
    const mode = after.facts.config?.gateway.authMode;
    return mode === 'token' ? { held: true, observed: 'gateway.auth.mode=token' } : { held: false, observed: `gateway.auth.mode is ${mode ?? 'unset'}` };
  },
});

export const ambiguousAuthMode = defineCheck({
  id: 'ambiguous-auth-mode',
  severity: 'error',
  title: 'Both a token and a password are set while gateway.auth.mode is unset',
  fixes: [chooseTokenAuthMode],
  detect(view) {
    const g = view.facts.config?.gateway;
    if (!(g && g.hasToken && g.hasPassword && !g.authMode)) return withRefusal(view, 'ambiguous-auth-mode', [], () => [SET_TOKEN_MODE]);
    return withRefusal(
      view,
      'ambiguous-auth-mode',
      [
        {
          detail: 'gateway.auth.token and gateway.auth.password are both set while gateway.auth.mode is unset; OpenClaw refuses to start, install or doctor in this state.',
          evidence: [`config: ${view.configPath}`],
          step: chooseTokenAuthMode,
        },
      ],
      () => [SET_TOKEN_MODE],
    );
  },
});
