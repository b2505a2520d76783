/**
 * The one table of environment variable names that carry a gateway credential. Every reader
 * (process env, .env files, compose, service definitions, docker) takes its names from here, so
 * a name added or retired is added or retired everywhere at once.
 */

export type CredentialKind = 'token' | 'password';

export interface CredentialVariable {
  name: string;
  credential: CredentialKind;
  /** Appended to a source id for the password variant (`env` / `env:password`). */
  idSuffix: '' | ':password';
}

/** The names OpenClaw 2026.9.6 reads. */
export const CREDENTIAL_VARIABLES = [
  { name: 'OPENCLAW_GATEWAY_TOKEN', credential: 'token', idSuffix: '' },
  { name: 'OPENCLAW_GATEWAY_PASSWORD', credential: 'password', idSuffix: ':password' },
] as const satisfies readonly CredentialVariable[];

export type CredentialVariableName = (typeof CREDENTIAL_VARIABLES)[number]['name'];

/**
 * Names earlier releases read and OpenClaw now ignores (it only warns about them). Setting one of
 * these is a classic "I set the token and nothing changed".
 */
export const LEGACY_CREDENTIAL_VARIABLES = [
  { name: 'CLAWDBOT_GATEWAY_TOKEN', credential: 'token', replacedBy: 'OPENCLAW_GATEWAY_TOKEN' },
  { name: 'CLAWDBOT_GATEWAY_PASSWORD', credential: 'password', replacedBy: 'OPENCLAW_GATEWAY_PASSWORD' },
  { name: 'MOLTBOT_GATEWAY_TOKEN', credential: 'token', replacedBy: 'OPENCLAW_GATEWAY_TOKEN' },
  { name: 'MOLTBOT_GATEWAY_PASSWORD', credential: 'password', replacedBy: 'OPENCLAW_GATEWAY_PASSWORD' },
] as const satisfies ReadonlyArray<{ name: string; credential: CredentialKind; replacedBy: CredentialVariableName }>;

/** Prefixes of every legacy name (not only the credential ones): OpenClaw ignores the whole namespace. */
export const LEGACY_PREFIXES = ['CLAWDBOT_', 'MOLTBOT_'] as const;

const BY_NAME: ReadonlyMap<string, (typeof CREDENTIAL_VARIABLES)[number]> = new Map(CREDENTIAL_VARIABLES.map((v) => [v.name, v]));

export function isCredentialName(name: string): name is CredentialVariableName {
  return BY_NAME.has(name);
}

export function credentialOf(name: CredentialVariableName): CredentialKind {
  return BY_NAME.get(name)!.credential;
}

export function credentialVariable(name: CredentialVariableName): (typeof CREDENTIAL_VARIABLES)[number] {
  return BY_NAME.get(name)!;
}

/** A CLAWDBOT_* / MOLTBOT_* name, which OpenClaw ignores. */
export function isLegacyName(name: string): boolean {
  return LEGACY_PREFIXES.some((p) => name.startsWith(p));
}

/** The sorted, de-duplicated legacy names among `names`. */
export function legacyNamesIn(names: Iterable<string>): string[] {
  return [...new Set([...names].filter(isLegacyName))].sort();
}
