import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseGatewayUrl } from '../../src/gateway/target-url.js';

function message(raw: string): string {
  const r = parseGatewayUrl(raw);
  if (r.ok) throw new Error(`expected a refusal for ${raw}`);
  return r.message;
}

describe('D21 gateway URL', () => {
  it('D21: a bad port is blamed on the port, and neither the password nor the token is repeated', () => {
    const m = message('ws://u:PW-s3cret@127.0.0.1:99999/?token=TOK-s3cret#token=FRAG-s3cret');
    expect(m).toBe('--url has the port "99999": a port is a number from 1 to 65535');
    expect(m).not.toMatch(/s3cret|PW|TOK/);
  });

  it('D21: each wrong part gets its own message', () => {
    expect(message('ftp://h:1')).toMatch(/scheme "ftp:\/\/"/);
    expect(message('127.0.0.1:18789')).toMatch(/needs a scheme/);
    expect(message('ws://:18789')).toMatch(/no host/);
    expect(message('ws://h:abc')).toMatch(/port "abc"/);
    expect(message('ws://h:0')).toMatch(/port "0"/);
    expect(message('ws://::1:18789')).toMatch(/IPv6 address without brackets/);
    expect(message('ws://[::1:18789')).toMatch(/closing/);
    expect(message('ws://ex ample:1')).toMatch(/spaces or control/);
    expect(message('ws://a_b%zz:1/')).toMatch(/host "a_b%zz"/);
  });

  it('D21: credentials in a good URL are dropped and listed, not used', () => {
    const r = parseGatewayUrl('ws://u:pw@[::1]:18789/base/?token=abc&x=1#token=def');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.url.href).toBe('ws://[::1]:18789/base/?x=1');
    expect(r.dropped).toEqual(['user:password@', '?token=', '#token=']);
    expect(parseGatewayUrl('wss://gw.example')).toMatchObject({ ok: true, dropped: [] });
  });

  it('D21 property: no message ever contains the password or the token typed', () => {
    const secret = fc.string({ unit: fc.constantFrom(...'abcXYZ019-_.~:@/?#&=%+!$'.split('')), minLength: 6, maxLength: 20 }).map((s) => `S3CR3T${s}`);
    const port = fc.oneof(fc.integer({ min: -5, max: 200000 }).map(String), fc.constant(''), fc.string({ maxLength: 4 }));
    fc.assert(
      fc.property(fc.constantFrom('ws', 'wss', 'http', 'ftp', 'WS'), secret, secret, port, fc.constantFrom('127.0.0.1', '[::1]', 'gw.example', '', 'a b'), (scheme, pw, tok, p, host) => {
        const raw = `${scheme}://user:${encodeURIComponent(pw)}@${host}${p ? `:${p}` : ''}/?token=${encodeURIComponent(tok)}#token=${tok}`;
        const r = parseGatewayUrl(raw);
        const shown = r.ok ? r.url.href : r.message;
        expect(shown).not.toContain('S3CR3T');
      }),
      { numRuns: 500 },
    );
  });
});
