/**
 * The OpenClaw config file (JSON5), read the way OpenClaw reads it: `${VAR}` substitution on
 * string values (from the environment plus the dotenv files OpenClaw loads), SecretRefs resolved
 * where that is harmless (env, file; never exec), the `env` block in both of its shapes.
 * Only the parts that matter for gateway auth are kept.
 */
import { stat } from 'node:fs/promises';
import JSON5 from 'json5';
import { displayHome, tildify } from '../paths-display.js';
import { readBounded } from '../fs/read-bounded.js';
import type { TokenSource } from '../types.js';
import { asSecretRef, type CredentialSpec, credentialSource } from './config-credentials.js';
import { keyLines, nestingDepth } from './config-lines.js';
import { type Json, type JsonObject, substituteTree } from './env-substitution.js';
import { type GatewayEnvOptions, loadGatewayEnv } from './gateway-env.js';
import { resolveHome } from './paths.js';
import { listClobberedCopies } from './clobbered-copies.js';
import { coerceSecretRef, envShorthandName, resolveSecretRef, type SecretRefOutcome } from './secret-refs.js';
import type { ConfigFacts, ConfigParseError, EnvOrigin, GatewayConfigFacts, SecretRefFact, SecretRefInfo } from './types.js';

export { substituteEnvVars } from './env-substitution.js';
export { keyLines } from './config-lines.js';
export { asSecretRef } from './config-credentials.js';

/** Far above any real config; a bigger file is not one a person wrote by hand. */
export const MAX_CONFIG_BYTES = 5 * 1024 * 1024;

/**
 * Real configs nest a handful of levels. The reader copes with far more (nothing here recurses),
 * but a file nested deeper than this costs seconds to parse for nothing, so it is reported instead.
 */
export const MAX_CONFIG_DEPTH = 10_000;

type Obj = JsonObject;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function get(root: unknown, path: string[]): Json | undefined {
  let cur: unknown = root;
  for (const k of path) {
    if (!isObj(cur) || !Object.hasOwn(cur, k)) return undefined;
    cur = cur[k];
  }
  return cur as Json;
}

function str(v: Json | undefined): string | null {
  return typeof v === 'string' ? v : null;
}

function num(v: Json | undefined): number | null {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : null;
}

export function emptyGatewayFacts(): GatewayConfigFacts {
  return {
    mode: null,
    bind: null,
    port: null,
    customBindHost: null,
    tlsEnabled: false,
    basePath: null,
    authMode: null,
    hasToken: false,
    hasPassword: false,
    tokenSecretRef: null,
    remoteUrl: null,
    hasRemoteToken: false,
    allowedOrigins: [],
    misplacedAgentsGateway: false,
    misplacedHasToken: false,
  };
}

function emptyFacts(path: string, exists: boolean, error: ConfigParseError | null): ConfigFacts {
  return {
    path,
    exists,
    error,
    isPlainJson: false,
    gateway: emptyGatewayFacts(),
    logFile: null,
    envBlockNames: [],
    sources: [],
    unresolvedVars: [],
    secretRefs: [],
  };
}

// ---------------------------------------------------------------------------------------------

function locate(err: unknown): ConfigParseError {
  const e = err as { message?: string; lineNumber?: number; columnNumber?: number };
  let message = String(e?.message ?? err).replace(/^JSON5: /, '');
  // json5 ends its message with ` at LINE:COL`; line and column are reported separately.
  if (typeof e?.lineNumber === 'number') message = message.replace(/ at \d+:\d+$/, '');
  const out: ConfigParseError = { message: `not valid JSON5: ${message}` };
  if (typeof e?.lineNumber === 'number') out.line = e.lineNumber;
  if (typeof e?.columnNumber === 'number') out.column = e.columnNumber;
  return out;
}

type Parsed = { parsed: Obj; body: string; isPlainJson: boolean };

/** Text → object, or the reason it is not a usable config. Never throws. */
function parseJson5Object(text: string): Parsed | ConfigParseError {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '') return { message: 'the file is empty (OpenClaw needs at least `{}`)', line: 1, column: 1 };
  if (nestingDepth(body, MAX_CONFIG_DEPTH) > MAX_CONFIG_DEPTH) {
    return { message: `not read: nested more than ${MAX_CONFIG_DEPTH} levels deep (a hand-written config nests a few levels)` };
  }
  let parsed: Json;
  try {
    parsed = JSON5.parse<Json>(body);
  } catch (err) {
    // A parser that recursed would give up on deep nesting with a RangeError: a fact, not a crash.
    if (err instanceof RangeError) return { message: `not readable as JSON5: nested too deeply (${err.message})` };
    return locate(err);
  }
  if (!isObj(parsed)) {
    const what = Array.isArray(parsed) ? 'an array' : parsed === null ? 'null' : `a ${typeof parsed}`;
    return { message: `the top level is ${what}, not an object` };
  }
  let isPlainJson = false;
  try {
    JSON.parse(body);
    isPlainJson = true;
  } catch {
    isPlainJson = false;
  }
  return { parsed, body, isPlainJson };
}

