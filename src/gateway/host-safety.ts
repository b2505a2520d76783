/**
 * Where a token may go over plain `ws://`: only to an address that is loopback after resolution.
 * A name is judged by every address it resolves to (the connection may use any of them), so
 * `*.localhost`, `.local`, `.ts.net` and private ranges earn no trust from their spelling; a name
 * that does not resolve is treated as public. `0.0.0.0` and `::` are "this host" to a listener
 * but not loopback for sending: the kernel may route them anywhere a bind-all listener answers.
 * (A name can resolve differently at connect time; callers that need more pin the address.)
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

export type HostClass = 'loopback' | 'private' | 'public';

/** Every address a name resolves to; injectable so tests never touch the network. */
export type Resolver = (host: string) => Promise<string[]>;

const defaultResolver: Resolver = async (host) => (await dnsLookup(host, { all: true, verbatim: true })).map((a) => a.address);

function blockList(subnets: Array<[string, number, 'ipv4' | 'ipv6']>): BlockList {
  const list = new BlockList();
  for (const [net, prefix, type] of subnets) list.addSubnet(net, prefix, type);
  return list;
}

// IPv4 rules also match IPv4-mapped IPv6 addresses (`::ffff:127.0.0.1`).
const LOOPBACK = blockList([
  ['127.0.0.0', 8, 'ipv4'],
  ['::1', 128, 'ipv6'],
]);

const PRIVATE = blockList([
  ['0.0.0.0', 8, 'ipv4'], // "this network", 0.0.0.0 included
  ['10.0.0.0', 8, 'ipv4'],
  ['100.64.0.0', 10, 'ipv4'], // carrier-grade NAT, Tailscale's range
  ['169.254.0.0', 16, 'ipv4'],
  ['172.16.0.0', 12, 'ipv4'],
  ['192.168.0.0', 16, 'ipv4'],
  ['::', 128, 'ipv6'],
  ['fc00::', 7, 'ipv6'],
  ['fe80::', 10, 'ipv6'],
]);

function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/** The class of one IP address (an address that is not an IP is public). */
export function classifyAddress(address: string): HostClass {
  const ip = stripBrackets(address).replace(/%.*$/, ''); // a zone id names an interface, not a range
  const family = isIP(ip);
  if (family === 0) return 'public';
  const type = family === 4 ? 'ipv4' : 'ipv6';
  if (LOOPBACK.check(ip, type)) return 'loopback';
  if (PRIVATE.check(ip, type)) return 'private';
  return 'public';
}

/** The least safe class among a name's addresses: loopback only if every one is. */
export async function resolveHost(host: string, resolve: Resolver = defaultResolver): Promise<{ class: HostClass; addresses: string[] }> {
  const h = stripBrackets(host.trim()).replace(/\.$/, '');
  if (!h) return { class: 'public', addresses: [] };
  if (isIP(h.replace(/%.*$/, ''))) return { class: classifyAddress(h), addresses: [h] };
  let addresses: string[];
  try {
    addresses = await resolve(h);
  } catch {
    return { class: 'public', addresses: [] };
  }
  if (addresses.length === 0) return { class: 'public', addresses };
  const classes = addresses.map(classifyAddress);
  const worst: HostClass = classes.includes('public') ? 'public' : classes.includes('private') ? 'private' : 'loopback';
  return { class: worst, addresses };
}

export async function classifyHost(host: string, resolve?: Resolver): Promise<HostClass> {
  return (await resolveHost(host, resolve)).class;
}

/**
 * Whether a token may be sent to `url`. TLS (`wss://`, `https://`) always may; plain `ws://` only
 * to loopback, unless the person passed the flag that accepts the risk, and the reason says
 * what that risk is.
 */
export async function mayPlainWsCarryToken(url: string | URL, opts: { allowInsecure: boolean; resolve?: Resolver }): Promise<{ ok: boolean; reason: string }> {
  let u: URL;
  try {
    u = typeof url === 'string' ? new URL(url) : url;
  } catch {
    return { ok: false, reason: 'not a valid URL' };
  }
  if (u.protocol === 'wss:' || u.protocol === 'https:') return { ok: true, reason: 'encrypted (TLS)' };
  if (u.protocol !== 'ws:' && u.protocol !== 'http:') return { ok: false, reason: `unsupported scheme ${u.protocol}` };
  const { class: cls, addresses } = await resolveHost(u.hostname, opts.resolve);
  if (cls === 'loopback') return { ok: true, reason: `${u.hostname} is loopback (${addresses.join(', ')})` };
  const where = addresses.length ? `${u.hostname} resolves to ${cls === 'private' ? 'a private' : 'a public'} address (${addresses.join(', ')})` : `${u.hostname} does not resolve to a known address`;
  if (opts.allowInsecure) return { ok: true, reason: `${where}; sent over plain ws:// because you allowed it: anyone on the network path can read the token` };
  return { ok: false, reason: `${where}: a token goes over plain ws:// only to loopback; use wss:// (TLS), an SSH tunnel to 127.0.0.1, or the flag that accepts the risk` };
}
