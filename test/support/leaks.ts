/**
 * The one leak assertion: no secret in anything the wizard showed. A secret counts as leaked raw,
 * URL-encoded (the dashboard link carries `#token=<encoded>`), or as any `#token=` / `?token=`
 * value that is not a fingerprint (`sha256:…`) or a placeholder (`<…>`, `$…`). The failure message
 * shows the text with every secret redacted, so a failing test never prints the token either.
 */
import { expect } from 'vitest';

export type Shown = string | { stdout: string; stderr: string } | ReadonlyArray<string | { stdout: string; stderr: string }>;

const TOKEN_IN_URL = /[#?&]token=(?!sha256:|<|\$)[^\s&"'<>]{8,}/;

function textOf(shown: Shown): string {
  const parts = typeof shown === 'string' || !Array.isArray(shown) ? [shown as string | { stdout: string; stderr: string }] : (shown as ReadonlyArray<string | { stdout: string; stderr: string }>);
  return parts.map((p) => (typeof p === 'string' ? p : `${p.stdout}\n${p.stderr}`)).join('\n');
}

/** `text` with every secret (raw and URL-encoded) replaced by `<secret>`, for failure messages. */
export function redactSecrets(text: string, secrets: Iterable<string | null | undefined>): string {
  let out = text;
  for (const s of secrets) if (s && s.length >= 4) out = out.split(s).join('<secret>').split(encodeURIComponent(s)).join('<secret>');
  return out;
}

export function expectNoLeak(shown: Shown, secrets: Iterable<string | null | undefined>): void {
  const text = textOf(shown);
  const list = [...secrets].filter((s): s is string => !!s);
  const leaked = list.filter((s) => text.includes(s) || text.includes(encodeURIComponent(s)));
  const url = TOKEN_IN_URL.exec(text);
  const where = () => redactSecrets(text, list).slice(0, 2000);
  expect(leaked.length, `${leaked.length} secret(s) appear raw or URL-encoded in:\n${where()}`).toBe(0);
  expect(url ? url[0].replace(/=.*/, '=…') : null, `a token value in a URL in:\n${where()}`).toBeNull();
}