function gatewayFacts(cfg: Obj, parsed: Obj): GatewayConfigFacts {
  const gw = get(cfg, ['gateway']);
  const g = emptyGatewayFacts();
  if (isObj(gw)) {
    g.mode = str(gw.mode);
    g.bind = str(gw.bind);
    const port = gw.port;
    g.port = typeof port === 'number' && Number.isFinite(port) && port > 0 ? port : null;
    g.customBindHost = str(gw.customBindHost);
    g.tlsEnabled = get(gw, ['tls', 'enabled']) === true;
    g.basePath = str(get(gw, ['controlUi', 'basePath']));
    g.authMode = str(get(gw, ['auth', 'mode']));
    const token = get(gw, ['auth', 'token']);
    g.hasToken = token !== undefined && token !== null;
    const password = get(gw, ['auth', 'password']);
    g.hasPassword = password !== undefined && password !== null;
    g.tokenSecretRef = asSecretRef(get(parsed, ['gateway', 'auth', 'token']));
    g.remoteUrl = str(get(gw, ['remote', 'url']));
    const remoteToken = get(gw, ['remote', 'token']);
    g.hasRemoteToken = remoteToken !== undefined && remoteToken !== null;
    const origins = get(gw, ['controlUi', 'allowedOrigins']);
    g.allowedOrigins = Array.isArray(origins) ? origins.filter((o): o is string => typeof o === 'string') : [];
    const limit = get(gw, ['auth', 'rateLimit']);
    if (isObj(limit)) g.rateLimit = { maxAttempts: num(limit.maxAttempts), windowMs: num(limit.windowMs), lockoutMs: num(limit.lockoutMs) };
  }
  g.misplacedAgentsGateway = get(cfg, ['agents', 'gateway']) !== undefined;
  const misplacedToken = get(cfg, ['agents', 'gateway', 'auth', 'token']);
  g.misplacedHasToken = misplacedToken !== undefined && misplacedToken !== null;
  return g;
}

interface EnvBlock {
  names: Set<string>;
  tokenPath: string[] | null;
  passwordPath: string[] | null;
  /** Values OpenClaw applies to its environment before substituting (no `${...}` inside). */
  applied: Map<string, string>;
}

const PORTABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The env block: `env: { vars: {...} }` and/or string entries directly under `env`
 * (src/config/config-env-vars.ts); direct entries win over `vars`, `shellEnv` is not a var.
 */
function readEnvBlock(parsed: Obj): EnvBlock {
  const block: EnvBlock = { names: new Set(), tokenPath: null, passwordPath: null, applied: new Map() };
  const envBlock = get(parsed, ['env']);
  if (!isObj(envBlock)) return block;
  const take = (k: string, v: Json, path: string[]): void => {
    if (typeof v !== 'string' && typeof v !== 'number') return;
    block.names.add(k);
    if (k === 'OPENCLAW_GATEWAY_TOKEN') block.tokenPath = path;
    if (k === 'OPENCLAW_GATEWAY_PASSWORD') block.passwordPath = path;
    if (typeof v === 'string' && v.trim() && PORTABLE_NAME.test(k) && !v.includes('${')) block.applied.set(k, v);
  };
  const vars = envBlock.vars;
  if (isObj(vars)) for (const [k, v] of Object.entries(vars)) take(k, v, ['env', 'vars', k]);
  for (const [k, v] of Object.entries(envBlock)) if (k !== 'vars' && k !== 'shellEnv') take(k, v, ['env', k]);
  return block;
}

function credentialSpecs(block: EnvBlock): CredentialSpec[] {
  const specs: CredentialSpec[] = [
    { id: 'config', kind: 'config', variable: 'gateway.auth.token', credential: 'token', path: ['gateway', 'auth', 'token'] },
    { id: 'config:password', kind: 'config', variable: 'gateway.auth.password', credential: 'password', path: ['gateway', 'auth', 'password'] },
    { id: 'config-remote', kind: 'config-remote', variable: 'gateway.remote.token', credential: 'token', path: ['gateway', 'remote', 'token'] },
    { id: 'config:misplaced', kind: 'config', variable: 'agents.gateway.auth.token', credential: 'token', path: ['agents', 'gateway', 'auth', 'token'] },
  ];
  if (block.tokenPath) specs.push({ id: 'config-env', kind: 'config-env', variable: 'OPENCLAW_GATEWAY_TOKEN', credential: 'token', path: block.tokenPath });
  if (block.passwordPath) {
    specs.push({ id: 'config-env:password', kind: 'config-env', variable: 'OPENCLAW_GATEWAY_PASSWORD', credential: 'password', path: block.passwordPath });
  }
  return specs;
}

