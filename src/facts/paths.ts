/**
 * Where OpenClaw looks for its state, config, port and log, resolved the way OpenClaw 2026.9.6
 * does it (src/config/paths.ts, src/config/state-dir.ts, src/cli/profile.ts,
 * src/logging/log-file-path.ts, packages/normalization-core/src/home-dir.ts). Read-only: the only
 * filesystem access is the injectable `exists` check.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { homedir as osHomedirDefault, tmpdir as osTmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import type { OpenClawPaths } from './types.js';

export const DEFAULT_GATEWAY_PORT = 18789;
export const DEV_GATEWAY_PORT = 19001;
const CONFIG_FILENAME = 'openclaw.json';
const LEGACY_CONFIG_FILENAME = 'clawdbot.json';
const STATE_DIRNAME = '.openclaw';
const LEGACY_STATE_DIRNAME = '.clawdbot';

export interface ResolvePathsOptions {
  env: NodeJS.ProcessEnv;
  /** The wizard's own `--config <path>`: beats everything, like OPENCLAW_CONFIG_PATH. */
  configFlag?: string;
  /** `--profile <name>` as given to the wizard, meaning "the OpenClaw profile I run with". */
  profile?: string;
  /** `--dev`: the `dev` profile. */
  dev?: boolean;
  exists?: (p: string) => boolean;
  /** For tests: what os.homedir() would say (it reads the real process env, not `env`). */
  osHomedir?: () => string | null;
  /** For tests: OpenClaw falls back to the working directory when no home is known. */
  cwd?: string;
}

/** OpenClaw's profile-name rule (src/cli/profile-utils.ts); the CLI rejects anything else. */
export function isValidProfileName(value: string): boolean {
  return /^[a-z0-9][a-z0-9_-]{0,63}$/i.test(value);
}

/** A command-line mistake: the CLI prints the message and exits 2, having changed nothing. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/**
 * Why `name` is not a profile OpenClaw accepts, or null when it is. Same rule and order as
 * OpenClaw's parseCliProfileArgs: the raw value, untrimmed (`--profile " work"` is refused there
 * too). `work.prod`, `../x` and the like must stop the wizard: ignoring them would diagnose and
 * edit the default profile's config instead.
 */
export function validateProfileName(name: string): string | null {
  if (!name) return '--profile requires a value';
  if (!isValidProfileName(name)) {
    return `invalid --profile ${JSON.stringify(name)}: use letters, digits, "_" and "-" only, starting with a letter or digit, at most 64 characters (OpenClaw refuses any other name)`;
  }
  return null;
}

/** A named (non-default) profile, or null: `default`, blank and invalid names are no profile. */
export function normalizeProfileName(raw: string | undefined | null): string | null {
  const p = raw?.trim();
  if (!p || p.toLowerCase() === 'default' || !isValidProfileName(p)) return null;
  return p;
}

function normalizeHomeValue(v: string | undefined | null): string | undefined {
  const t = v?.trim();
  return t && t !== 'undefined' && t !== 'null' ? t : undefined;
}

function safeCall(fn: () => string | null): string | undefined {
  try {
    return normalizeHomeValue(fn());
  } catch {
    return undefined;
  }
}

/**
 * OPENCLAW_HOME > HOME > USERPROFILE > os.homedir(). A `~` in OPENCLAW_HOME expands against the
 * OS home. (OpenClaw also knows Termux's PREFIX; the wizard does not target Android.)
 */
