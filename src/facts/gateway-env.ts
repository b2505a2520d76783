/**
 * The environment OpenClaw substitutes `${VAR}` from: before it reads its config, it loads the
 * working directory's `.env` (without the names a workspace may not set), then
 * `$STATE_DIR/.env` and, for the default state dir only, `~/.config/openclaw/gateway.env`
 * (src/infra/dotenv.ts, src/infra/dotenv-global.ts). None of them overrides a name that is
 * already set, and the first file to set a name wins. Read-only: the caller's env is copied.
 */
import { join, resolve } from 'node:path';
import { readBounded } from '../fs/read-bounded.js';
import { type EnvLine, envValues, parseEnvLines } from './env-lines.js';
import { isBlockedInWorkspaceDotenv } from './workspace-dotenv-blocklist.js';

/** OpenClaw's own limit for a dotenv file (MAX_DOTENV_FILE_BYTES). */
export const GATEWAY_DOTENV_MAX_BYTES = 1024 * 1024;

const PORTABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface GatewayEnvOptions {
  /** The working directory whose `.env` is loaded; null to skip it (a service's cwd is unknown). */
  cwd: string | null;
  /** The state dir the gateway uses (OpenClawPaths.stateDir). */
  stateDir: string;
  /** The effective home (OpenClawPaths.home), for the `~/.config/openclaw/gateway.env` fallback. */
  home: string | null;
}

export interface DotenvLoad {
  path: string;
  kind: 'workspace' | 'state' | 'gateway-env';
  /** Names this file supplied (not already set by the process or an earlier file). */
  applied: string[];
  /** Names present but ignored: a workspace `.env` may not set them. */
  blocked: string[];
  /** Why the file was not read (absent files are not errors and not listed). */
  error: string | null;
}

export interface GatewayEnv {
  env: NodeJS.ProcessEnv;
  /** Name → the dotenv file that supplied it (names the process env already had are absent). */
  origin: Map<string, string>;
  files: DotenvLoad[];
}

async function readDotenv(path: string, wanted: ReadonlySet<string> | null): Promise<{ lines: readonly EnvLine[]; error: string | null } | null> {
  const r = await readBounded(path, { maxBytes: GATEWAY_DOTENV_MAX_BYTES });
  if (!r.ok) return r.missing ? null : { lines: [], error: r.message };
  // A name is assigned only where it is spelled out: a file that spells none of the wanted names
  // supplies none of them, whatever its size.
  if (wanted && ![...wanted].some((n) => r.text.includes(n))) return { lines: [], error: null };
  // dotenv.parse's names and values, read in linear time: dotenv's own regex rescans a run of
  // blank lines from each of its lines (4.8 s for a 50 KB file).
  return { lines: parseEnvLines(r.text), error: null };
}

/** The dotenv files in load order, as resolveGlobalDotEnvPaths picks them. */
export function gatewayDotenvPaths(opts: GatewayEnvOptions): Array<{ path: string; kind: DotenvLoad['kind'] }> {
  const out: Array<{ path: string; kind: DotenvLoad['kind'] }> = [];
  if (opts.cwd) out.push({ path: join(opts.cwd, '.env'), kind: 'workspace' });
  const stateEnv = join(opts.stateDir, '.env');
  out.push({ path: stateEnv, kind: 'state' });
  // gateway.env is only a fallback of the default state dir (~/.openclaw).
  if (opts.home && resolve(stateEnv) === resolve(join(opts.home, '.openclaw', '.env'))) {
    out.push({ path: join(opts.home, '.config', 'openclaw', 'gateway.env'), kind: 'gateway-env' });
  }
  return out;
}

/**
 * `wanted`: the only names the caller will look up (config.ts envNamesUsed); files that cannot
 * supply one are not parsed, and none is read when there is no name to look up. Null: every name.
 */
export async function loadGatewayEnv(base: NodeJS.ProcessEnv, opts: GatewayEnvOptions, wanted: ReadonlySet<string> | null = null): Promise<GatewayEnv> {
  const env: NodeJS.ProcessEnv = { ...base };
  const origin = new Map<string, string>();
  const files: DotenvLoad[] = [];
  if (wanted?.size === 0) return { env, origin, files };
  for (const { path, kind } of gatewayDotenvPaths(opts)) {
    const read = await readDotenv(path, wanted);
    if (!read) continue;
    const load: DotenvLoad = { path, kind, applied: [], blocked: [], error: read.error };
    // What dotenv.parse returns: the last assignment of a name wins.
    for (const [name, value] of Object.entries(envValues(read.lines))) {
      if (!PORTABLE_NAME.test(name)) continue;
      if (kind === 'workspace' && isBlockedInWorkspaceDotenv(name)) {
        load.blocked.push(name);
        continue;
      }
      if (env[name] !== undefined) continue;
      env[name] = value;
      origin.set(name, path);
      load.applied.push(name);
    }
    files.push(load);
  }
  return { env, origin, files };
}