export interface ParseConfigOptions {
  /** Names in `env` that came from a dotenv file OpenClaw loads (see loadGatewayEnv), for notes. */
  envOrigin?: EnvOrigin;
  /** The effective home, for `~` in a file SecretRef provider's path (default: env HOME). */
  home?: string | null;
  /** The uid a file SecretRef must be owned by (default: ours). */
  uid?: number | null;
}

/**
 * The environment `${VAR}` is filled from: `env` (already holding what dotenv files supplied),
 * then the config's own env block for names still unset (docs/help/environment.md order).
 */
function substitutionEnv(env: NodeJS.ProcessEnv, block: EnvBlock, origin: Map<string, string>, fileLabel: string): NodeJS.ProcessEnv {
  if (!block.applied.size) return env;
  const out = { ...env };
  for (const [k, v] of block.applied) {
    if (out[k] !== undefined) continue;
    out[k] = v;
    origin.set(k, `the env block of ${fileLabel}`);
  }
  return out;
}

/**
 * Parse config text. The environment is consulted for `${VAR}` substitution and env SecretRefs;
 * the only other input is the file a `file` SecretRef names (read bounded, OpenClaw's rules).
 */
export function parseConfigText(text: string, env: NodeJS.ProcessEnv, path: string, opts: ParseConfigOptions = {}): ConfigFacts {
  return configFactsFrom(parseJson5Object(text), env, path, opts);
}

/**
 * The environment names the parsed config can look up: `${NAME}` in a string, an env SecretRef's
 * id (as written: OpenClaw fills no `${}` into a ref) and the `$NAME` shorthand. The gateway's .env
 * files are parsed only for these, so a `.env` of 10 000 names the config never uses costs a
 * substring search. Iterative: a config nested thousands of levels deep is a fact, not a stack
 * overflow (D1).
 */
function envNamesUsed(tree: Json): Set<string> {
  const names = new Set<string>();
  const stack: Json[] = [tree];
  while (stack.length) {
    const node = stack.pop()!;
    if (typeof node === 'string') {
      if (!node.includes('$')) continue;
      for (const m of node.matchAll(/\$\{([A-Z_][A-Z0-9_]*)\}/g)) names.add(m[1]!);
      const short = envShorthandName(node);
      if (short) names.add(short);
    } else if (Array.isArray(node)) {
      for (const v of node) stack.push(v);
    } else if (isObj(node)) {
      if (node.source === 'env' && typeof node.id === 'string') names.add(node.id.trim());
      for (const v of Object.values(node)) stack.push(v);
    }
  }
  return names;
}

