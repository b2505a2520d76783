/**
 * Set one value in a JSON/JSON5 document by changing only the bytes of that value: comments, key
 * order, formatting, number spellings (`12345678901234567890`, `1.10`), duplicate keys and every
 * other block stay exactly as they were. A missing key is inserted into the nearest existing
 * object, after its last member, in the file's own indentation and key style. The document is
 * read with momoa (JSON5 mode, with source ranges); a document it cannot read is never rewritten.
 */
import { evaluate, parse, type DocumentNode, type MemberNode, type ObjectNode, type Token, type ValueNode } from '@humanwhocodes/momoa';
import { isDeepStrictEqual } from 'node:util';

export type Json5EditResult = { ok: true; text: string } | { ok: false; reason: 'unparseable' | 'not-an-object' | 'bad-value'; message: string };

interface Layout {
  text: string;
  tokens: Token[];
  eol: string;
  unit: string;
}

export function parseJson5Document(text: string): { ok: true; doc: DocumentNode } | { ok: false; message: string } {
  try {
    return { ok: true, doc: parse(text, { mode: 'json5', ranges: true, tokens: true }) };
  } catch (err) {
    // Deep nesting exhausts the parser's stack: a clear refusal, not a crash.
    if (err instanceof RangeError) return { ok: false, message: 'nested too deeply to read' };
    return { ok: false, message: `not valid JSON5: ${err instanceof Error ? err.message : String(err)}` };
  }
}

export function editJson5Value(text: string, path: readonly string[], value: unknown): Json5EditResult {
  const json = JSON.stringify(value) as string | undefined; // undefined for undefined, functions, symbols
  if (path.length === 0 || json === undefined) return { ok: false, reason: 'bad-value', message: 'nothing to set' };
  const wanted = JSON.parse(json) as unknown;
  const parsed = parseJson5Document(text);
  if (!parsed.ok) return { ok: false, reason: 'unparseable', message: parsed.message };
  const { doc } = parsed;
  if (doc.body.type !== 'Object') return { ok: false, reason: 'not-an-object', message: 'the document is not an object' };
  const layout: Layout = { text, tokens: doc.tokens ?? [], eol: text.includes('\r\n') ? '\r\n' : '\n', unit: indentUnit(text) };
  const out = applyEdit(layout, doc.body, path, wanted, firstMemberName(doc.body));
  return verify(out, path, wanted);
}

function applyEdit(l: Layout, root: ObjectNode, path: readonly string[], value: unknown, keySample: MemberNode['name'] | null): string {
  let obj = root;
  for (let i = 0; i < path.length; i++) {
    const member = lastMember(obj, path[i]!);
    const rest = path.slice(i + 1);
    if (!member) return insertMember(l, obj, path[i]!, nest(rest, value), keySample);
    if (rest.length === 0 || member.value.type !== 'Object') return replaceValue(l, member.value, nest(rest, value));
    obj = member.value;
  }
  throw new Error('unreachable: the path ends inside the loop');
}

/** The member a reader keeps: JSON5 (and OpenClaw) take the last of duplicate keys. */
function lastMember(obj: ObjectNode, key: string): MemberNode | undefined {
  for (let i = obj.members.length - 1; i >= 0; i--) if (memberKey(obj.members[i]!) === key) return obj.members[i];
  return undefined;
}

function memberKey(m: MemberNode): string {
  return m.name.type === 'String' ? m.name.value : m.name.name;
}

function nest(rest: readonly string[], value: unknown): unknown {
  return rest.reduceRight<unknown>((v, k) => ({ [k]: v }), value);
}

function range(node: { range?: [number, number] | readonly [number, number] }): [number, number] {
  if (!node.range) throw new Error('momoa returned a node without a range');
  return [node.range[0], node.range[1]];
}

function lineIndent(text: string, offset: number): string {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(start, offset))![0];
}

/** The indentation of the first indented line: one level in every formatter's output. */
function indentUnit(text: string): string {
  return /\n([ \t]+)\S/.exec(text)?.[1] ?? '  ';
}

function serialize(l: Layout, value: unknown, baseIndent: string, singleQuotes: boolean): string {
  if (typeof value === 'string' && singleQuotes) return singleQuoted(value);
  return JSON.stringify(value, null, l.unit).replace(/\n/g, `${l.eol}${baseIndent}`);
}

/** A JSON5 single-quoted string: JSON's escapes, with `'` escaped instead of `"`. */
function singleQuoted(s: string): string {
  return `'${JSON.stringify(s).slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'")}'`;
}

