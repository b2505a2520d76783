/**
 * The one `.env` line model: every `NAME=value` assignment of a dotenv-format file with its
 * line, `export` prefix, quote style and inline comment, and the value exactly as the `dotenv`
 * package's `parse` returns it (the parser OpenClaw and our compose reading use).
 *
 * Why not call `dotenv.parse` and look the lines up afterwards: its line regex starts with `\s*`
 * under the `m` flag, so a long run of blank lines between two lines that are not assignments
 * is rescanned from every line start (20 000 blank lines take over a second, 50 000 about ten),
 * and finding each key's line by re-splitting the text made every file quadratic. This module
 * walks the same grammar once, left to right, walking each run of whitespace a bounded number of
 * times (see Scanner), so its cost is linear in the size of the text. The unit tests compare it
 * with `dotenv.parse` on generated input.
 */

export type QuoteStyle = "'" | '"' | '`';

export interface EnvLine {
  name: string;
  /** 1-based line of the name. */
  line: number;
  /** 1-based line where the value ends (after `line` for a quoted value spanning lines). */
  endLine: number;
  /** Written as `export NAME=...`. */
  exported: boolean;
  /** The value text as written, surrounding whitespace and quotes included. */
  raw: string;
  /** The value as `dotenv.parse` returns it. */
  value: string;
  /** The quotes dotenv removed; null for an unquoted value. */
  quote: QuoteStyle | null;
  /** A `#` comment follows the value on the same line. */
  comment: boolean;
  /** An unquoted value cut short at a `#` with no space before it: `abc#def` loads as `abc`. */
  cutAtHash: boolean;
}

const CR = 13;
const LF = 10;
const HASH = 35;
const EQ = 61;
const COLON = 58;
const BACKSLASH = 92;

/** JavaScript's `\s`: what dotenv's regex skips. */
function isWs(c: number): boolean {
  if (c === 32 || (c >= 9 && c <= 13)) return true;
  if (c < 0xa0) return false;
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/** What `^` and `$` treat as a line break under the `m` flag. */
function isLineTerminator(c: number): boolean {
  return c === LF || c === CR || c === 0x2028 || c === 0x2029;
}

/** `[\w.-]`: a character of a name. */
function isNameChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 46 || c === 45;
}

/**
 * The text, and the two questions the grammar keeps asking about it: where a run of whitespace
 * ends, and the last line break inside such a run. Both are answered by walking the run, and the
 * last run walked is remembered: the next line start usually falls inside the run the previous
 * value's tail just walked. Every run is walked a bounded number of times, so the cost stays
 * linear without a table per character (two of them cost a 100 000-line file 12 ms and 7 MB).
 */
class Scanner {
  readonly n: number;
  /** The last run walked: [runFrom, runTo) is whitespace, runTo the first position after it that is not. */
  private runFrom = -1;
  private runTo = -1;

  constructor(readonly t: string) {
    this.n = t.length;
  }

  /** The first position at or after i that is not whitespace (n at the end of the text). */
  wsEnd(i: number): number {
    if (i >= this.runFrom && i < this.runTo) return this.runTo;
    let j = i;
    while (j < this.n && isWs(this.t.charCodeAt(j))) j++;
    if (j > i) {
      this.runFrom = i;
      this.runTo = j;
    }
    return j;
  }

  /** The last line terminator in [from, to), or -1. */
  lastBreakIn(from: number, to: number): number {
    for (let j = to - 1; j >= from; j--) if (isLineTerminator(this.t.charCodeAt(j))) return j;
    return -1;
  }

  at(i: number): number {
    return i < this.n ? this.t.charCodeAt(i) : -1;
  }

  /** End of the line containing i (its terminator's position, or the end of the text). */
  lineEnd(i: number): number {
    let j = i;
    while (j < this.n && !isLineTerminator(this.t.charCodeAt(j))) j++;
    return j;
  }

  /** The first line start at or after i, or -1. */
  lineStartFrom(i: number): number {
    if (i === 0 || (i <= this.n && isLineTerminator(this.t.charCodeAt(i - 1)))) return i;
    const end = this.lineEnd(i);
    return end < this.n ? end + 1 : -1;
  }

  /**
   * dotenv's tail `\s*(?:#.*)?$` at t: where the match ends, or -1. Greedy whitespace first (then
   * a comment or the end of the text), else back off to the last line break inside that run.
   */
  tail(t: number): number {
    const u = this.wsEnd(t);
    if (u === this.n) return u;
    if (this.t.charCodeAt(u) === HASH) return this.lineEnd(u);
    return this.lastBreakIn(t, u);
  }
}

interface ValueMatch {
  /** Where the value text starts and ends (`raw` is t[start, end)). */
  start: number;
  end: number;
  /** Where the whole match ends: the next search starts here. */
  matchEnd: number;
  quote: QuoteStyle | null;
}

