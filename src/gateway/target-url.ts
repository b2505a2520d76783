/**
 * Reading a gateway URL a person typed (`--url`). The error names the part that is wrong (a port
 * 99999 is a bad port, not a bad scheme) and only ever quotes the scheme, host and port: a
 * password (`user:PW@`), a `?token=` or a `#token=` in what was typed is never repeated. Those
 * credential parts are not used for probing either: they are dropped from the URL and listed.
 */
import { sanitizeForTerminal } from '../text/sanitize.js';

export type GatewayUrlParse = { ok: true; url: URL; dropped: string[] } | { ok: false; message: string };

const SCHEMES = ['ws', 'wss', 'http', 'https'];
const EXAMPLE = 'ws://127.0.0.1:18789 or wss://gateway.example:443';

/** A typed piece safe to quote back: no controls, bounded. */
function quote(s: string, max = 60): string {
  const clean = sanitizeForTerminal(s);
  return `"${clean.length > max ? `${clean.slice(0, max)}…` : clean}"`;
}

function fail(message: string): GatewayUrlParse {
  return { ok: false, message: `--url ${message}` };
}

/** Host and port of an authority without its userinfo; brackets kept on IPv6. */
function splitHostPort(hostPort: string): { host: string; port: string | null } | string {
  if (hostPort.startsWith('[')) {
    const close = hostPort.indexOf(']');
    if (close < 0) return 'has an IPv6 address without its closing "]"';
    const after = hostPort.slice(close + 1);
    if (after && !after.startsWith(':')) return `has text after the IPv6 address ${quote(hostPort.slice(0, close + 1))}`;
    return { host: hostPort.slice(0, close + 1), port: after ? after.slice(1) : null };
  }
  const colons = hostPort.split(':').length - 1;
  if (colons > 1) return `has an IPv6 address without brackets: write it as ws://[ADDRESS]:PORT`;
  const at = hostPort.indexOf(':');
  return at < 0 ? { host: hostPort, port: null } : { host: hostPort.slice(0, at), port: hostPort.slice(at + 1) };
}

export function parseGatewayUrl(raw: string): GatewayUrlParse {
  const text = raw.trim();
  if (/[\s\u0000-\u001f\u007f-\u009f]/.test(text)) return fail('contains spaces or control characters');
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(text);
  if (!scheme) return fail(`needs a scheme and a host, like ${EXAMPLE}`);
  const name = scheme[1]!.toLowerCase();
  if (!SCHEMES.includes(name)) return fail(`has the scheme ${quote(`${name}://`, 20)}: use ws://, wss://, http:// or https://`);
  const rest = text.slice(scheme[0].length);
  const authorityEnd = rest.search(/[/?#]/);
  const authority = authorityEnd < 0 ? rest : rest.slice(0, authorityEnd);
  const tail = authorityEnd < 0 ? '' : rest.slice(authorityEnd);
  const at = authority.lastIndexOf('@');
  const dropped = at >= 0 ? ['user:password@'] : [];
  const parts = splitHostPort(authority.slice(at + 1));
  if (typeof parts === 'string') return fail(parts);
  if (!parts.host) return fail(`has no host: use ${EXAMPLE}`);
  if (parts.port !== null) {
    const n = /^\d{1,5}$/.test(parts.port) ? Number(parts.port) : NaN;
    if (!(n >= 1 && n <= 65535)) return fail(`has the port ${quote(parts.port, 12)}: a port is a number from 1 to 65535`);
  }
  let url: URL;
  try {
    url = new URL(`${name}://${parts.host}${parts.port !== null ? `:${parts.port}` : ''}${tail}`);
  } catch {
    return fail(`has the host ${quote(parts.host)}, which is not a valid host name or address`);
  }
  for (const key of [...url.searchParams.keys()]) {
    if (/token|password|secret/i.test(key)) {
      url.searchParams.delete(key);
      dropped.push(`?${key}=`);
    }
  }
  if (url.hash) {
    dropped.push(/token=/i.test(url.hash) ? '#token=' : '#fragment');
    url.hash = '';
  }
  return { ok: true, url, dropped };
}
