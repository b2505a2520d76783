/** Which gateway to probe: the URL given or implied by remote mode, else the local port OpenClaw would use. */
import { resolveGatewayPort } from '../facts/paths.js';
import type { ConfigFacts, OpenClawPaths } from '../facts/types.js';
import { classifyAddress } from '../gateway/host-safety.js';
import type { DiagnoseOptions, GatewayTarget } from './types.js';

function targetFromUrl(raw: string, portSource: string, basePath: string | null): GatewayTarget | null {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    // fall back to the local target; the config check reports the bad URL
    return null;
  }
  const secure = u.protocol === 'wss:' || u.protocol === 'https:';
  const port = Number(u.port || (secure ? 443 : 80));
  const host = u.hostname.replace(/^\[|\]$/g, '');
  const hostPart = host.includes(':') ? `[${host}]` : host;
  return {
    url: `${secure ? 'wss' : 'ws'}://${hostPart}:${port}${u.pathname === '/' ? '' : u.pathname}`,
    httpUrl: `${secure ? 'https' : 'http'}://${hostPart}:${port}`,
    host,
    port,
    portSource,
    tls: secure,
    // A name other than localhost counts as remote here (the remote cap on failed attempts
    // applies); whether a token may go there is decided per probe, after resolution.
    remote: host.toLowerCase() !== 'localhost' && classifyAddress(host) !== 'loopback',
    basePath,
  };
}

export function resolveTarget(opts: DiagnoseOptions, config: ConfigFacts | null, paths: OpenClawPaths | null, envPort: string | null): GatewayTarget {
  const g = config?.gateway;
  const tls = g?.tlsEnabled ?? false;
  const basePath = g?.basePath ?? null;
  const explicitUrl = opts.url ?? (g?.mode === 'remote' ? (g.remoteUrl ?? undefined) : undefined);
  const fromUrl = explicitUrl ? targetFromUrl(explicitUrl, opts.url ? '--url' : 'gateway.remote.url', basePath) : null;
  const insecure = opts.allowInsecureWs ? { allowInsecureWs: true } : {};
  if (fromUrl) return { ...fromUrl, ...insecure };
  const { port, source } = resolveGatewayPort({
    flag: opts.port,
    env: envPort === null ? {} : { OPENCLAW_GATEWAY_PORT: envPort },
    configPort: g?.port ?? null,
    profile: paths?.profile ?? null,
    profileSource: paths?.profileSource ?? null,
  });
  const host = g?.bind === 'custom' && g.customBindHost ? g.customBindHost : '127.0.0.1';
  return {
    url: `${tls ? 'wss' : 'ws'}://${host}:${port}${basePath ?? ''}`,
    httpUrl: `${tls ? 'https' : 'http'}://${host}:${port}`,
    host,
    port,
    portSource: source,
    tls,
    remote: false,
    basePath,
    ...insecure,
  };
}