export function resolveHome(env: NodeJS.ProcessEnv, osHomedir: () => string | null = osHomedirDefault): { home: string | null; source: OpenClawPaths['homeSource'] } {
  const rawOs = (): { dir: string; source: 'HOME' | 'USERPROFILE' | 'os.homedir' } | null => {
    const h = normalizeHomeValue(env.HOME);
    if (h) return { dir: h, source: 'HOME' };
    const u = normalizeHomeValue(env.USERPROFILE);
    if (u) return { dir: u, source: 'USERPROFILE' };
    const o = safeCall(osHomedir);
    return o ? { dir: o, source: 'os.homedir' } : null;
  };
  const explicit = normalizeHomeValue(env.OPENCLAW_HOME);
  if (explicit) {
    if (explicit === '~' || explicit.startsWith('~/') || explicit.startsWith('~\\')) {
      const os = rawOs();
      if (!os) return { home: null, source: 'missing' };
      return { home: resolve(explicit.replace(/^~(?=$|[\\/])/, () => os.dir)), source: 'OPENCLAW_HOME' };
    }
    return { home: resolve(explicit), source: 'OPENCLAW_HOME' };
  }
  const os = rawOs();
  return os ? { home: resolve(os.dir), source: os.source } : { home: null, source: 'missing' };
}

/** OpenClaw's resolveUserPath: trim, expand a leading `~` against the effective home, absolutize. */
export function resolveUserPath(input: string, home: string): string {
  const t = input.trim();
  if (!t) return t;
  return resolve(t.startsWith('~') ? t.replace(/^~(?=$|[\\/])/, () => home) : t);
}

function defaultExists(p: string): boolean {
  try {
    return existsSync(p);
  } catch {
    return false;
  }
}

/**
 * Decision on profiles, from OpenClaw's own code rather than its docs: only a `--profile`/`--dev`
 * flag moves the state dir and config (entry.js calls applyCliProfileEnv only when argv has the
 * flag). An `OPENCLAW_PROFILE` left in the environment does NOT select `~/.openclaw-<name>`; it
 * only names the log file, the derived port and the service. The flag keeps a user-set
 * OPENCLAW_STATE_DIR / OPENCLAW_CONFIG_PATH unless those point at the previous profile's
 * defaults, exactly as applyCliProfileEnv does. `--dev` together with another `--profile` is an
 * error in OpenClaw and a UsageError here (`--profile dev --dev` names one profile and is allowed).
 * An invalid profile name (OpenClaw refuses it) is a UsageError, so it can never build a path
 * like `~/.openclaw-../x` nor silently fall back to the default profile.
 */