function configFactsFrom(p: Parsed | ConfigParseError, env: NodeJS.ProcessEnv, path: string, opts: ParseConfigOptions): ConfigFacts {
  if (!('parsed' in p)) return emptyFacts(path, true, p);
  const { parsed, body, isPlainJson } = p;
  const fileLabel = tildify(path, displayHome(env));
  const block = readEnvBlock(parsed);
  // The env block only fills names the environment lacks, so its names and opts.envOrigin's never meet.
  const blockOrigin = new Map<string, string>();
  const envOrigin: EnvOrigin = { get: (name) => blockOrigin.get(name) ?? opts.envOrigin?.get(name) };
  const subEnv = substitutionEnv(env, block, blockOrigin, fileLabel);
  const { value: substituted, missing, used } = substituteTree(parsed, subEnv);
  const cfg = substituted as Obj;
  const lines = keyLines(body);

  const secretRefs: SecretRefFact[] = [];
  const refCtx = { config: cfg, env: subEnv, envOrigin, home: opts.home ?? resolveHome(env).home ?? '/', uid: opts.uid ?? process.getuid?.() ?? null };
  const resolveRef = (raw: Json, shape: SecretRefInfo, configPath: string): SecretRefOutcome => {
    const ref = coerceSecretRef(raw, cfg);
    const out: SecretRefOutcome = ref
      ? resolveSecretRef(ref, refCtx)
      : {
          value: null,
          fact: {
            configPath,
            source: shape.source,
            provider: shape.provider ?? '',
            id: shape.id ?? '',
            status: 'unresolved',
            via: null,
            reason: 'not a valid SecretRef: OpenClaw needs exactly source (env, file, exec or store), provider and id',
          },
        };
    out.fact.configPath = configPath;
    secretRefs.push(out.fact);
    return out;
  };

  const sources: TokenSource[] = [];
  for (const spec of credentialSpecs(block)) {
    const dotted = spec.path.join('.');
    const src = credentialSource({
      spec,
      raw: get(parsed, spec.path),
      resolved: get(cfg, spec.path),
      missing: missing.get(dotted),
      used: used.get(dotted),
      file: path,
      fileLabel,
      line: lines.get(dotted),
      envOrigin,
      resolveRef,
    });
    if (!src) continue;
    if (spec.id === 'config:misplaced') {
      (src.notes ??= []).push('agents.gateway is not read by OpenClaw: the token belongs under the top-level gateway.auth.token');
    }
    if (spec.kind === 'config-env' && src.notes?.some((n) => n.startsWith('substituted'))) {
      // collectConfigEnvVarsByTarget skips env-block values that still contain a reference.
      src.notes.push('OpenClaw only applies env-block values without ${...} references');
    }
    sources.push(src);
  }

  return {
    path,
    exists: true,
    error: null,
    isPlainJson,
    gateway: gatewayFacts(cfg, parsed),
    logFile: str(get(cfg, ['logging', 'file'])),
    envBlockNames: [...block.names].sort(),
    sources,
    unresolvedVars: [...new Set([...missing.values()].flatMap((s) => [...s]))].sort(),
    secretRefs,
  };
}

export interface ReadConfigOptions extends ParseConfigOptions {
  /**
   * Load the dotenv files OpenClaw loads before it substitutes `${VAR}` (the working directory's
   * `.env`, `$STATE_DIR/.env`, `~/.config/openclaw/gateway.env`). Without it only `env` is used.
   */
  gatewayEnv?: GatewayEnvOptions;
}

function readRefusal(message: string): string {
  if (message === 'is a directory') return 'is a directory, not a file';
  if (message.startsWith('too large')) return `is ${message}: larger than the ${MAX_CONFIG_BYTES}-byte limit for a config file`;
  if (message.startsWith('is ')) return message;
  return `cannot be read: ${message}`;
}

/** ENOENT or ENOTDIR? readBounded calls both "not found"; only the first is a plain absence. */
async function missingOrNotDir(path: string): Promise<ConfigFacts> {
  try {
    await stat(path);
  } catch (err) {
    if ((err as { code?: string })?.code === 'ENOTDIR') {
      return emptyFacts(path, true, { message: 'cannot be read: a parent of this path is a file, not a directory' });
    }
  }
  return emptyFacts(path, false, null);
}

/** Read and parse the config file. Never throws; a missing file is `exists: false` without error. */
export async function readConfig(path: string, env: NodeJS.ProcessEnv, opts: ReadConfigOptions = {}): Promise<ConfigFacts> {
  const r = await readBounded(path, { maxBytes: MAX_CONFIG_BYTES });
  if (!r.ok) return r.missing ? missingOrNotDir(path) : emptyFacts(path, true, { message: readRefusal(r.message) });
  const nul = r.text.indexOf('\u0000');
  if (nul !== -1) {
    const line = r.text.slice(0, nul).split('\n').length;
    return emptyFacts(path, true, { message: 'is a binary file (contains a NUL byte), not JSON5 text', line });
  }
  const p = parseJson5Object(r.text);
  let subEnv = env;
  let envOrigin = opts.envOrigin;
  if (opts.gatewayEnv && 'parsed' in p) {
    const loaded = await loadGatewayEnv(env, opts.gatewayEnv, envNamesUsed(p.parsed));
    subEnv = loaded.env;
    const home = displayHome(env);
    const outer = opts.envOrigin;
    envOrigin = {
      get: (name) => {
        const file = loaded.origin.get(name);
        return file === undefined ? outer?.get(name) : tildify(file, home);
      },
    };
  }
  try {
    const facts = configFactsFrom(p, subEnv, path, { ...opts, ...(envOrigin ? { envOrigin } : {}) });
    const clobbered = await listClobberedCopies(path);
    return clobbered.length ? { ...facts, clobberedCopies: clobbered } : facts;
  } catch (err) {
    // Fact modules never throw: an unexpected failure is reported on the file, not as a crash.
    return emptyFacts(path, true, { message: `could not be read: ${err instanceof Error ? err.message : String(err)}` });
  }
}
