/**
 * Compose's variable interpolation: `$$`, `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`,
 * `${VAR:?err}`, `${VAR?err}`, `${VAR:+alt}`, `${VAR+alt}`, with references nested in defaults.
 *
 * The text is parsed once into parts, then evaluated; a default is evaluated only when used.
 * Parsing consumes each character once, so a long value or deeply nested defaults stay linear.
 */

/** Where an interpolated variable's value came from. */
export interface VarOrigin {
  /** e.g. `the shell environment`, `.env line 3`. */
  where: string;
  /** The project .env line the value came from (absent for the shell). */
  file?: string;
  line?: number;
}

export type VarLookup = (name: string) => { value: string; origin: VarOrigin } | undefined;

export interface InterpolationResult {
  value: string;
  /** Every variable the value used, with where its value came from (null: not set anywhere). */
  refs: Array<{ name: string; origin: VarOrigin | null; usedDefault: boolean }>;
  /** Variables referenced with no value and no default: Compose substitutes an empty string. */
  unresolved: string[];
  /** Errors Compose itself would stop on: `${VAR:?msg}` unset, malformed `${`. */
  errors: string[];
}

type Op = ':-' | '-' | ':?' | '?' | ':+' | '+';
type Part = { t: 'text'; s: string } | { t: 'var'; name: string } | { t: 'braced'; name: string; op: Op | null; arg: Part[] } | { t: 'invalid'; message: string } | { t: 'unclosed'; rest: string };

/** Deeper nesting than this is refused (reported as an error) rather than parsed recursively. */
const MAX_NESTING = 64;

const isNameStart = (c: string | undefined): boolean => c !== undefined && /[A-Za-z_]/.test(c);
const isNameChar = (c: string | undefined): boolean => c !== undefined && /[A-Za-z0-9_]/.test(c);

/** Index of the `}` closing a `${` whose body starts at `from` (nested `${...}` counted), or -1. */
function matchingBrace(s: string, from: number): number {
  let depth = 1;
  for (let i = from; i < s.length; i++) {
    if (s[i] === '$' && (s[i + 1] === '$' || s[i + 1] === '{')) {
      if (s[i + 1] === '{') depth++;
      i++;
    } else if (s[i] === '}' && --depth === 0) return i;
  }
  return -1;
}

/** Parts of `raw` from `from`; inside a default (`nested`) it stops at the closing `}`. null: unclosed. */
function parseParts(raw: string, from: number, nested: boolean, depth: number): { parts: Part[]; end: number } | null {
  const parts: Part[] = [];
  let text = '';
  const flush = (): void => {
    if (text) parts.push({ t: 'text', s: text });
    text = '';
  };
  let i = from;
  while (i < raw.length) {
    const ch = raw[i]!;
    if (nested && ch === '}') {
      flush();
      return { parts, end: i };
    }
    if (ch !== '$') {
      text += ch;
      i++;
    } else if (raw[i + 1] === '$') {
      text += '$';
      i += 2;
    } else if (raw[i + 1] === '{') {
      const b = parseBraced(raw, i + 2, depth + 1);
      if (!b) {
        if (nested) return null;
        flush();
        parts.push({ t: 'unclosed', rest: raw.slice(i) });
        return { parts, end: raw.length };
      }
      flush();
      parts.push(b.part);
      i = b.end + 1;
    } else if (isNameStart(raw[i + 1])) {
      let k = i + 2;
      while (isNameChar(raw[k])) k++;
      flush();
      parts.push({ t: 'var', name: raw.slice(i + 1, k) });
      i = k;
    } else {
      // A lone `$` that starts no reference stays literal.
      text += '$';
      i++;
    }
  }
  if (nested) return null;
  flush();
  return { parts, end: i };
}