export function resolveOpenClawPaths(opts: ResolvePathsOptions): OpenClawPaths {
  if (opts.profile !== undefined) {
    const bad = validateProfileName(opts.profile);
    if (bad) throw new UsageError(bad);
    if (opts.dev && opts.profile !== 'dev') throw new UsageError('--dev and --profile cannot be combined');
  }
  const exists = opts.exists ?? defaultExists;
  const { home, source: homeSource } = resolveHome(opts.env, opts.osHomedir ?? osHomedirDefault);
  // resolveRequiredHomeDir: no home at all → the working directory.
  const baseHome = home ?? resolve(opts.cwd ?? safeCwd());
  const env: NodeJS.ProcessEnv = { ...opts.env };

  let flagProfile: string | null = null;
  if (opts.dev) flagProfile = 'dev';
  else if (opts.profile !== undefined) flagProfile = opts.profile;

  let stateDirFromProfile = false;
  let configFromProfile = false;
  if (flagProfile) {
    const r = applyProfileFlag(flagProfile, env, baseHome);
    stateDirFromProfile = r.stateDirSet;
    configFromProfile = r.configSet;
  }

  const envProfile = normalizeProfileName(opts.env.OPENCLAW_PROFILE);
  const profile = flagProfile ? normalizeProfileName(flagProfile) : envProfile;
  const profileSource: OpenClawPaths['profileSource'] = flagProfile ? (profile ? 'flag' : null) : envProfile ? 'env' : null;

  // State dir (resolveStateDir): OPENCLAW_STATE_DIR, else ~/.openclaw, else an existing ~/.clawdbot.
  const newDir = join(baseHome, STATE_DIRNAME);
  const legacyDir = join(baseHome, LEGACY_STATE_DIRNAME);
  let stateDir: string;
  let stateDirSource: OpenClawPaths['stateDirSource'];
  const stateOverride = env.OPENCLAW_STATE_DIR?.trim();
  if (stateOverride) {
    stateDir = resolveUserPath(stateOverride, baseHome);
    stateDirSource = stateDirFromProfile ? 'profile' : 'OPENCLAW_STATE_DIR';
  } else if (!exists(newDir) && exists(legacyDir)) {
    stateDir = legacyDir;
    stateDirSource = 'legacy';
  } else {
    stateDir = newDir;
    stateDirSource = 'default';
  }

  // Config path (resolveConfigPathCandidate): an explicit path is exclusive, even if missing.
  const base = { home, homeSource, stateDir, stateDirSource, profile, profileSource };
  if (opts.configFlag?.trim()) {
    const configPath = resolveUserPath(opts.configFlag, baseHome);
    return { ...base, configPath, configPathSource: '--config', legacy: stateDirSource === 'legacy' };
  }
  const explicit = env.OPENCLAW_CONFIG_PATH?.trim();
  if (explicit) {
    const configPath = resolveUserPath(explicit, baseHome);
    return {
      ...base,
      configPath,
      configPathSource: configFromProfile ? 'profile' : 'OPENCLAW_CONFIG_PATH',
      legacy: stateDirSource === 'legacy' || basename(configPath) === LEGACY_CONFIG_FILENAME,
    };
  }

  // First existing candidate wins. Note the default dirs stay candidates even with
  // OPENCLAW_STATE_DIR set, and ~/.clawdbot/* is a candidate even when ~/.openclaw exists.
  const candidates: Array<{ path: string; source: OpenClawPaths['configPathSource']; legacy: boolean }> = [];
  if (stateOverride) {
    const src = stateDirFromProfile ? 'profile' : 'state-dir';
    candidates.push({ path: join(stateDir, CONFIG_FILENAME), source: src, legacy: false });
    candidates.push({ path: join(stateDir, LEGACY_CONFIG_FILENAME), source: src, legacy: true });
  }
  candidates.push({ path: join(newDir, CONFIG_FILENAME), source: 'default', legacy: false });
  candidates.push({ path: join(newDir, LEGACY_CONFIG_FILENAME), source: 'legacy', legacy: true });
  candidates.push({ path: join(legacyDir, CONFIG_FILENAME), source: 'legacy', legacy: true });
  candidates.push({ path: join(legacyDir, LEGACY_CONFIG_FILENAME), source: 'legacy', legacy: true });
  const found = candidates.find((c) => exists(c.path));
  if (found) {
    return { ...base, configPath: found.path, configPathSource: found.source, legacy: found.legacy || stateDirSource === 'legacy' };
  }
  const canonicalSource: OpenClawPaths['configPathSource'] = stateOverride ? (stateDirFromProfile ? 'profile' : 'state-dir') : stateDirSource === 'legacy' ? 'legacy' : 'default';
  return {
    ...base,
    configPath: join(stateDir, CONFIG_FILENAME),
    configPathSource: canonicalSource,
    legacy: stateDirSource === 'legacy',
  };
}

function safeCwd(): string {
  try {
    return process.cwd();
  } catch {
    return '/';
  }
}

