/**
 * URLs for one gateway, built the way OpenClaw builds them (src/gateway/control-ui-links.ts):
 * `ws(s)://host:port[basePath]` for the socket, and the Control UI page with the token in the
 * `#token=` fragment (a fragment never reaches the server or its access logs; verified-live.md
 * shows the real UI connects from `http://127.0.0.1:18789/#token=<token>`).
 */

export interface GatewayAddress {
  host: string;
  port: number;
  tls: boolean;
  /** `gateway.controlUi.basePath`, as authored (`ui`, `/ui/`, ...), or null. */
  basePath: string | null;
}

/** `''` for no base path, else `/a/b`: one leading slash, no trailing slash, no empty segments. */
export function normaliseBasePath(basePath: string | null): string {
  const segments = (basePath ?? '').split('/').filter((s) => s.length > 0);
  return segments.length ? `/${segments.join('/')}` : '';
}

/** IPv6 literals need brackets inside a URL; an already bracketed host is left alone. */
export function urlHost(host: string): string {
  const h = host.trim();
  if (h.startsWith('[')) return h;
  // A zone id (`fe80::1%eth0`) must be written `%25` inside a URL.
  return h.includes(':') ? `[${h.replace(/%(?!25)/, '%25')}]` : h;
}

export function gatewayWsUrl(opts: GatewayAddress): string {
  return `${opts.tls ? 'wss' : 'ws'}://${urlHost(opts.host)}:${opts.port}${normaliseBasePath(opts.basePath)}`;
}

/** The Control UI page; with a token, the tokenized link a person can open to connect at once. */
export function dashboardUrl(opts: GatewayAddress & { token?: string }): string {
  const base = `${opts.tls ? 'https' : 'http'}://${urlHost(opts.host)}:${opts.port}${normaliseBasePath(opts.basePath)}/`;
  return opts.token ? `${base}#token=${encodeURIComponent(opts.token)}` : base;
}
