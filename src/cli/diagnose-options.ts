/** The flags that say which OpenClaw install and gateway to look at, checked and turned into DiagnoseOptions. */
import { text as readStream } from 'node:stream/consumers';
import type { DiagnoseOptions } from '../diagnosis/types.js';
import { validateProfileName } from '../facts/paths.js';
import { parseGatewayUrl } from '../gateway/target-url.js';
import { Secret } from '../secret.js';
import { UsageError, type Io } from './core.js';
import type { CliValues } from './spec.js';

export function intOption(name: string, raw: string | undefined, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw)) throw new UsageError(`--${name} takes a whole number, got "${raw}"`);
  const n = Number(raw);
  if (n < min || n > max) throw new UsageError(`--${name} must be between ${min} and ${max}, got ${n}`);
  return n;
}

export async function diagnoseOptionsFrom(values: CliValues, io: Io): Promise<DiagnoseOptions> {
  if (values.dev && values.profile) throw new UsageError('--dev and --profile cannot be combined');
  // An invalid profile would otherwise fall back to the default config, and a fix would edit the wrong file.
  const badProfile = values.profile === undefined ? null : validateProfileName(values.profile);
  if (badProfile) throw new UsageError(badProfile);
  // The message never repeats a password or token the URL carried, and names the part that is wrong.
  let url: string | undefined;
  if (values.url) {
    const parsed = parseGatewayUrl(values.url);
    if (!parsed.ok) throw new UsageError(parsed.message);
    if (parsed.dropped.length) io.stderr.write(`Note: --url carried ${parsed.dropped.join(' and ')}; not used (give a token with --token-stdin).\n`);
    url = parsed.url.toString();
  }
  let userToken: Secret | undefined;
  if (values['token-stdin']) {
    if (io.stdin.isTTY) throw new UsageError('--token-stdin reads the token from a pipe, e.g. `pbpaste | openclaw-token-wizard diagnose --token-stdin`');
    const raw = await readStream(io.stdin);
    userToken = new Secret(raw.replace(/\r?\n$/, ''));
  }
  return {
    env: io.env,
    cwd: io.cwd,
    timeoutMs: intOption('timeout', values.timeout, 50, 120_000) ?? 2000,
    configFlag: values.config,
    profile: values.profile,
    dev: values.dev,
    port: intOption('port', values.port, 1, 65535),
    url,
    composeFile: values['compose-file'],
    container: values.container,
    logFile: values['log-file'],
    userToken,
    // A dry run writes nothing, not even the wizard's own memory of refusals.
    rememberRefusals: !values['dry-run'],
    ...(values['allow-insecure-ws'] ? { allowInsecureWs: true } : {}),
  };
}
