/**
 * The edges of redaction and of the Secret wrapper: which secrets are matched, in which order,
 * where a fragment counts as standing alone, and where a message may be cut.
 */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { cutMessage, fingerprintOf, redactText, Secret } from '../../src/secret.js';

// Encodes differently in a URL (`+`, `/`, `=` become %2B, %2F, %3D).
const TOKEN = 'a1b2+c3d4/e5f6=g7h8+i9j0/k1l2=m3n4+o5p6/q7r8=';
const FP = fingerprintOf(TOKEN);

describe('Secret prints only its fingerprint', () => {
  it('describe, String, JSON and inspect all show the fingerprint; reveal shows the value', () => {
    const s = new Secret('abcd1234');
    expect(s.describe()).toBe(`${fingerprintOf('abcd1234')} (8 chars)`);
    expect(String(s)).toBe(s.describe());
    expect(JSON.stringify({ s })).toBe(`{"s":"${fingerprintOf('abcd1234')}"}`);
    expect(inspect(s)).toBe(`Secret<${s.describe()}>`);
    expect(s.reveal()).toBe('abcd1234');
    expect(fingerprintOf('abcd1234')).toMatch(/^sha256:[0-9a-f]{8}$/);
  });

  it('equals compares values, and nothing equals null', () => {
    expect(new Secret('abcd1234').equals(new Secret('abcd1234'))).toBe(true);
    expect(new Secret('abcd1234').equals(new Secret('abcd1235'))).toBe(false);
    expect(new Secret('abcd1234').equals(null)).toBe(false);
    expect(new Secret('abcd1234').equals(undefined)).toBe(false);
  });
});

describe('which secrets redactText matches', () => {
  it('secrets of four characters or more, trimmed; shorter ones would redact ordinary words', () => {
    expect(redactText('pin abc and abcd', ['abc', 'abcd'])).toBe(`pin abc and ${fingerprintOf('abcd')}`);
    expect(redactText('value xk-9q7 here', ['  xk-9q7\n'])).toBe(`value ${fingerprintOf('xk-9q7')} here`);
  });

  it('the longest secret first, so a secret inside another does not split it', () => {
    const short = 'zq81-tok';
    const long = `${short}-extended-77`;
    expect(redactText(`a ${long} b ${short} c`, [short, long])).toBe(`a ${fingerprintOf(long)} b ${fingerprintOf(short)} c`);
  });

  it('a short secret (under 16) is matched whole only, never by its pieces', () => {
    expect(redactText('hint: my-pass-20 here', ['my-pass-2024'])).toBe('hint: my-pass-20 here');
  });
});

describe('fragments of a long secret', () => {
  it('a fragment at the very end of the text is redacted', () => {
    expect(redactText(`ends with ${TOKEN.slice(30)}`, [TOKEN])).toBe(`ends with ${FP}…`);
  });

  it('two pieces that touch are one run: redacted together', () => {
    expect(redactText(`got ${TOKEN.slice(0, 8)}${TOKEN.slice(20, 28)} end`, [TOKEN])).toBe(`got ${FP}… end`);
  });

  it('a short piece glued to a letter or digit on either side is part of another word: kept', () => {
    const piece = TOKEN.slice(2, 10); // b2+c3d4/
    expect(redactText(`x Z${piece} y`, [TOKEN])).toBe(`x Z${piece} y`);
    expect(redactText(`x ${piece}Z y`, [TOKEN])).toBe(`x ${piece}Z y`);
    expect(redactText(`x ${piece} y`, [TOKEN])).toBe(`x ${FP}… y`);
  });
});

describe('cutMessage', () => {
  it('a text exactly at the limit is not cut', () => {
    expect(cutMessage('abcd', 4)).toBe('abcd');
    expect(cutMessage('abcde', 4)).toBe('abc…');
  });

  it('never leaves half of a surrogate pair, at either end of the high-surrogate range; other characters are kept', () => {
    expect(cutMessage('ab\u{10000}cd', 4)).toBe('ab…'); // \uD800\uDC00
    expect(cutMessage('ab\u{10FC00}cd', 4)).toBe('ab…'); // \uDBFF\uDC00
    expect(cutMessage('ab\uFFFDcd', 4)).toBe('ab\uFFFD…');
    expect(cutMessage('ab\uD7FFcd', 4)).toBe('ab\uD7FF…');
  });
});
