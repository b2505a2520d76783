/** The credential the gateway checks has a value OpenClaw treats as none: empty, "undefined", a placeholder, the redaction sentinel. */
import { shellQuote } from '../actions/openclaw-cli.js';
import { FATAL_PROBLEMS } from '../hygiene.js';
import type { TokenSource } from '../types.js';
import { defineCheck, type Detection } from './check.js';
import { generateToken } from './no-token-configured.js';
import { withRefusal } from './start-refusal.js';
import { describeProblems, restartCommands, SET_NEW_TOKEN, SET_TOKEN_MODE, sourceLine } from './words.js';
import { configSourceId, type DiagnosisView } from '../diagnosis/view.js';

/** Set by hand: the wizard makes tokens, not passwords a person must then type. */
const SET_OWN_PASSWORD = '# set a password of your own in gateway.auth.password (openclaw config set gateway.auth.password …), or switch to token auth:';

/**
 * Whether a source's value is one the gateway checks: OpenClaw refuses a blank or placeholder
 * credential only for its auth mode's credential, so a blank password beside a token in token mode
 * is unused, not an error. A token a client sends (gateway.remote.token, a client host) always counts.
 */
function checked(view: DiagnosisView, s: TokenSource): boolean {
  if (s.kind === 'config-remote' || !view.isGatewayHost) return s.credential === 'token';
  return s.credential === view.authCredential;
}

function detection(view: DiagnosisView, s: TokenSource, problems: string[]): Detection {
  const isConfig = s.kind === 'config' || s.kind === 'config-remote';
  const onlyDigits = problems.length === 1 && problems[0] === 'all-digits';
  // A config token with a value OpenClaw refuses (not merely all digits, not a SecretRef) is replaced by the wizard.
  const replaceable = s.id === configSourceId(view.facts, 'config') && s.problems.some((p) => FATAL_PROBLEMS.has(p) && p !== 'secret-ref');
  const advice = isConfig
    ? [...(s.credential === 'password' ? [SET_OWN_PASSWORD] : []), SET_TOKEN_MODE, SET_NEW_TOKEN, ...restartCommands(view)]
    : [`$EDITOR ${shellQuote(s.file ?? s.label)}${s.line ? `   # line ${s.line}: remove or correct ${s.variable}` : ''}`];
  return {
    detail: `${s.label} is ${describeProblems(problems)}.${problems.includes('redaction-sentinel') ? ' That is what `openclaw config get gateway.auth.token` prints instead of the token; it was pasted somewhere as if it were the token.' : ''}${onlyDigits ? ' An all-digit token is parsed as a number by `openclaw config set` unless JSON-quoted.' : ''}`,
    evidence: [sourceLine(s) + ` [${s.problems.join(', ')}]`],
    severity: onlyDigits || !isConfig ? 'warning' : 'error',
    ...(replaceable ? { step: generateToken } : { advice }),
  };
}

export const tokenInvalidValue = defineCheck({
  id: 'token-invalid-value',
  severity: 'error',
  title: 'A gateway token or password has a value OpenClaw treats as none',
  fixes: [generateToken],
  detect(view) {
    const found = view.facts.sources
      .filter((s) => checked(view, s))
      .flatMap((s) => {
        const problems = s.problems.filter((p) => FATAL_PROBLEMS.has(p) || p === 'all-digits');
        return problems.length ? [detection(view, s, problems)] : [];
      });
    return withRefusal(view, 'token-invalid-value', found, () => [SET_TOKEN_MODE, SET_NEW_TOKEN, ...restartCommands(view)]);
  },
});
