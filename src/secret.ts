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

/**
 * Replace every occurrence of the given raw secrets in free text by their fingerprint. The last
 * line of defence for text that came from outside (command output, log lines, error messages).
 */
export function redactText(text: string, secrets: Iterable<Secret | string>): string {
  let out = text;
  const raws = [...secrets]
    .map((s) => (typeof s === 'string' ? s : s.reveal()))
    .map((s) => s.trim())
    .filter((s) => s.length >= 4)
    .sort((a, b) => b.length - a.length);
  for (const raw of raws) {
    if (out.includes(raw)) out = out.split(raw).join(fingerprintOf(raw));
    const encoded = encodeURIComponent(raw);
    if (encoded !== raw && out.includes(encoded)) out = out.split(encoded).join(fingerprintOf(raw));
  }
  // `#token=…` / `?token=…` fragments of URLs whose secret we were not told about.
  out = out.replace(/([#?&]token=)([^&\s"'<>]+)/g, (_m, k: string, v: string) =>
    v.startsWith('sha256:') ? `${k}${v}` : `${k}${fingerprintOf(decodeURIComponentSafe(v))}`,
  );
  return out;
}

function decodeURIComponentSafe(v: string): string {
  try {
    return decodeURIComponent(v);
  } catch {
    return v;
  }
}