/** `\s*Q(?:\\Q|[^Q])*Q` then the tail, with the backtracking order of the regex. */
function quotedValue(s: Scanner, e: number, quote: QuoteStyle): ValueMatch | null {
  const q = quote.charCodeAt(0);
  const open = s.wsEnd(e);
  if (s.at(open) !== q) return null;
  // Greedy walk: `\Q` pairs are taken whole; the first bare Q closes. On failure the regex backs
  // off and lets an escaped Q close instead, latest first.
  const closers: number[] = [];
  let i = open + 1;
  for (; i < s.n; i++) {
    const c = s.t.charCodeAt(i);
    if (c === BACKSLASH && s.at(i + 1) === q) {
      closers.push(++i);
      continue;
    }
    if (c === q) break;
  }
  if (i < s.n) closers.push(i);
  for (let k = closers.length - 1; k >= 0; k--) {
    const close = closers[k]!;
    const end = s.tail(close + 1);
    if (end >= 0) return { start: e, end: close + 1, matchEnd: end, quote };
  }
  return null;
}

/** The optional value group and the tail after `=` (or `: `). Never fails: see the module note. */
function valueAt(s: Scanner, e: number): ValueMatch {
  for (const quote of ["'", '"', '`'] as const) {
    const m = quotedValue(s, e, quote);
    if (m) return m;
  }
  // `[^#\r\n]+`: its tail always matches at the `#`, the line break or the end of the text.
  let f = e;
  while (f < s.n && s.t.charCodeAt(f) !== HASH && s.t.charCodeAt(f) !== LF && s.t.charCodeAt(f) !== CR) f++;
  if (f > e) return { start: e, end: f, matchEnd: s.tail(f), quote: null };
  return { start: e, end: e, matchEnd: s.tail(e), quote: null };
}

/** Name, separator and value from position k0, or null when no assignment starts there. */
function assignmentAt(s: Scanner, k0: number): { nameStart: number; nameEnd: number; value: ValueMatch } | null {
  let k1 = k0;
  while (k1 < s.n && isNameChar(s.t.charCodeAt(k1))) k1++;
  if (k1 === k0) return null;
  const g = s.wsEnd(k1);
  if (s.at(g) === EQ) return { nameStart: k0, nameEnd: k1, value: valueAt(s, g + 1) };
  if (s.at(k1) === COLON && k1 + 1 < s.n && isWs(s.t.charCodeAt(k1 + 1))) return { nameStart: k0, nameEnd: k1, value: valueAt(s, k1 + 2) };
  return null;
}

