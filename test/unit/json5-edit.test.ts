import { parse, type ValueNode } from '@humanwhocodes/momoa';
import fc from 'fast-check';
import JSON5 from 'json5';
import { describe, expect, it } from 'vitest';
import { editJson5Value } from '../../src/text/json5-edit.js';

const CONFIG = `// OpenClaw config, kept by hand
{
  "meta": { "lastTouchedVersion": "2026.9.6", "lastTouchedAt": "2026-09-30T10:00:00Z" },
  "big": 12345678901234567890,
  "ratio": 1.10,
  "dup": "first",
  "dup": "second",
  gateway: {
    mode: 'local', // loopback only
    auth: {
      mode: "token",
      token: 'old-token-value', /* rotated by hand */
    },
  },
}
`;

function edit(text: string, path: string[], value: unknown): string {
  const r = editJson5Value(text, path, value);
  if (!r.ok) throw new Error(r.message);
  return r.text;
}

describe('D4 config edit by bytes', () => {
  it("D4: only the token's bytes change; big integers, 1.10, duplicate keys, comments and meta stay", () => {
    const out = edit(CONFIG, ['gateway', 'auth', 'token'], 'new-token');
    expect(out).toBe(CONFIG.replace("token: 'old-token-value'", "token: 'new-token'"));
  });

  it("D4: a missing key goes into the nearest existing object, in the file's indentation and key style", () => {
    const out = edit(CONFIG, ['gateway', 'controlUi', 'allowedOrigins'], ['http://a:1']);
    expect(out).toBe(CONFIG.replace('    },\n  },\n}', '    },\n    controlUi: {\n      "allowedOrigins": [\n        "http://a:1"\n      ]\n    },\n  },\n}'));
    expect(JSON5.parse(out).gateway.controlUi).toEqual({ allowedOrigins: ['http://a:1'] });
  });

  it('D4: a duplicate key: the last one (the one readers keep) is edited, the first stays', () => {
    expect(edit(CONFIG, ['dup'], 'third')).toBe(CONFIG.replace('"dup": "second"', '"dup": "third"'));
  });

  it('D4: a line comment after the last member stays with that member', () => {
    expect(edit('{\n\t"a": 1 // note\n}\n', ['b'], true)).toBe('{\n\t"a": 1, // note\n\t"b": true\n}\n');
    expect(edit('{ "a": 1 }', ['b'], 'x')).toBe('{ "a": 1, "b": "x" }');
    expect(edit('{}', ['gateway', 'auth', 'token'], 't')).toBe('{\n  "gateway": {\n    "auth": {\n      "token": "t"\n    }\n  }\n}');
    expect(edit('{\r\n  "a": {}\r\n}\r\n', ['a', 'b'], 1)).toBe('{\r\n  "a": {\r\n    "b": 1\r\n  }\r\n}\r\n');
  });

  it('D4: a value that is not an object on the way is replaced by one (the CLI does the same)', () => {
    expect(edit('{"gateway": "oops", "x": 1}', ['gateway', 'mode'], 'local')).toBe('{"gateway": {\n  "mode": "local"\n}, "x": 1}');
  });

  it('D1: a file that cannot be parsed, or nests too deeply, is refused (never rewritten)', () => {
    expect(editJson5Value('{"a": 1,, }', ['a'], 2)).toMatchObject({ ok: false, reason: 'unparseable' });
    expect(editJson5Value('{"a":'.repeat(20000) + '1' + '}'.repeat(20000), ['a'], 2)).toMatchObject({ ok: false, reason: 'unparseable' });
    expect(editJson5Value('[1]', ['a'], 2)).toMatchObject({ ok: false, reason: 'not-an-object' });
    expect(editJson5Value('', ['a'], 2)).toMatchObject({ ok: false, reason: 'unparseable' });
  });
});

// ---- property: all other bytes unchanged -------------------------------------------------------

const key = fc
  .oneof(fc.constantFrom('gateway', 'auth', 'token', 'mode', 'meta', 'a', 'b'), fc.string({ unit: 'grapheme', maxLength: 6 }))
  .filter((k) => k !== '__proto__' && !/[\u{10000}-\u{10FFFF}]/u.test(k));
