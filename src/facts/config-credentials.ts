/**
 * One TokenSource per credential key of the config (gateway.auth.token/password,
 * gateway.remote.token, the env block's OPENCLAW_GATEWAY_TOKEN, a misplaced agents.gateway token):
 * its value after `${VAR}` substitution or SecretRef resolution, what is wrong with it, and notes
 * saying where it came from.
 */
import { tokenProblems } from '../hygiene.js';
import { Secret } from '../secret.js';
import type { SourceKind, TokenProblem, TokenSource } from '../types.js';
import type { Json } from './env-substitution.js';
import type { SecretRefOutcome } from './secret-refs.js';
import type { EnvOrigin, SecretRefInfo } from './types.js';

function isObj(v: unknown): v is { [k: string]: Json } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * OpenClaw's SecretRef shape: `{source: env|file|exec|store, provider?, id}`. The `$NAME`
 * shorthand (no braces) is also read as an env SecretRef by coerceSecretRef, while `${NAME}` is
 * plain substitution.
 */
export function asSecretRef(v: Json | undefined): SecretRefInfo | null {
  if (isObj(v) && typeof v.source === 'string' && (typeof v.id === 'string' || typeof v.provider === 'string')) {
    const ref: SecretRefInfo = { source: v.source };
    if (typeof v.provider === 'string') ref.provider = v.provider;
    if (typeof v.id === 'string') ref.id = v.id;
    return ref;
  }
  if (typeof v === 'string') {
    const m = /^\$([A-Z][A-Z0-9_]{0,127})$/.exec(v.trim());
    if (m?.[1]) return { source: 'env', provider: 'default', id: m[1] };
  }
  return null;
}

function describeRef(ref: SecretRefInfo): string {
  return `SecretRef source=${ref.source}${ref.provider ? ` provider=${ref.provider}` : ''}${ref.id ? ` id=${ref.id}` : ''}`;
}

export interface CredentialSpec {
  id: string;
  kind: SourceKind;
  variable: string;
  credential: 'token' | 'password';
  /** Path in the parsed object. */
  path: string[];
}

function addUnique<T>(list: T[], ...items: T[]): void {
  for (const it of items) if (!list.includes(it)) list.push(it);
}

interface CredentialInput {
  spec: CredentialSpec;
  /** The value before substitution (to spot SecretRefs and `${VAR}`). */
  raw: Json | undefined;
  /** The value after substitution. */
  resolved: Json | undefined;
  missing: Set<string> | undefined;
  used: Set<string> | undefined;
  file: string;
  fileLabel: string;
  line: number | undefined;
  /** Where a substituted name came from when not the process env (a dotenv file, the env block). */
  envOrigin: EnvOrigin;
  /** Resolves a SecretRef-shaped raw value and records the outcome. */
  resolveRef: (raw: Json, shape: SecretRefInfo, configPath: string) => SecretRefOutcome;
}

type SourceBase = Omit<TokenSource, 'value' | 'problems' | 'notes'>;

function secretRefSource(base: SourceBase, raw: Json, shape: SecretRefInfo, input: CredentialInput): TokenSource {
  const { fact, value } = input.resolveRef(raw, shape, input.spec.variable);
  const what = describeRef({ source: fact.source || shape.source, provider: fact.provider || shape.provider, id: fact.id || shape.id });
  if (value !== null) {
    const problems: TokenProblem[] = ['secret-ref'];
    addUnique(problems, ...tokenProblems(value));
    return { ...base, value: new Secret(value), problems, notes: [`${what}: resolved here from ${fact.via ?? 'its provider'}, as OpenClaw resolves it`] };
  }
  const why = fact.status === 'unresolved' ? `does not resolve in this shell: ${fact.reason}` : (fact.reason ?? 'not resolved');
  return { ...base, value: null, problems: ['secret-ref'], notes: [`${what}: ${why}`] };
}

function namesWithOrigin(names: Set<string>, origin: EnvOrigin): string {
  return [...names]
    .map((m) => {
      const from = origin.get(m);
      return `\${${m}}${from !== undefined ? ` (set in ${from})` : ''}`;
    })
    .join(', ');
}

/** One TokenSource for a credential value as authored, or null when the key is absent. */
export function credentialSource(input: CredentialInput): TokenSource | null {
  const { spec, raw, resolved, missing, used, line } = input;
  if (raw === undefined) return null;
  const label = `${input.fileLabel}${line ? ` line ${line}` : ''} (${spec.variable})`;
  const base: SourceBase = { id: spec.id, kind: spec.kind, variable: spec.variable, credential: spec.credential, file: input.file, label, ...(line ? { line } : {}) };
  const shape = asSecretRef(raw);
  if (shape) return secretRefSource(base, raw, shape, input);
  if (typeof resolved === 'string') {
    const problems: TokenProblem[] = tokenProblems(resolved);
    const notes: string[] = [];
    if (missing?.size) {
      addUnique(problems, 'unresolved-var');
      notes.push(`references ${[...missing].map((m) => `\${${m}}`).join(', ')}, not set in this environment nor in the .env files OpenClaw loads; OpenClaw treats the value as unset`);
      return { ...base, value: null, problems, notes };
    }
    if (used?.size) notes.push(`substituted from ${namesWithOrigin(used, input.envOrigin)}`);
    return { ...base, value: new Secret(resolved), problems, ...(notes.length ? { notes } : {}) };
  }
  if (typeof resolved === 'number' || typeof resolved === 'boolean') {
    const asText = String(resolved);
    const problems: TokenProblem[] = ['not-a-string'];
    addUnique(problems, ...tokenProblems(asText));
    return { ...base, value: new Secret(asText), problems, notes: [`is a JSON ${typeof resolved}, not a string: quote it`] };
  }
  if (resolved === null) {
    return { ...base, value: null, problems: ['not-a-string', 'literal-null'], notes: ['is JSON null: OpenClaw treats it as unset'] };
  }
  return { ...base, value: null, problems: ['not-a-string'], notes: [`is ${Array.isArray(resolved) ? 'an array' : 'an object that is not a SecretRef'}`] };
}
