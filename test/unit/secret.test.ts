import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cutMessage, fingerprintOf, redactText, Secret } from '../../src/secret.js';
import { failureReason } from '../../src/actions/openclaw-cli.js';
import type { RunResult } from '../../src/exec.js';

// Encodes differently in a URL (`+`, `/`, `=` become %2B, %2F, %3D).
const TOKEN = 'a1b2+c3d4/e5f6=g7h8+i9j0/k1l2=m3n4+o5p6/q7r8=';

function failed(stderr: string): RunResult {
  return { ok: false, exitCode: 1, stdout: '', stderr, failure: null, ms: 1 };
}

describe('D13 redaction', () => {
  it('D13: a failing command that echoes its argument shows no piece of the token, even after a cut', () => {
    const stderr = `Error: invalid value for gateway.auth.token: "${TOKEN}" ${'(details) '.repeat(30)}`;
    // The message limit used to fall inside the token; redaction now happens first.
    const cutInside = stderr.indexOf(TOKEN) + 20;
    const msg = failureReason(failed(stderr), [new Secret(TOKEN)], { max: cutInside });
    expect(msg).not.toContain(TOKEN.slice(0, 8));
    expect(msg).toContain(fingerprintOf(TOKEN));
  });

  it('D13: any fragment of 8+ characters of a known secret is redacted', () => {
    const out = redactText(`got ${TOKEN.slice(5, 19)} and ${TOKEN.slice(30)} but a1b2+c3 stays`, [TOKEN]);
    expect(out).toBe(`got ${fingerprintOf(TOKEN)}… and ${fingerprintOf(TOKEN)}… but a1b2+c3 stays`);
  });

  it('D13 fallback: the URL-encoded token becomes exactly its fingerprint', () => {
    const enc = encodeURIComponent(TOKEN);
    expect(enc).not.toBe(TOKEN);
    expect(redactText(`http://127.0.0.1:18789/?t=${enc}&x=1`, [TOKEN])).toBe(`http://127.0.0.1:18789/?t=${fingerprintOf(TOKEN)}&x=1`);
  });

  it('D13 fallback: a #token= the wizard was not told about is still redacted', () => {
    const other = 'unknown+secret/value=xyz';
    expect(redactText(`open http://h/#token=${encodeURIComponent(other)} now`, [])).toBe(`open http://h/#token=${fingerprintOf(other)} now`);
    expect(redactText(`ws://h/?a=1&token=${other}`, [])).toBe(`ws://h/?a=1&token=${fingerprintOf(other)}`);
  });

  it('D13 property: a piece of 8+ characters of a token that stands alone, or any 16+, is gone, and cutting cannot bring one back', () => {
    const secret = fc.string({ unit: fc.constantFrom(...'abcdef0123456789+/=-_'.split('')), minLength: 16, maxLength: 64 });
    const noise = fc.string({ unit: fc.constantFrom(...'GHIJK :;"(),'.split('')), maxLength: 20 });
    fc.assert(
      fc.property(secret, noise, fc.nat(), fc.nat(), fc.nat({ max: 400 }), (s, n, a, b, max) => {
        const from = a % (s.length - 7);
        const piece = s.slice(from, Math.min(s.length, from + 8 + (b % s.length)));
        const text = `${n} ${piece} ${n}${encodeURIComponent(s)}${n} ${s.slice(0, 16)}x`;
        const out = redactText(text, [s]);
        if (/[^a-z]/.test(piece)) expect(out).not.toContain(` ${piece} `);
        expect(out).not.toContain(s.slice(0, 16));
        expect(out).not.toContain(encodeURIComponent(s));
        // Cutting comes after redaction, so the cut text cannot hold more of the token than the whole did.
        const cut = cutMessage(out, max);
        expect(cut).not.toContain(s.slice(0, 16));
        if (/[^a-z]/.test(piece)) expect(cut).not.toContain(` ${piece} `);
      }),
      { numRuns: 300 },
    );
  });

  it('D13: words of the report that share a piece with a token are not redacted', () => {
    const token = 'test-token-password-xxxxxxxxxxxxxxxxxxxxxxxxxxxx';
    expect(redactText('finding client-token-mismatch, source config:password', [token])).toBe('finding client-token-mismatch, source config:password');
    // A person's short password is matched whole only.
    expect(redactText('auth mode password, mypassword', ['mypassword2024'])).toBe('auth mode password, mypassword');
  });

  it('cutMessage marks the cut and never splits a surrogate pair', () => {
    expect(cutMessage('abcdef', 10)).toBe('abcdef');
    expect(cutMessage('abcdef', 4)).toBe('abc…');
    expect(cutMessage('ab\u{1F600}cd', 4)).toBe('ab…');
  });
});