/** The `${...}` whose body starts at `j`: the part and the index of its closing `}`; null if unclosed. */
function parseBraced(raw: string, j: number, depth: number): { part: Part; end: number } | null {
  let k = j;
  if (isNameStart(raw[k])) while (isNameChar(raw[++k]));
  if (k > j && depth <= MAX_NESTING) {
    const name = raw.slice(j, k);
    if (raw[k] === '}') return { part: { t: 'braced', name, op: null, arg: [] }, end: k };
    const op = (raw[k] === ':' && '-?+'.includes(raw[k + 1] ?? 'x') ? `:${raw[k + 1]}` : '-?+'.includes(raw[k] ?? 'x') ? raw[k] : null) as Op | null;
    if (op) {
      const arg = parseParts(raw, k + op.length, true, depth);
      return arg ? { part: { t: 'braced', name, op, arg: arg.parts }, end: arg.end } : null;
    }
  }
  const end = matchingBrace(raw, j);
  const message = depth > MAX_NESTING ? `defaults nested more than ${MAX_NESTING} deep` : '"${" must be followed by a variable name';
  return end < 0 ? null : { part: { t: 'invalid', message: `invalid interpolation format: ${message}` }, end };
}

function evalParts(parts: Part[], lookup: VarLookup, acc: InterpolationResult): string {
  let out = '';
  for (const p of parts) {
    if (p.t === 'text') out += p.s;
    else if (p.t === 'var') {
      const found = lookup(p.name);
      acc.refs.push({ name: p.name, origin: found?.origin ?? null, usedDefault: false });
      if (found) out += found.value;
      else acc.unresolved.push(p.name);
    } else if (p.t === 'braced') out += evalBraced(p, lookup, acc);
    else if (p.t === 'invalid') acc.errors.push(p.message);
    else {
      acc.errors.push('invalid interpolation format: unclosed "${"');
      out += p.rest;
    }
  }
  return out;
}

function evalBraced(p: Extract<Part, { t: 'braced' }>, lookup: VarLookup, acc: InterpolationResult): string {
  const found = lookup(p.name);
  const isSet = found !== undefined;
  const nonEmpty = isSet && found.value !== '';
  const ref = { name: p.name, origin: found?.origin ?? null, usedDefault: false };
  acc.refs.push(ref);
  const strict = p.op?.startsWith(':') ?? false;
  const present = strict ? nonEmpty : isSet;
  switch (p.op) {
    case null:
      if (!isSet) acc.unresolved.push(p.name);
      return found?.value ?? '';
    case ':-':
    case '-':
      if (present) return found!.value;
      ref.usedDefault = true;
      return evalParts(p.arg, lookup, acc);
    case ':?':
    case '?':
      if (present) return found!.value;
      acc.errors.push(`required variable ${p.name} is ${isSet ? 'empty' : 'not set'}; docker compose would refuse to start`);
      return '';
    default:
      // `:+` / `+`: the alternative replaces a set value; the variable's own value is not used.
      if (!present) return '';
      ref.usedDefault = true;
      return evalParts(p.arg, lookup, acc);
  }
}

/** Interpolate one value. Never puts a default's text or a value into refs/errors, only names and origins. */
export function interpolate(raw: string, lookup: VarLookup): InterpolationResult {
  const out: InterpolationResult = { value: '', refs: [], unresolved: [], errors: [] };
  out.value = evalParts(parseParts(raw, 0, false, 0)!.parts, lookup, out);
  return out;
}

/** Notes that say where each referenced variable came from, then Compose's errors. */
export function refNotes(res: InterpolationResult): string[] {
  const notes: string[] = [];
  for (const r of res.refs) {
    if (r.usedDefault) notes.push(`via \${${r.name}}: the default/alternative in the file was used (${r.name} ${r.origin ? `set in ${r.origin.where}` : 'not set'})`);
    else if (r.origin) notes.push(`via \${${r.name}} from ${r.origin.where}`);
    else notes.push(`via \${${r.name}}: not set in the shell environment or .env`);
  }
  notes.push(...res.errors);
  return notes;
}