/** dotenv's value clean-up, verbatim: trim, strip one pair of matching quotes, expand \n \r in "...". */
function dotenvValue(raw: string): string {
  let value = raw.trim();
  // Without a quote character neither replacement can change anything (most lines).
  if (!/['"`]/.test(value)) return value;
  const maybeQuote = value[0];
  value = value.replace(/^(['"`])([\s\S]*)\1$/gm, '$2');
  if (maybeQuote === '"') value = value.replace(/\\n/g, '\n').replace(/\\r/g, '\r');
  return value;
}

/** Counts `\n` up to a position that only moves forward, so line numbers cost O(text) in total. */
class LineCounter {
  #pos = 0;
  #line = 1;
  constructor(readonly t: string) {}
  lineOf(pos: number): number {
    for (; this.#pos < pos; this.#pos++) if (this.t.charCodeAt(this.#pos) === LF) this.#line++;
    return this.#line;
  }
}

/** The names to build assignments for: these exact names, and any name starting with one of the prefixes. */
export interface EnvNameFilter {
  names: readonly string[];
  prefixes: readonly string[];
}

/** Whether t[start, end) is a name the filter keeps, without cutting the name out of the text. */
function keeps(filter: EnvNameFilter, t: string, start: number, end: number): boolean {
  for (const n of filter.names) if (n.length === end - start && t.startsWith(n, start)) return true;
  for (const p of filter.prefixes) if (p.length <= end - start && t.startsWith(p, start)) return true;
  return false;
}

/**
 * Every assignment in dotenv-format text, in file order (a name may appear more than once). With
 * `only`, just the assignments of the names it keeps are built; the others are still walked (a
 * quoted value can hide what looks like an assignment, a `NAME:` line can swallow the next), which
 * halves the cost of a large file of which a few names matter.
 */
export function parseEnvLines(text: string, only?: EnvNameFilter): EnvLine[] {
  const s = new Scanner(text.replace(/\r\n?/g, '\n'));
  const lines = new LineCounter(s.t);
  const out: EnvLine[] = [];
  let p = 0;
  while (p <= s.n) {
    const start = s.lineStartFrom(p);
    if (start < 0) break;
    // Every line start inside the same whitespace run reaches the same first character q, so an
    // attempt that fails at q fails for all of them: continue after q, not at the next line.
    const q = s.wsEnd(start);
    let exported = false;
    let m = null;
    if (s.t.startsWith('export', q) && isWs(s.at(q + 6))) {
      m = assignmentAt(s, s.wsEnd(q + 6));
      exported = m !== null;
    }
    m ??= assignmentAt(s, q);
    if (!m) {
      p = q + 1;
      continue;
    }
    const { value: v } = m;
    if (only && !keeps(only, s.t, m.nameStart, m.nameEnd)) {
      p = v.matchEnd;
      continue;
    }
    const raw = s.t.slice(v.start, v.end);
    const line = lines.lineOf(m.nameStart);
    const endLine = lines.lineOf(Math.max(v.start, v.end - 1));
    let after = v.end;
    while (after < s.n && (s.t.charCodeAt(after) === 32 || s.t.charCodeAt(after) === 9)) after++;
    const comment = s.at(after) === HASH;
    out.push({
      name: s.t.slice(m.nameStart, m.nameEnd),
      line,
      endLine,
      exported,
      raw,
      value: dotenvValue(raw),
      quote: v.quote,
      comment,
      cutAtHash: v.quote === null && s.at(v.end) === HASH && raw.trim() !== '' && !isWs(raw.charCodeAt(raw.length - 1)),
    });
    p = v.matchEnd;
  }
  return out;
}

/** The values `dotenv.parse` would return (the last assignment of a name wins), without a prototype. */
export function envValues(lines: readonly EnvLine[]): Record<string, string> {
  const out = Object.create(null) as Record<string, string>;
  for (const l of lines) out[l.name] = l.value;
  return out;
}

/** The assignment of `name` that counts (the last one), and how many there were. */
export function lastAssignment(lines: readonly EnvLine[], name: string): { last: EnvLine; all: EnvLine[] } | null {
  const all = lines.filter((l) => l.name === name);
  return all.length ? { last: all[all.length - 1]!, all } : null;
}

/** Line of each name's effective (last) assignment. */
export function envLineNumbers(lines: readonly EnvLine[]): Record<string, number> {
  const out = Object.create(null) as Record<string, number>;
  for (const l of lines) out[l.name] = l.line;
  return out;
}

/**
 * One value of a systemd `EnvironmentFile=` (the decoding OpenClaw's own reader uses for
 * `gateway.systemd.env`): leading blanks skipped, '...' literal, "..." with `\"` `\\` `` \` ``
 * `\$` escapes, a backslash outside quotes escapes the next character, trailing blanks dropped.
 */
function decodeSystemdValue(raw: string): { value: string; quote: QuoteStyle | null } {
  let state: 'pre' | 'plain' | 'plain-escape' | "'" | '"' | '"-escape' = 'pre';
  let out = '';
  let quote: QuoteStyle | null = null;
  let trailingFrom: number | undefined;
  for (const ch of raw) {
    const blank = ch === ' ' || ch === '\t' || ch === '\r';
    if (state === 'pre') {
      if (blank) continue;
      if (ch === "'" || ch === '"') {
        quote ??= ch;
        state = ch;
      } else if (ch === '\\') state = 'plain-escape';
      else {
        state = 'plain';
        out += ch;
      }
    } else if (state === 'plain') {
      if (ch === '\\') {
        state = 'plain-escape';
        trailingFrom = undefined;
        continue;
      }
      if (blank) trailingFrom ??= out.length;
      else trailingFrom = undefined;
      out += ch;
    } else if (state === 'plain-escape') {
      state = 'plain';
      out += ch;
    } else if (state === "'") {
      if (ch === "'") state = 'pre';
      else out += ch;
    } else if (state === '"') {
      if (ch === '"') state = 'pre';
      else if (ch === '\\') state = '"-escape';
      else out += ch;
    } else {
      state = '"';
      out += '"\\`$'.includes(ch) ? ch : `\\${ch}`;
    }
  }
  if (state === 'plain' && trailingFrom !== undefined) out = out.slice(0, trailingFrom);
  return { value: out, quote };
}

/**
 * Assignments of a systemd `EnvironmentFile=` (`gateway.systemd.env`, a unit's env file), in the
 * same shape as parseEnvLines: one `NAME=value` per line, `#` and `;` start comment lines.
 */
export function parseSystemdEnvLines(text: string): EnvLine[] {
  const out: EnvLine[] = [];
  const rows = text.split(/\r?\n/);
  for (let i = 0; i < rows.length; i++) {
    const t = rows[i]!.trimStart();
    if (!t || t.startsWith('#') || t.startsWith(';')) continue;
    const eq = t.indexOf('=');
    const name = eq > 0 ? t.slice(0, eq).trim() : '';
    if (!name) continue;
    const raw = t.slice(eq + 1);
    const { value, quote } = decodeSystemdValue(raw);
    out.push({ name, line: i + 1, endLine: i + 1, exported: false, raw, value, quote, comment: false, cutAtHash: false });
  }
  return out;
}