/** src/cli/profile.ts applyCliProfileEnv, minus the managed-service selector bookkeeping. */
function applyProfileFlag(profile: string, env: NodeJS.ProcessEnv, home: string): { stateDirSet: boolean; configSet: boolean } {
  const profileDir = (name: string): string => join(home, name.toLowerCase() === 'default' ? STATE_DIRNAME : `${STATE_DIRNAME}-${name}`);
  const inheritedName = env.OPENCLAW_PROFILE?.trim() || 'default';
  const inheritedDir = isValidProfileName(inheritedName) ? profileDir(inheritedName) : profileDir('default');
  const selectedDir = profileDir(profile);
  const switches = inheritedDir !== selectedDir;
  const existingState = env.OPENCLAW_STATE_DIR?.trim() || undefined;
  const existingConfig = env.OPENCLAW_CONFIG_PATH?.trim() || undefined;
  const switchesInheritedState = Boolean(existingState && switches && resolveUserPath(existingState, home) === inheritedDir);
  const replacesInheritedConfig = Boolean(switches && (!existingState || switchesInheritedState) && existingConfig && resolveUserPath(existingConfig, home) === join(inheritedDir, CONFIG_FILENAME));
  env.OPENCLAW_PROFILE = profile;
  const stateDir = existingState && !switchesInheritedState ? existingState : selectedDir;
  let stateDirSet = false;
  if (!existingState || switchesInheritedState) {
    env.OPENCLAW_STATE_DIR = stateDir;
    stateDirSet = true;
  }
  let configSet = false;
  if (!existingConfig || replacesInheritedConfig) {
    env.OPENCLAW_CONFIG_PATH = join(resolveUserPath(stateDir, home), CONFIG_FILENAME);
    configSet = true;
  }
  return { stateDirSet, configSet };
}

/** FNV-1a 32-bit over the UTF-8 bytes, as resolveGatewayPort hashes profile names. */
export function fnv1a32(text: string): number {
  let hash = 2166136261;
  for (const byte of Buffer.from(text, 'utf8')) hash = Math.imul(hash ^ byte, 16777619) >>> 0;
  return hash;
}

/** The port a named profile derives: 20000..59999. */
export function profilePort(profile: string): number {
  return 20000 + (fnv1a32(profile) % 40000);
}

/** OPENCLAW_GATEWAY_PORT accepts `18789`, `host:18789` and `[v6]:18789`; anything else is ignored. */
export function parseGatewayPortEnv(raw: string | undefined): number | null {
  const t = raw?.trim();
  if (!t) return null;
  let digits: string | undefined;
  if (/^\d+$/.test(t)) digits = t;
  else {
    const v6 = /^\[[^\]]+\]:(\d+)$/.exec(t);
    if (v6) digits = v6[1];
    else {
      const first = t.indexOf(':');
      if (first > 0 && first === t.lastIndexOf(':') && /^\d+$/.test(t.slice(first + 1))) digits = t.slice(first + 1);
    }
  }
  if (digits === undefined) return null;
  const n = Number(digits);
  return Number.isSafeInteger(n) && n > 0 && n <= 65535 ? n : null;
}

/**
 * The gateway port, in OpenClaw's order: `--port`, OPENCLAW_GATEWAY_PORT, the dev profile's 19001
 * (applyCliProfileEnv writes it into OPENCLAW_GATEWAY_PORT, so it beats gateway.port),
 * gateway.port, a named profile's hash, 18789.
 *
 * `profile` is the effective profile (OpenClawPaths.profile). The dev rule applies only when it
 * came from a flag: pass `profileSource` from OpenClawPaths; when omitted a `dev` profile is
 * taken to come from `--dev`. With only OPENCLAW_PROFILE=dev in the environment OpenClaw hashes
 * "dev" like any named profile, after gateway.port.
 */