function replaceValue(l: Layout, node: ValueNode, value: unknown): string {
  const [start, end] = range(node);
  const single = l.text[start] === "'"; // only a string starts with a quote
  return l.text.slice(0, start) + serialize(l, value, lineIndent(l.text, start), single) + l.text.slice(end);
}

function keyText(key: string, sample: MemberNode['name'] | null, text: string): string {
  if (sample?.type === 'Identifier' && /^[A-Za-z_$][\w$]*$/.test(key)) return key;
  if (sample?.type === 'String' && text[range(sample)[0]] === "'") return singleQuoted(key);
  return JSON.stringify(key);
}

/** The document's key style: its first key (an empty document has none, and gets JSON's). */
function firstMemberName(root: ObjectNode): MemberNode['name'] | null {
  return root.members[0]?.name ?? null;
}

/** The first token at or after `offset`, and the first one that is not a comment. */
function tokensAfter(l: Layout, offset: number): { next: Token | undefined; code: Token | undefined } {
  let i = l.tokens.findIndex((t) => range(t)[0] >= offset);
  if (i < 0) i = l.tokens.length;
  const next = l.tokens[i];
  while (i < l.tokens.length && /Comment$/.test(l.tokens[i]!.type)) i++;
  return { next, code: l.tokens[i] };
}

function insertMember(l: Layout, obj: ObjectNode, key: string, value: unknown, docSample: MemberNode['name'] | null): string {
  const [objStart] = range(obj);
  const last = obj.members[obj.members.length - 1];
  if (!last) return insertIntoEmpty(l, obj, key, value, docSample);
  const [lastStart, lastEnd] = range(last);
  const multiLine = l.text.slice(objStart, lastStart).includes('\n');
  const indent = multiLine ? lineIndent(l.text, lastStart) : '';
  const between = l.text.slice(range(last.name)[1], range(last.value)[0]);
  const colon = /^[ \t]*:[ \t]*$/.test(between) ? between : ': ';
  const member = `${keyText(key, last.name, l.text)}${colon}${serialize(l, value, indent, false)}`;
  const after = tokensAfter(l, lastEnd);
  // The first code token after the last member is either its comma or the object's `}`.
  const trailingComma = after.code?.type === 'Comma';
  const commaEnd = trailingComma ? range(after.code!)[1] : lastEnd;
  // A `// comment` on the same line stays with the member it follows.
  const afterComma = tokensAfter(l, commaEnd).next;
  const sameLineComment = afterComma?.type === 'LineComment' && !l.text.slice(commaEnd, range(afterComma)[0]).includes('\n');
  const at = multiLine && sameLineComment ? range(afterComma)[1] : commaEnd;
  const piece = multiLine ? `${l.eol}${indent}${member}` : ` ${member}`;
  if (trailingComma) return l.text.slice(0, at) + piece + ',' + l.text.slice(at);
  return l.text.slice(0, lastEnd) + ',' + l.text.slice(lastEnd, at) + piece + l.text.slice(at);
}

function insertIntoEmpty(l: Layout, obj: ObjectNode, key: string, value: unknown, docSample: MemberNode['name'] | null): string {
  const [start, end] = range(obj);
  const outer = lineIndent(l.text, start);
  const indent = outer + l.unit;
  const member = `${keyText(key, docSample, l.text)}: ${serialize(l, value, indent, false)}`;
  const inside = l.text.slice(start + 1, end - 1);
  // Only whitespace inside: those bytes are the empty object's own layout, replaced by the member.
  if (/^\s*$/.test(inside)) return `${l.text.slice(0, start + 1)}${l.eol}${indent}${member}${l.eol}${outer}${l.text.slice(end - 1)}`;
  return `${l.text.slice(0, start + 1)}${l.eol}${indent}${member}${l.text.slice(start + 1)}`;
}

/** Read the result back: it must parse and hold exactly the value at the path. */
function verify(text: string, path: readonly string[], value: unknown): Json5EditResult {
  const back = parseJson5Document(text);
  if (!back.ok) return { ok: false, reason: 'unparseable', message: `the edit would not parse (${back.message}): not written` };
  let node: ValueNode = back.doc.body;
  for (const key of path) {
    const m = node.type === 'Object' ? lastMember(node, key) : undefined;
    if (!m) return { ok: false, reason: 'not-an-object', message: `the edit did not land at ${path.join('.')}: not written` };
    node = m.value;
  }
  if (!isDeepStrictEqual(evaluate(node), value)) return { ok: false, reason: 'bad-value', message: `the edit read back differently at ${path.join('.')}: not written` };
  return { ok: true, text };
}
