/** Wording and commands several checks share, so each is written once. */
import type { DiagnosisView } from '../diagnosis/view.js';
import type { TokenSource } from '../types.js';

/** The runnable command that writes a fresh 48-hex token without ever printing it. */
export const SET_NEW_TOKEN = `openclaw config set gateway.auth.token "\\"$(openssl rand -hex 24)\\""`;
export const SET_TOKEN_MODE = 'openclaw config set gateway.auth.mode token';
export const OPEN_CONTROL_UI = 'openclaw-token-wizard open';
/** How OpenClaw is installed: the first step when no openclaw is on PATH. */
export const OPENCLAW_INSTALL = 'npm install -g openclaw@latest';

export function sourceLine(s: TokenSource): string {
  return `${s.label}: ${s.value ? s.value.describe() : s.problems.includes('secret-ref') ? 'SecretRef' : 'no readable value'}`;
}

/**
 * When the refusal of a source's value was seen, if not in this run: the wizard does not present a
 * value the same gateway run refused under a minute ago (see diagnosis/refusal-memory.ts).
 */
export function refusedEarlier(view: DiagnosisView, s: TokenSource): string {
  const at = s.value ? view.facts.probes.get(s.value.fingerprint)?.remembered?.at : undefined;
  return at ? `refused at ${at} by this same gateway run; not sent again (OpenClaw slows every failed login)` : '';
}

/** Restart advice that fits how this gateway runs. */
export function restartCommands(view: DiagnosisView): string[] {
  if (view.hasService) return ['openclaw gateway restart'];
  const gw = view.gatewayListeners[0];
  if (gw?.pid) return [`openclaw gateway stop   # or end the foreground gateway (pid ${gw.pid}) with Ctrl-C`, `openclaw gateway run --port ${view.facts.target.port}`];
  return ['openclaw gateway restart'];
}

const PROBLEM_WORDS: Record<string, string> = {
  empty: 'empty',
  'literal-undefined': 'the literal string "undefined"',
  'literal-null': 'the literal string "null"',
  'redaction-sentinel': 'the redaction placeholder __OPENCLAW_REDACTED__',
  placeholder: 'a placeholder from an example config',
  'unresolved-var': 'an unresolved ${VAR} reference',
  'not-a-string': 'not a string',
  'all-digits': 'all digits',
};

export function describeProblems(ps: string[]): string {
  return ps.map((p) => PROBLEM_WORDS[p] ?? p).join(' and ');
}

/** The word that agrees with a count: `agree(n, 's', '')` for "holds" / "hold". */
export function agree(n: number, one: string, many: string): string {
  return n === 1 ? one : many;
}
