import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyAddress, classifyHost, mayPlainWsCarryToken, type Resolver } from '../../src/gateway/host-safety.js';

/** A resolver from a table: no test touches DNS or the network. */
const table =
  (t: Record<string, string[]>): Resolver =>
  async (h) => {
    const a = t[h];
    if (!a) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${h}`), { code: 'ENOTFOUND' });
    return a;
  };

describe('D20 host classification', () => {
  it('D20: IPv4-mapped loopback is loopback, in every spelling', async () => {
    expect(await classifyHost('[::ffff:127.0.0.1]')).toBe('loopback');
    expect(await classifyHost('::ffff:7f00:1')).toBe('loopback');
    expect(await classifyHost('127.4.5.6')).toBe('loopback');
    expect(await classifyHost('[::1]')).toBe('loopback');
    expect(await mayPlainWsCarryToken('ws://[::ffff:127.0.0.1]:18789', { allowInsecure: false })).toMatchObject({ ok: true });
  });

  it('D20: 0.0.0.0, ::, private ranges and link-local are not loopback', async () => {
    for (const h of ['0.0.0.0', '[::]', '10.1.2.3', '172.20.0.1', '192.168.1.10', '100.100.1.1', '169.254.1.1', 'fd00::1', 'fe80::1%eth0', '::ffff:192.168.0.1']) {
      expect([h, await classifyHost(h)]).toEqual([h, 'private']);
    }
    expect(await classifyHost('8.8.8.8')).toBe('public');
    expect(await classifyHost('2001:db8::1')).toBe('public');
    expect(await mayPlainWsCarryToken('ws://0.0.0.0:18789', { allowInsecure: false })).toMatchObject({ ok: false });
  });

  it('D20: names are judged by resolution, loopback only if every address is', async () => {
    const r = table({
      localhost: ['127.0.0.1', '::1'],
      'evil.localhost': ['203.0.113.9'],
      'mixed.localhost': ['127.0.0.1', '192.168.1.2'],
      'box.local': ['192.168.1.5'],
      'gw.tail1234.ts.net': ['100.101.102.103'],
    });
    expect(await classifyHost('localhost', r)).toBe('loopback');
    expect(await classifyHost('evil.localhost', r)).toBe('public');
    expect(await classifyHost('mixed.localhost', r)).toBe('private');
    expect(await classifyHost('box.local', r)).toBe('private');
    expect(await classifyHost('gw.tail1234.ts.net', r)).toBe('private');
    expect(await classifyHost('nowhere.invalid', r)).toBe('public');
    for (const host of ['evil.localhost', 'box.local', 'gw.tail1234.ts.net', 'nowhere.invalid']) {
      expect(await mayPlainWsCarryToken(`ws://${host}:18789`, { allowInsecure: false, resolve: r })).toMatchObject({ ok: false });
    }
    expect(await mayPlainWsCarryToken('ws://localhost:18789', { allowInsecure: false, resolve: r })).toMatchObject({ ok: true });
  });

  it('D20: wss:// always may; the insecure flag allows plain ws:// and says what it risks', async () => {
    expect(await mayPlainWsCarryToken('wss://203.0.113.9', { allowInsecure: false })).toEqual({ ok: true, reason: 'encrypted (TLS)' });
    const r = await mayPlainWsCarryToken('ws://192.168.1.5:18789', { allowInsecure: true });
    expect(r.ok).toBe(true);
    expect(r.reason).toMatch(/anyone on the network path can read the token/);
    expect(await mayPlainWsCarryToken('ftp://127.0.0.1', { allowInsecure: true })).toMatchObject({ ok: false });
  });

  it('D20 property: an IPv4 address is loopback exactly when it is in 127/8, mapped or not', () => {
    fc.assert(
      fc.property(fc.ipV4(), (ip) => {
        expect(classifyAddress(ip) === 'loopback').toBe(ip.startsWith('127.'));
        expect(classifyAddress(`::ffff:${ip}`)).toBe(classifyAddress(ip));
      }),
      { numRuns: 500 },
    );
  });

  it('D20 property: an IPv6 address is loopback exactly when it is ::1 or maps 127/8 (WHATWG URL as the oracle)', () => {
    fc.assert(
      fc.property(fc.ipV6(), (ip) => {
        const canonical = new URL(`http://[${ip}]/`).hostname;
        expect(classifyAddress(ip) === 'loopback').toBe(canonical === '[::1]' || /^\[::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}\]$/.test(canonical));
      }),
      { numRuns: 1000 },
    );
  });
});
