import type { Secret } from './secret.js';
import type { TokenProblem, TokenSource } from './types.js';

/** The redaction sentinel `openclaw config get` prints instead of a token (src/config/redact-sentinel.ts). */
export const REDACTED_SENTINEL = '__OPENCLAW_REDACTED__';

/** Values OpenClaw treats as no secret at all (src/gateway/known-weak-gateway-secrets.ts). */
const PLACEHOLDERS = new Set(['change-me-to-a-long-random-token', 'change-me-now', 'change-me-to-a-strong-password', 'changeme', 'your-token-here', 'your_token_here', '<token>', 'token', 'xxx']);

/**
 * What is wrong with a token value by itself. OpenClaw trims values, so whitespace is a warning
 * (it works for the gateway, but breaks copy-paste comparisons and some clients); the rest make
 * the value unusable.
 */
export function tokenProblems(raw: string): TokenProblem[] {
  const problems: TokenProblem[] = [];
  if (raw !== raw.trim()) problems.push('whitespace');
  let v = raw.trim();
  if (v.length >= 2 && ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'")))) {
    problems.push('quoted');
    v = v.slice(1, -1).trim();
  }
  if (v === '') problems.push('empty');
  else if (v === 'undefined') problems.push('literal-undefined');
  else if (v === 'null') problems.push('literal-null');
  else if (v === REDACTED_SENTINEL) problems.push('redaction-sentinel');
  else if (PLACEHOLDERS.has(v.toLowerCase())) problems.push('placeholder');
  else if (/^\$\{[A-Za-z_][A-Za-z0-9_]*\}$/.test(v)) problems.push('unresolved-var');
  else if (/^\d+$/.test(v)) problems.push('all-digits');
  return problems;
}

/** Problems that make a value unusable as a gateway token (as opposed to cosmetic ones). */
export const FATAL_PROBLEMS: ReadonlySet<TokenProblem> = new Set<TokenProblem>(['empty', 'literal-undefined', 'literal-null', 'redaction-sentinel', 'placeholder', 'unresolved-var', 'not-a-string']);

/** Values that are public strings, not secrets (`__OPENCLAW_REDACTED__`, `changeme`, "null"). */
const PUBLIC_VALUE_PROBLEMS: ReadonlySet<TokenProblem> = new Set<TokenProblem>(['redaction-sentinel', 'placeholder', 'literal-undefined', 'literal-null', 'empty']);

/**
 * The values output must be redacted of. Placeholders stay readable: redacting them would turn
 * the finding that names them into "is the redaction placeholder sha256:…".
 */
export function secretValues(sources: TokenSource[]): Secret[] {
  return sources.flatMap((s) => (s.value && !s.problems.some((p) => PUBLIC_VALUE_PROBLEMS.has(p)) ? [s.value] : []));
}
