/**
 * A proxy on the gateway's own host forwards the Control UI with X-Forwarded-* headers, but its
 * address is not in gateway.trustedProxies: the gateway cannot tell who the client is and refuses
 * the WebSocket upgrade (HTTP 403) before any token is checked. Only the log shows this.
 */
import { shellQuote } from '../text/shell-quote.js';
import { defineCheck } from './check.js';

export const proxyUntrusted = defineCheck({
  id: 'proxy-untrusted',
  severity: 'error',
  title: 'A reverse proxy on this host is not in gateway.trustedProxies',
  fixes: [],
  detect(view) {
    const seen = view.facts.log?.untrustedProxy;
    if (!seen) return [];
    const since = view.facts.log?.lastStartAt;
    if (since && seen.time && seen.time < since) return [];
    const proxy = seen.remote ?? '127.0.0.1';
    const origins = view.facts.config?.gateway.allowedOrigins ?? [];
    return [
      {
        detail: `The gateway saw forwarded (proxy) headers from ${proxy}, which is not a trusted proxy, so it refuses those connections at the WebSocket upgrade (HTTP 403) whatever the token. Trust exactly that proxy address, and allow the public origin the browser uses.`,
        evidence: [`log ${view.facts.log?.file ?? ''}: ${seen.time} ${seen.text}`.trim(), `gateway.trustedProxies: not set to include ${proxy}`],
        advice: [
          `openclaw config set gateway.trustedProxies ${shellQuote(JSON.stringify([proxy]))} --strict-json`,
          `openclaw config set gateway.controlUi.allowedOrigins ${shellQuote(JSON.stringify([...origins, 'https://<public host of the proxy>']))} --strict-json   # the exact scheme://host[:port] the browser shows`,
          '# and make the proxy overwrite X-Forwarded-For rather than append to it',
        ],
      },
    ];
  },
});
