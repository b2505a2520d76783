/**
 * How editJson5Value lays out what it inserts, byte for byte: the object's own line style, the
 * file's colon spacing, indentation, key and quote style, comments before or after commas; and
 * what it refuses (nothing to set, not an object, unreadable).
 */
import { describe, expect, it } from 'vitest';
import { editJson5Value } from '../../src/text/json5-edit.js';

function edit(text: string, path: string[], value: unknown): string {
  const r = editJson5Value(text, path, value);
  if (!r.ok) throw new Error(r.message);
  return r.text;
}

describe('inserting a member keeps the layout around it', () => {
  it('a one-line object stays on one line, even in a multi-line file', () => {
    expect(edit('{\n  "g": {"a": 1}\n}', ['g', 'b'], 2)).toBe('{\n  "g": {"a": 1, "b": 2}\n}');
  });

  it("reuses the last member's spacing around the colon, but never a comment there", () => {
    expect(edit('{\n  "a" :  1\n}', ['b'], 2)).toBe('{\n  "a" :  1,\n  "b" :  2\n}');
    expect(edit('{"a":1}', ['b'], 2)).toBe('{"a":1, "b":2}');
    expect(edit('{"a":  1}', ['b'], 2)).toBe('{"a":  1, "b":  2}');
    expect(edit('{"a" /*c*/ : 1}', ['b'], 2)).toBe('{"a" /*c*/ : 1, "b": 2}');
    expect(edit('{"a": /*c*/ 1}', ['b'], 2)).toBe('{"a": /*c*/ 1, "b": 2}');
  });

  it('goes after a trailing comma (even one behind a comment), and before a comment on the next line', () => {
    expect(edit('{\n  "a": 1,\n  // about b\n}', ['c'], 2)).toBe('{\n  "a": 1,\n  "c": 2,\n  // about b\n}');
    expect(edit('{\n  "a": 1 /* c */,\n}', ['c'], 2)).toBe('{\n  "a": 1 /* c */,\n  "c": 2,\n}');
  });

  it("uses the file's indentation unit for new nested blocks", () => {
    expect(edit('{\n    "a": 1\n}', ['g', 'h'], [1])).toBe('{\n    "a": 1,\n    "g": {\n        "h": [\n            1\n        ]\n    }\n}');
  });
});

describe("keys and strings follow the file's style", () => {
  it('bare keys only where JSON5 allows an identifier; others are quoted', () => {
    expect(edit('{ a: 1 }', ['ok_$1'], 1)).toBe('{ a: 1, ok_$1: 1 }');
    expect(edit('{ a: 1 }', ['my-key'], 1)).toBe('{ a: 1, "my-key": 1 }');
    expect(edit('{ a: 1 }', ['1st'], 1)).toBe('{ a: 1, "1st": 1 }');
  });

  it('single-quoted keys in a single-quoted file', () => {
    expect(edit("{ 'a': 1 }", ['b'], 1)).toBe("{ 'a': 1, 'b': 1 }");
  });

  it('a single-quoted value stays single-quoted, escaping only its own quote', () => {
    expect(edit("{ token: 'old' }", ['token'], 'a"b\'c')).toBe("{ token: 'a\"b\\'c' }");
  });

  it("into an empty object: the document's key style, and new strings in double quotes", () => {
    expect(edit('{ a: {} }', ['a', 'b'], 'v')).toBe('{ a: {\n  b: "v"\n} }');
    expect(edit('{ a: {  } }', ['a', 'b'], 1)).toBe('{ a: {\n  b: 1\n} }');
    // Not only whitespace inside: those bytes (a comment) are kept after the new member.
    expect(edit('{ a: { /* empty */ } }', ['a', 'b'], 1)).toBe('{ a: {\n  b: 1 /* empty */ } }');
  });
});

describe('what is refused, with the reason', () => {
  it('nothing to set: an empty path, undefined, a function', () => {
    for (const [path, value] of [
      [[], 1],
      [['a'], undefined],
      [['a'], () => 1],
    ] as Array<[string[], unknown]>) {
      expect(editJson5Value('{ a: 1 }', path, value)).toEqual({ ok: false, reason: 'bad-value', message: 'nothing to set' });
    }
    expect(edit('{ a: 1 }', ['a'], null)).toBe('{ a: null }');
  });

  it('a document that is not an object, or cannot be read, says so', () => {
    expect(editJson5Value('"str"', ['a'], 1)).toEqual({ ok: false, reason: 'not-an-object', message: 'the document is not an object' });
    expect(editJson5Value('{"a": 1,, }', ['a'], 2)).toEqual({ ok: false, reason: 'unparseable', message: expect.stringMatching(/^not valid JSON5: Unexpected token Comma/) });
    expect(editJson5Value('{"a":'.repeat(20000) + '1' + '}'.repeat(20000), ['a'], 2)).toEqual({ ok: false, reason: 'unparseable', message: 'nested too deeply to read' });
  });
});
