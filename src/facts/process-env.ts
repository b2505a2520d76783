/**
 * Gateway credentials in the wizard's own environment: what a gateway or CLI started from this
 * shell would inherit.
 */
import { tokenProblems } from '../hygiene.js';
import { Secret } from '../secret.js';
import type { TokenSource } from '../types.js';
import { CREDENTIAL_VARIABLES, legacyNamesIn } from './credential-names.js';
import type { ProcessEnvFacts } from './types.js';

function envSource(env: NodeJS.ProcessEnv, spec: (typeof CREDENTIAL_VARIABLES)[number]): TokenSource | null {
  const value = env[spec.name];
  // Set-but-empty is kept: `export OPENCLAW_GATEWAY_TOKEN=` is a real mistake worth showing.
  if (value === undefined) return null;
  return {
    id: `env${spec.idSuffix}`,
    kind: 'process-env',
    label: `environment variable ${spec.name}`,
    variable: spec.name,
    credential: spec.credential,
    value: new Secret(value),
    problems: tokenProblems(value),
  };
}

export function readProcessEnv(env: NodeJS.ProcessEnv): ProcessEnvFacts {
  return {
    sources: CREDENTIAL_VARIABLES.map((spec) => envSource(env, spec)).filter((s): s is TokenSource => s !== null),
    port: env.OPENCLAW_GATEWAY_PORT ?? null,
    url: env.OPENCLAW_GATEWAY_URL ?? null,
    // OpenClaw ignores these since 2026; they explain "I set CLAWDBOT_GATEWAY_TOKEN and nothing changed".
    legacyNames: legacyNamesIn(Object.keys(env).filter((k) => env[k] !== undefined)),
  };
}
