import { createHash } from 'node:crypto';
import { inspect } from 'node:util';

/**
 * A token value that cannot leak by accident: JSON.stringify, String(), template literals and
 * console.log/util.inspect all print its fingerprint. Only `reveal()` returns the raw value, so
 * every place that handles a raw token is greppable.
 */
export class Secret {
  readonly #value: string;
  readonly fingerprint: string;
  readonly length: number;

  constructor(value: string) {
    this.#value = value;
    this.fingerprint = fingerprintOf(value);
    this.length = value.length;
  }

  reveal(): string {
    return this.#value;
  }

  /** `sha256:1a2b3c4d (48 chars)`: what a person sees instead of the token. */
  describe(): string {
    return `${this.fingerprint} (${this.length} chars)`;
  }

  equals(other: Secret | null | undefined): boolean {
    return other != null && other.#value === this.#value;
  }

  toString(): string {
    return this.describe();
  }

  toJSON(): string {
    return this.fingerprint;
  }

  [inspect.custom](): string {
    return `Secret<${this.describe()}>`;
  }
}

export function fingerprintOf(value: string): string {
  return `sha256:${createHash('sha256').update(value, 'utf8').digest('hex').slice(0, 8)}`;
}

/** The shortest piece of a secret that is redacted on its own: enough to shrink a brute force. */
export const MIN_FRAGMENT = 8;
/**
 * Pieces are looked for only in secrets at least this long (generated tokens), and a piece this
 * long is redacted wherever it is. A shorter piece is redacted when it stands on its own and is
 * not a plain word: `t-token-` inside `client-token-mismatch`, or `password` from a token that
 * happens to contain it, are words of the report, not leaks.
 */
export const LONG_FRAGMENT = 16;

/**
 * Replace every occurrence of the given raw secrets in free text by their fingerprint. The last
 * line of defence for text that came from outside (command output, log lines, error messages).
 * Whole secrets (raw or URL-encoded) become their fingerprint; what is left of a long secret in
 * pieces (a token cut by someone else's message limit, half of it echoed) becomes the
 * fingerprint followed by `…` (see LONG_FRAGMENT). Redact before cutting: see cutMessage.
 */
export function redactText(text: string, secrets: Iterable<Secret | string>): string {
  let out = text;
  const raws = [...new Set([...secrets].map((s) => (typeof s === 'string' ? s : s.reveal())).map((s) => s.trim()))].filter((s) => s.length >= 4).sort((a, b) => b.length - a.length);
  for (const raw of raws) out = out.replaceAll(raw, fingerprintOf(raw)).replaceAll(encodeURIComponent(raw), fingerprintOf(raw));
  for (const raw of raws) {
    if (raw.length < LONG_FRAGMENT) continue;
    out = redactFragments(out, [raw, encodeURIComponent(raw)], `${fingerprintOf(raw)}…`);
  }
  // `#token=…` / `?token=…` fragments of URLs whose secret we were not told about.
  out = out.replace(/([#?&]token=)([^&\s"'<>]+)/g, (_m, k: string, v: string) => (v.startsWith('sha256:') ? `${k}${v}` : `${k}${fingerprintOf(decodeURIComponentSafe(v))}`));
  return out;
}

/**
 * Replace every maximal run of `text` covered by MIN_FRAGMENT-character windows that occur in one
 * of `forms`, when the run is long or stands alone. Linear in the text: one set lookup per position.
 */
function redactFragments(text: string, forms: string[], replacement: string): string {
  const grams = new Set<string>();
  for (const f of forms) for (let i = 0; i + MIN_FRAGMENT <= f.length; i++) grams.add(f.slice(i, i + MIN_FRAGMENT));
  const runs: Array<[number, number]> = [];
  for (let i = 0; i + MIN_FRAGMENT <= text.length; i++) {
    if (!grams.has(text.slice(i, i + MIN_FRAGMENT))) continue;
    const last = runs[runs.length - 1];
    if (last && i <= last[1]) last[1] = i + MIN_FRAGMENT;
    else runs.push([i, i + MIN_FRAGMENT]);
  }
  let out = '';
  let copied = 0;
  for (const [start, end] of runs) {
    if (end - start < LONG_FRAGMENT && !standsAlone(text, start, end)) continue;
    out += text.slice(copied, start) + replacement;
    copied = end;
  }
  return out + text.slice(copied);
}

/** Tested on one character at a time (or on '' past either end of the text). */
const WORD_CHAR = /[\p{L}\p{N}]/u;

/** Not glued to letters or digits, and not itself a plain word (all letters). */
function standsAlone(text: string, start: number, end: number): boolean {
  if (WORD_CHAR.test(text[start - 1] ?? '') || WORD_CHAR.test(text[end] ?? '')) return false;
  return !/^\p{L}+$/u.test(text.slice(start, end));
}

/**
 * Cut a message to `max` characters (an ellipsis marks the cut), never inside a surrogate pair.
 * Only for text that is already redacted: cutting first can leave a piece of a token that no
 * longer matches the whole.
 */
export function cutMessage(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = Math.max(0, max - 1);
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…`;
}

function decodeURIComponentSafe(v: string): string {
  try {
    return decodeURIComponent(v);
  } catch {
    return v;
  }
}
