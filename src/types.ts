import type { Secret } from './secret.js';

/** Outcome of one fact-gathering check, as shown in the report's check list. */
export type CheckStatus = 'pass' | 'warn' | 'fail' | 'skip';

/** One fact source's row in the report's check list (config, dotenv, probe, ...). */
export interface CheckResult {
  id: string;
  status: CheckStatus;
  ms: number;
  note: string;
}

export type Severity = 'error' | 'warning' | 'info';

/**
 * One problem found in a diagnosis, as `diagnose --json` prints it. `Id` is the finding id
 * vocabulary of src/checks/index.ts (a string here, so this plain-data module imports nothing).
 */
export interface Finding<Id extends string = string> {
  id: Id;
  severity: Severity;
  title: string;
  detail: string;
  /** The facts behind the finding, already redacted (fingerprints, never raw tokens). */
  evidence: string[];
  /**
   * Exact commands a person would run, in order. When `step` is set, these are that fix step's
   * plan: the very lines the wizard shows before it runs the step.
   */
  fix: string[];
  /** The wizard's fix step for this finding, when it has one. */
  step?: string;
}

/** Where a token-like value was found. */
export type SourceKind = 'config' | 'config-remote' | 'process-env' | 'dotenv' | 'config-env' | 'compose' | 'container' | 'service' | 'launchctl';

/** What is wrong with a token value itself, independent of the gateway. */
export type TokenProblem =
  'empty' | 'whitespace' | 'quoted' | 'literal-undefined' | 'literal-null' | 'redaction-sentinel' | 'placeholder' | 'unresolved-var' | 'all-digits' | 'not-a-string' | 'secret-ref';

/**
 * One place a gateway credential lives. `value` is null when the place names a credential that
 * cannot be read here (a SecretRef, an unresolved `${VAR}`, a non-string).
 */
export interface TokenSource {
  /** Stable id, unique within one diagnosis, e.g. `config`, `dotenv:state`, `compose:openclaw-gateway`. */
  id: string;
  kind: SourceKind;
  /** Human label, e.g. `~/.openclaw/.env line 3 (OPENCLAW_GATEWAY_TOKEN)`. */
  label: string;
  /** The variable or config path it sets: `gateway.auth.token`, `OPENCLAW_GATEWAY_TOKEN`, ... */
  variable: string;
  /** Credential type: most sources carry a token; `_PASSWORD` variables carry a password. */
  credential: 'token' | 'password';
  file?: string;
  line?: number;
  value: Secret | null;
  /**
   * Where the value itself is written, when that is not `file`/`line`: a compose entry
   * `${OPENCLAW_GATEWAY_TOKEN}` filled from the project .env is changed on that .env line.
   */
  valueAt?: { file: string; line: number };
  problems: TokenProblem[];
  /** Free-form extra facts for evidence (never raw secrets). */
  notes?: string[];
  /**
   * Set when this value loses in its own tool's merge (a compose override, a later systemd
   * EnvironmentFile): the label of the value that wins. A shadowed value never reaches the gateway.
   */
  shadowedBy?: string;
}
