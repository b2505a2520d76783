/**
 * What is wrong with a token value by itself (tokenProblems), which problems make it unusable, and
 * which values are public strings that output need not be redacted of (secretValues).
 */
import { describe, expect, it } from 'vitest';
import { FATAL_PROBLEMS, REDACTED_SENTINEL, secretValues, tokenProblems } from '../../src/hygiene.js';
import type { TokenProblem } from '../../src/types.js';
import { tokenSource } from '../support/diagnosis-facts.js';

describe('tokenProblems', () => {
  it('names every placeholder OpenClaw treats as no secret, whatever its case', () => {
    for (const p of [
      'change-me-to-a-long-random-token',
      'change-me-now',
      'change-me-to-a-strong-password',
      'changeme',
      'your-token-here',
      'your_token_here',
      '<token>',
      'token',
      'xxx',
      'CHANGEME',
      'Token',
    ]) {
      expect(tokenProblems(p)).toEqual(['placeholder']);
    }
    expect(tokenProblems('change-me-later')).toEqual([]);
  });

  it('strips one pair of matching outer quotes (double or single) and judges what is inside', () => {
    expect(tokenProblems('"abc123xyz"')).toEqual(['quoted']);
    expect(tokenProblems("'abc123xyz'")).toEqual(['quoted']);
    expect(tokenProblems('" changeme "')).toEqual(['quoted', 'placeholder']);
    expect(tokenProblems("'null'")).toEqual(['quoted', 'literal-null']);
    expect(tokenProblems('""')).toEqual(['quoted', 'empty']);
  });

  it('does not call mismatched or lone quotes a quoted value', () => {
    expect(tokenProblems('"')).toEqual([]);
    expect(tokenProblems(`"abc'`)).toEqual([]);
    expect(tokenProblems(`'abc"`)).toEqual([]);
    expect(tokenProblems('"abc')).toEqual([]);
    expect(tokenProblems('abc"')).toEqual([]);
    expect(tokenProblems("abc'")).toEqual([]);
  });

  it('whitespace around a value is a warning of its own, on top of what the value is', () => {
    expect(tokenProblems(' 123 ')).toEqual(['whitespace', 'all-digits']);
    expect(tokenProblems(`\t${REDACTED_SENTINEL}`)).toEqual(['whitespace', 'redaction-sentinel']);
    expect(tokenProblems('undefined')).toEqual(['literal-undefined']);
  });

  it('an unresolved ${VAR} and an all-digit value only when that is the whole value', () => {
    expect(tokenProblems('${OPENCLAW_TOKEN}')).toEqual(['unresolved-var']);
    expect(tokenProblems('x${OPENCLAW_TOKEN}')).toEqual([]);
    expect(tokenProblems('${OPENCLAW_TOKEN}x')).toEqual([]);
    expect(tokenProblems('0123456789')).toEqual(['all-digits']);
    expect(tokenProblems('a0123456789')).toEqual([]);
    expect(tokenProblems('0123456789a')).toEqual([]);
  });
});

describe('fatal and public problems', () => {
  it('unusable: empty, literal undefined/null, the sentinel, placeholders, unresolved vars, non-strings; not cosmetic ones', () => {
    const fatal: TokenProblem[] = ['empty', 'literal-undefined', 'literal-null', 'redaction-sentinel', 'placeholder', 'unresolved-var', 'not-a-string'];
    expect([...FATAL_PROBLEMS].sort()).toEqual([...fatal].sort());
  });

  it('redacts every real secret, but not public strings (the sentinel, placeholders, "null", empty)', () => {
    const secret = tokenSource('config', 'config', 'a'.repeat(48), { problems: ['whitespace', 'all-digits', 'quoted'] });
    const publicOnes = (['redaction-sentinel', 'placeholder', 'literal-undefined', 'literal-null', 'empty'] as TokenProblem[]).map((p) =>
      tokenSource(p, 'dotenv', 'changeme', { problems: ['whitespace', p] }),
    );
    const noValue = tokenSource('ref', 'config', null, { problems: [] });
    const kept = secretValues([publicOnes[0]!, secret, ...publicOnes.slice(1), noValue]);
    expect(kept).toHaveLength(1);
    expect(kept[0]!.reveal()).toBe('a'.repeat(48));
  });
});