export function resolveGatewayPort(opts: { flag?: number; env: NodeJS.ProcessEnv; configPort: number | null; profile: string | null; profileSource?: 'flag' | 'env' | null }): {
  port: number;
  source: 'flag' | 'env' | 'config' | 'profile' | 'dev' | 'default';
} {
  if (opts.flag !== undefined && Number.isInteger(opts.flag) && opts.flag > 0 && opts.flag <= 65535) {
    return { port: opts.flag, source: 'flag' };
  }
  const envPort = parseGatewayPortEnv(opts.env.OPENCLAW_GATEWAY_PORT);
  if (envPort !== null) return { port: envPort, source: 'env' };
  const profile = normalizeProfileName(opts.profile ?? undefined) ?? normalizeProfileName(opts.env.OPENCLAW_PROFILE);
  if (profile === 'dev' && opts.profile === 'dev' && (opts.profileSource ?? 'flag') === 'flag') {
    return { port: DEV_GATEWAY_PORT, source: 'dev' };
  }
  if (typeof opts.configPort === 'number' && Number.isFinite(opts.configPort) && opts.configPort > 0) {
    return { port: opts.configPort, source: 'config' };
  }
  if (profile) return { port: profilePort(profile), source: 'profile' };
  return { port: DEFAULT_GATEWAY_PORT, source: 'default' };
}

/** `YYYY-MM-DD` in local time, as the gateway names its rolling log. */
export function formatLocalDate(date: Date): string {
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
}

/**
 * The profile part of a log file name (src/logging/log-file-path.ts): lowercase letters and
 * digits as is, `-` → `--`, `_` → `-0`, `A` → `-1a`, others `-2<hex>-`. Keeps names of
 * different profiles apart on case-insensitive filesystems.
 */
export function encodeLogProfileSegment(profile: string): string {
  let out = '';
  for (const ch of profile) {
    if (/^[a-z0-9]$/.test(ch)) out += ch;
    else if (ch === '-') out += '--';
    else if (ch === '_') out += '-0';
    else if (/^[A-Z]$/.test(ch)) out += `-1${ch.toLowerCase()}`;
    else out += `-2${ch.codePointAt(0)?.toString(16) ?? '0'}-`;
  }
  return out;
}

function logProfileSegment(profile: string): string {
  const encoded = encodeLogProfileSegment(profile);
  return encoded.length <= 220 ? encoded : `-3${createHash('sha256').update(profile).digest('hex')}`;
}

const ROLLING_LOG_RE = /^(openclaw(?:-[a-z0-9-]+)?)-(\d{4}-\d{2}-\d{2})\.log$/;

/**
 * Where the gateway's log for `date` should be, most likely first. A configured logging.file is
 * the only candidate (`~` expanded against `home`; the legacy `openclaw-YYYY-MM-DD.log` shape is
 * rolled to `date` as OpenClaw does). Otherwise `/tmp/openclaw/…`, then the per-user fallback
 * `os.tmpdir()/openclaw-<uid>/…` OpenClaw uses when /tmp/openclaw is unsafe.
 */
export function resolveLogFile(opts: { configLogFile: string | null; profile: string | null; date?: Date; tmpdir?: string; uid?: number; home?: string | null }): string[] {
  const date = opts.date ?? new Date();
  const day = formatLocalDate(date);
  const configured = opts.configLogFile?.trim();
  if (configured) {
    const expanded = opts.home && configured.startsWith('~') ? configured.replace(/^~(?=$|[\\/])/, () => opts.home as string) : configured;
    const base = basename(expanded);
    const m = ROLLING_LOG_RE.exec(base);
    if (base === 'openclaw-YYYY-MM-DD.log' || m?.[1] === 'openclaw') {
      return [join(dirname(expanded), `openclaw-${day}.log`)];
    }
    return [expanded];
  }
  // Unlike the port, the log name takes any non-default OPENCLAW_PROFILE, valid or not.
  const profile = opts.profile?.trim();
  const segment = profile && profile.toLowerCase() !== 'default' ? logProfileSegment(profile) : null;
  const name = `openclaw${segment ? `-${segment}` : ''}-${day}.log`;
  const uid = opts.uid ?? (typeof process.getuid === 'function' ? process.getuid() : undefined);
  const fallbackDir = join(opts.tmpdir ?? osTmpdir(), uid === undefined ? 'openclaw' : `openclaw-${uid}`);
  const out = [join('/tmp/openclaw', name), join(fallbackDir, name)];
  return [...new Set(out)];
}
