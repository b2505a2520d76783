/** The gateway runs in password, none or trusted-proxy mode: clients must not be told to use a token. */
import { defineCheck } from './check.js';
import { PASSWORD_ADVICE_UI, SWITCH_TO_TOKEN_MODE } from './client-password-rejected.js';
import { restartCommands, SET_NEW_TOKEN, SET_TOKEN_MODE } from './words.js';

export const authModeNotToken = defineCheck({
  id: 'auth-mode-not-token',
  severity: 'warning',
  title: 'The gateway does not use token auth',
  fixes: [],
  detect(view) {
    const mode = view.facts.config?.gateway.authMode;
    if (!mode || mode === 'token') return [];
    return [
      {
        detail:
          mode === 'none'
            ? 'gateway.auth.mode is "none": any local process or browser tab can drive the gateway. Token mode is the safe default.'
            : `gateway.auth.mode is "${mode}": clients must present ${mode === 'password' ? 'the password' : 'the proxy identity'}, not a token.`,
        evidence: [`gateway.auth.mode=${mode}`],
        // Password mode is a choice: the way in is the password, and leaving it is an explicit switch.
        advice: mode === 'password' ? [PASSWORD_ADVICE_UI, SWITCH_TO_TOKEN_MODE] : [SET_TOKEN_MODE, SET_NEW_TOKEN, ...restartCommands(view)],
        severity: mode === 'none' ? 'warning' : 'info',
      },
    ];
  },
});
