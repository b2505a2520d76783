import { parse as dotenvParse } from 'dotenv';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { envLineNumbers, envValues, lastAssignment, parseEnvLines } from '../../src/facts/env-lines.js';

/** dotenv.parse as a plain comparable object (it uses `{}`, so `__proto__` is never a key there). */
const reference = (text: string): Record<string, string> => ({ ...dotenvParse(text) });
const ours = (text: string): Record<string, string> => ({ ...envValues(parseEnvLines(text).filter((l) => l.name !== '__proto__')) });

// Characters that matter to the grammar, plus whole tokens that exercise `export`, comments and quotes.
const piece = fc.constantFrom(
  'A',
  'b',
  '_',
  '.',
  '-',
  '1',
  '=',
  ':',
  ' ',
  '\t',
  '\n',
  '\r',
  '\r\n',
  '#',
  "'",
  '"',
  '`',
  '\\',
  '\\n',
  'export ',
  'export',
  'KEY=',
  'K: ',
  ' = ',
  '\u00a0',
  '\u2028',
  '\ufeff',
  'x',
  'y#z',
);
const soup = fc.array(piece, { maxLength: 40 }).map((p) => p.join(''));

const name = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_.-]{0,8}$/).filter((n) => n !== '__proto__');
// Values each quote style can carry unchanged through dotenv.
const plainValue = fc.stringMatching(/^[A-Za-z0-9_+/=.:@-]([A-Za-z0-9_+/=.:@ -]{0,10}[A-Za-z0-9_+/=.:@-])?$/);
const quotedBody = (q: string) =>
  fc
    .stringMatching(/^[A-Za-z0-9_ #=:.\t-]{0,12}$/)
    .map((v) => (q === '"' ? v : v))
    .filter((v) => !v.includes(q));

const assignment = fc.record({
  name,
  exported: fc.boolean(),
  sep: fc.constantFrom('=', ' = ', '= ', ': '),
  quote: fc.constantFrom(null, "'", '"', '`'),
  plain: plainValue,
  body: quotedBody("'"),
  comment: fc.boolean(),
});
type Assignment = typeof assignment extends fc.Arbitrary<infer T> ? T : never;
const filler = fc.constantFrom('', '   ', '# a comment', '#KEY=not-a-value', '\t', 'not an assignment', '!!');

function render(a: Assignment): { text: string; value: string } {
  const value = a.quote ? a.body : a.plain;
  const written = a.quote ? `${a.quote}${a.body}${a.quote}` : a.plain;
  return { text: `${a.exported ? 'export ' : ''}${a.name}${a.sep}${written}${a.comment ? ' # note' : ''}`, value };
}

describe('parseEnvLines', () => {
  it('gives the values dotenv.parse gives, on any text built from the characters that matter', () => {
    fc.assert(
      fc.property(soup, (text) => {
        expect(ours(text)).toEqual(reference(text));
      }),
      { numRuns: 3000 },
    );
  });

  it('gives dotenv values on line-structured files with multi-line quoted values and stray quotes', () => {
    const line = fc.oneof(
      assignment.map((a) => render(a).text),
      filler,
      fc.constantFrom("A='open", 'B="two\nlines"', "C='it\\'s'", 'D=`x`y`', 'E="a\\nb"', 'F=\n', "G=\n'next-line-quote'", 'H:\nI=1'),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 25 }), fc.constantFrom('\n', '\r\n'), (lines, eol) => {
        const text = lines.join(eol);
        expect(ours(text)).toEqual(reference(text));
      }),
      { numRuns: 1500 },
    );
  });

  it('with a name filter, gives exactly the kept assignments of the whole parse, lines and all', () => {
    const line = fc.oneof(
      assignment.map((a) => render(a).text),
      filler,
      fc.constantFrom("A='open", 'B="two\nlines"', "C='it\\'s'", 'D=`x`y`', 'E="a\\nb"', 'F=\n', "G=\n'next-line-quote'", 'H:\nI=1', 'X="\nA=hidden\n"'),
    );
    const only = { names: ['A', 'B_1'], prefixes: ['C', 'D.'] };
    const keep = (name: string) => only.names.includes(name) || only.prefixes.some((p) => name.startsWith(p));
    fc.assert(
      fc.property(
        fc.oneof(
          soup,
          fc.array(line, { maxLength: 25 }).map((l) => l.join('\n')),
        ),
        (text) => {
          expect(parseEnvLines(text, only)).toEqual(parseEnvLines(text).filter((l) => keep(l.name)));
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('round-trips generated assignments with their exact line, export prefix, quote style and comment', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            assignment.map((a) => ({ a })),
            filler.map((f) => ({ f })),
          ),
          { maxLength: 30 },
        ),
        (items) => {
          const text = items.map((i) => ('a' in i ? render(i.a).text : i.f)).join('\n');
          const parsed = parseEnvLines(text);
          const expected = items.flatMap((i, idx) => ('a' in i ? [{ a: i.a, line: idx + 1 }] : []));
          expect(parsed).toHaveLength(expected.length);
          parsed.forEach((p, k) => {
            const { a, line } = expected[k]!;
            expect(p).toMatchObject({ name: a.name, line, endLine: line, exported: a.exported, quote: a.quote, comment: a.comment, value: render(a).value });
          });
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('numbers the lines of a multi-line value and of the keys after it', () => {
    const lines = parseEnvLines('A="one\ntwo\nthree"\n\n# c\nOPENCLAW_GATEWAY_TOKEN=abc\r\nB=1');
    expect(lines.map((l) => [l.name, l.line, l.endLine])).toEqual([
      ['A', 1, 3],
      ['OPENCLAW_GATEWAY_TOKEN', 6, 6],
      ['B', 7, 7],
    ]);
    expect(envLineNumbers(lines).OPENCLAW_GATEWAY_TOKEN).toBe(6);
  });

  it('marks a value cut at # and keeps the last of repeated assignments', () => {
    const lines = parseEnvLines('T=abc#def\nT=one # two\nT="q#x"');
    expect(lines.map((l) => [l.value, l.cutAtHash, l.comment])).toEqual([
      ['abc', true, true],
      ['one', false, true],
      ['q#x', false, false],
    ]);
    const got = lastAssignment(lines, 'T');
    expect(got?.last.line).toBe(3);
    expect(got?.all.map((l) => l.line)).toEqual([1, 2, 3]);
    expect(lastAssignment(lines, 'NOPE')).toBeNull();
  });

  it('never gives names a prototype to pollute', () => {
    const values = envValues(parseEnvLines('__proto__=x\nconstructor=y'));
    expect(Object.getPrototypeOf(values)).toBeNull();
    expect(values.__proto__).toBe('x');
    expect(values.constructor).toBe('y');
  });

  it('reads 100 000 lines, and runs of blank lines between non-assignments, with every line number right', () => {
    // The second shape makes dotenv's own regex rescan the blank run from every line start.
    const big = Array.from({ length: 100_000 }, (_, i) => (i % 10 === 0 ? `# c${i}` : `K${i}=${i}`)).join('\n');
    const parsed = parseEnvLines(big);
    expect(parsed).toHaveLength(90_000);
    expect(parsed.at(-1)).toMatchObject({ name: 'K99999', line: 100_000, value: '99999' });
    const blanks = `!!\n${'  \n'.repeat(100_000)}!!\nOPENCLAW_GATEWAY_TOKEN=t`;
    expect(parseEnvLines(blanks).map((l) => [l.name, l.line])).toEqual([['OPENCLAW_GATEWAY_TOKEN', 100_003]]);
  });
});