// (momoa reads bare keys by UTF-16 unit, so JSON5's astral-plane identifiers are refused as unparseable: never rewritten.)
const leaf = fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.boolean(), fc.constant(null), fc.double({ noNaN: true, noDefaultInfinity: true }));
const { tree } = fc.letrec<{ tree: unknown; obj: Record<string, unknown> }>((tie) => ({
  tree: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('obj'), fc.array(tie('tree'), { maxLength: 3 })),
  obj: fc.dictionary(key, tie('tree'), { maxKeys: 4, noNullPrototype: true }),
}));
const config = fc.dictionary(key, tree, { maxKeys: 5, noNullPrototype: true });

/** Serialized several ways people keep configs: JSON, JSON5 with bare keys, with line comments. */
const format = fc.constantFrom('json2', 'json4', 'tab', 'compact', 'json5', 'json5-comments');
function serialize(obj: unknown, how: string): string {
  if (how === 'json2') return JSON.stringify(obj, null, 2) + '\n';
  if (how === 'json4') return JSON.stringify(obj, null, 4);
  if (how === 'tab') return JSON.stringify(obj, null, '\t') + '\n';
  if (how === 'compact') return JSON.stringify(obj);
  const text = JSON5.stringify(obj, { space: 2, quote: "'" });
  if (how === 'json5') return text;
  // A comment after every line that ends a member or opens a block.
  return `// head\n${text.replace(/([,{[])\n/g, '$1 // c\n')}\n`;
}

function setIn(doc: Record<string, unknown>, path: string[], value: unknown): void {
  let node = doc;
  for (const k of path.slice(0, -1)) {
    const next = Object.prototype.hasOwnProperty.call(node, k) ? node[k] : undefined;
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[k] = {};
    node = node[k] as Record<string, unknown>;
  }
  node[path[path.length - 1]!] = value;
}

/** Whether the path lands on an existing member (a replace) rather than a new one (an insert). */
function existing(doc: unknown, path: string[]): boolean {
  let node = doc;
  for (const k of path) {
    if (typeof node !== 'object' || node === null || Array.isArray(node) || !Object.prototype.hasOwnProperty.call(node, k)) return false;
    node = (node as Record<string, unknown>)[k];
    if (typeof node !== 'object' || node === null || Array.isArray(node)) return true;
  }
  return true;
}

/** The source range of the value the path lands on (the last duplicate, a non-object on the way). */
function valueRange(text: string, path: string[]): [number, number] {
  let node: ValueNode = parse(text, { mode: 'json5', ranges: true }).body;
  for (const k of path) {
    if (node.type !== 'Object') break;
    const m = node.members.filter((x) => (x.name.type === 'String' ? x.name.value : x.name.name) === k).pop()!;
    node = m.value;
  }
  return [node.range![0], node.range![1]];
}

function isSubsequence(small: string, big: string): boolean {
  let i = 0;
  for (let j = 0; j < big.length && i < small.length; j++) if (big[j] === small[i]) i++;
  return i === small.length;
}

describe('D4 property', () => {
  it('D4 property: the result parses to the original with only that path changed; every other byte is kept', () => {
    fc.assert(
      fc.property(config, format, fc.array(key, { minLength: 1, maxLength: 4 }), fc.jsonValue({ maxDepth: 2 }), fc.nat(), (obj, how, tail, value, pick) => {
        // Half the paths start along existing keys.
        const keys = Object.keys(obj);
        const path = keys.length && pick % 2 ? [keys[pick % keys.length]!, ...tail.slice(1)] : tail;
        const text = serialize(obj, how);
        const out = edit(text, path, value);
        const expected = JSON5.parse<Record<string, unknown>>(text);
        setIn(expected, path, JSON.parse(JSON.stringify(value)));
        expect(JSON5.parse(out)).toEqual(expected);
        if (!existing(obj, path)) {
          expect(isSubsequence(text, out)).toBe(true);
        } else {
          // A replace: the bytes before and after the old value (found by the parser) are kept.
          const [start, end] = valueRange(text, path);
          expect(out.startsWith(text.slice(0, start))).toBe(true);
          expect(out.endsWith(text.slice(end))).toBe(true);
        }
      }),
      { numRuns: 400 },
    );
  });
});
