/**
 * Gateway credentials in the wizard's own environment: what a gateway or CLI started from this
 * shell would inherit.
 */
import { tokenProblems } from '../hygiene.js';
import { Secret } from '../secret.js';
import type { TokenSource } from '../types.js';
import type { ProcessEnvFacts } from './types.js';

const LEGACY = /^(CLAWDBOT|MOLTBOT)_/;

function envSource(env: NodeJS.ProcessEnv, name: string, id: string, credential: 'token' | 'password'): TokenSource | null {
  const value = env[name];
  // Set-but-empty is kept: `export OPENCLAW_GATEWAY_TOKEN=` is a real mistake worth showing.
  if (value === undefined) return null;
  return {
    id,
    kind: 'process-env',
    label: `environment variable ${name}`,
    variable: name,
    credential,
    value: new Secret(value),
    problems: tokenProblems(value),
  };
}

export function readProcessEnv(env: NodeJS.ProcessEnv): ProcessEnvFacts {
  const sources = [
    envSource(env, 'OPENCLAW_GATEWAY_TOKEN', 'env', 'token'),
    envSource(env, 'OPENCLAW_GATEWAY_PASSWORD', 'env:password', 'password'),
  ].filter((s): s is TokenSource => s !== null);
  return {
    sources,
    port: env.OPENCLAW_GATEWAY_PORT ?? null,
    url: env.OPENCLAW_GATEWAY_URL ?? null,
    // OpenClaw ignores these since 2026; they explain "I set CLAWDBOT_GATEWAY_TOKEN and nothing changed".
    legacyNames: Object.keys(env)
      .filter((k) => LEGACY.test(k) && env[k] !== undefined)
      .sort(),
  };
}
