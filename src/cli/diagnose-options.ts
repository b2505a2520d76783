/** The flags that say which OpenClaw install and gateway to look at, checked and turned into DiagnoseOptions. */
import { text as readStream } from 'node:stream/consumers';
import type { DiagnoseOptions } from '../diagnosis/types.js';
import { Secret } from '../secret.js';
import { UsageError, type Io } from './core.js';
import type { CliValues } from './spec.js';

function intOption(name: string, raw: string | undefined, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw)) throw new UsageError(`--${name} takes a whole number, got "${raw}"`);
  const n = Number(raw);
  if (n < min || n > max) throw new UsageError(`--${name} must be between ${min} and ${max}, got ${n}`);
  return n;
}

export async function diagnoseOptionsFrom(values: CliValues, io: Io): Promise<DiagnoseOptions> {
  if (values.dev && values.profile) throw new UsageError('--dev and --profile cannot be combined');
  if (values.url) {
    try {
      const u = new URL(values.url);
      if (!['ws:', 'wss:', 'http:', 'https:'].includes(u.protocol)) throw new Error('scheme');
    } catch {
      throw new UsageError(`--url must be a ws://, wss://, http:// or https:// URL, got "${values.url}"`);
    }
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
    url: values.url,
    composeFile: values['compose-file'],
    container: values.container,
    logFile: values['log-file'],
    userToken,
  };
}
