/** Remote mode: clients here send gateway.remote.token, which must equal the gateway host's token. */
import { defineCheck } from './check.js';
import { sourceLine } from './words.js';

const ADVICE = ['openclaw gateway auth-token --show   # on the gateway host', `openclaw config set gateway.remote.token '"<that token>"'   # here`];

export const remoteTokenMismatch = defineCheck({
  id: 'remote-token-mismatch',
  severity: 'error',
  title: 'gateway.remote.token does not match the remote gateway',
  fixes: [],
  detect(view) {
    const f = view.facts;
    if (f.config?.gateway.mode !== 'remote') return [];
    const remote = f.config.sources.find((s) => s.kind === 'config-remote');
    if (remote && f.accepted.get(remote.id) === false) {
      return [
        {
          detail: `The gateway at ${f.target.url} rejected gateway.remote.token. In remote mode clients send gateway.remote.token, which must equal the gateway host's gateway.auth.token.`,
          evidence: [sourceLine(remote), `target: ${f.target.url}`],
          advice: ADVICE,
        },
      ];
    }
    if (!remote && view.reachable && f.target.remote) {
      return [
        {
          detail: `gateway.mode is "remote" but gateway.remote.token is not set, so clients here present no token to ${f.target.url}.`,
          evidence: [`target: ${f.target.url}`, 'gateway.remote.token: not set'],
          advice: ADVICE,
        },
      ];
    }
    return [];
  },
});
