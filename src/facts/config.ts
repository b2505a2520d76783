/**
 * The OpenClaw config file (JSON5), read the way OpenClaw reads it: `${VAR}` substitution on
 * string values, SecretRefs reported but never resolved, the `env` block in both of its shapes.
 * Only the parts that matter for gateway auth are kept.
 */
import { open, stat } from 'node:fs/promises';
import JSON5 from 'json5';
import { tokenProblems } from '../hygiene.js';
import { displayHome, tildify } from '../paths-display.js';
import { Secret } from '../secret.js';
import type { SourceKind, TokenProblem, TokenSource } from '../types.js';
import type { ConfigFacts, ConfigParseError, GatewayConfigFacts, SecretRefInfo } from './types.js';

/** Far above any real config; a bigger file is not one a person wrote by hand. */
export const MAX_CONFIG_BYTES = 5 * 1024 * 1024;

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };

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
  };
}

// ---------------------------------------------------------------------------------------------
// ${VAR} substitution (src/config/env-substitution.ts)

const ENV_NAME = /^[A-Z_][A-Z0-9_]*$/;

/**
 * OpenClaw's rule: `${NAME}` with NAME in [A-Z_][A-Z0-9_]*, `$${NAME}` is a literal `${NAME}`,
 * an unset or empty variable stays as `${NAME}` and is reported. Anything else is left as is.
 */
export function substituteEnvVars(value: string, env: NodeJS.ProcessEnv): { value: string; missing: string[]; used: string[] } {
  if (!value.includes('$')) return { value, missing: [], used: [] };
  const missing: string[] = [];
  const used: string[] = [];
  let out = '';
  for (let i = 0; i < value.length; i += 1) {
    const ch = value.charAt(i);
    if (ch !== '$') {
      out += ch;
      continue;
    }
    const escaped = value[i + 1] === '$' && value[i + 2] === '{';
    const open = escaped ? i + 3 : value[i + 1] === '{' ? i + 2 : -1;
    if (open >= 0) {
      const end = value.indexOf('}', open);
      const name = end === -1 ? '' : value.slice(open, end);
      if (end !== -1 && ENV_NAME.test(name)) {
        if (escaped) out += `\${${name}}`;
        else {
          const v = env[name];
          if (v === undefined || v === '') {
            missing.push(name);
            out += `\${${name}}`;
          } else {
            used.push(name);
            out += v;
          }
        }
        i = end;
        continue;
      }
    }
    out += ch;
  }
  return { value: out, missing, used };
}

function substituteTree(node: Json, env: NodeJS.ProcessEnv, missing: Map<string, Set<string>>, used: Map<string, Set<string>>, path: string): Json {
  if (typeof node === 'string') {
    const r = substituteEnvVars(node, env);
    if (r.missing.length) missing.set(path, new Set(r.missing));
    if (r.used.length) used.set(path, new Set(r.used));
    return r.value;
  }
  if (Array.isArray(node)) return node.map((v, i) => substituteTree(v, env, missing, used, `${path}[${i}]`));
  if (isObj(node)) {
    const out: Obj = {};
    for (const [k, v] of Object.entries(node)) out[k] = substituteTree(v, env, missing, used, path ? `${path}.${k}` : k);
    return out;
  }
  return node;
}

// ---------------------------------------------------------------------------------------------
// Line numbers of keys: a small JSON5 tokenizer, because json5 does not report positions.

type Tok = { t: 'punct'; v: string; line: number } | { t: 'key'; v: string; line: number };

function tokenize(text: string): Tok[] {
  const toks: Tok[] = [];
  let line = 1;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i] as string;
    if (c === '\n') {
      line += 1;
      i += 1;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < n && text[i] !== '\n') i += 1;
    } else if (c === '/' && text[i + 1] === '*') {
      i += 2;
      while (i < n && !(text[i] === '*' && text[i + 1] === '/')) {
        if (text[i] === '\n') line += 1;
        i += 1;
      }
      i += 2;
    } else if (c === '"' || c === "'") {
      const startLine = line;
      let v = '';
      i += 1;
      while (i < n && text[i] !== c) {
        if (text[i] === '\\') {
          i += 1;
          if (text[i] === '\n') line += 1;
          else v += text[i] ?? '';
        } else {
          if (text[i] === '\n') line += 1;
          v += text[i];
        }
        i += 1;
      }
      i += 1;
      toks.push({ t: 'key', v, line: startLine });
    } else if ('{}[]:,'.includes(c)) {
      toks.push({ t: 'punct', v: c, line });
      i += 1;
    } else if (/[\s\u00a0\ufeff]/.test(c)) {
      i += 1;
    } else {
      let v = '';
      while (i < n && !/[\s{}[\]:,"'/]/.test(text[i] as string)) v += text[i++];
      if (v === '') i += 1;
      else toks.push({ t: 'key', v, line });
    }
  }
  return toks;
}

/**
 * Dotted key path → the line of its last occurrence (JSON5 keeps the last duplicate).
 * Array elements appear as `[]`. Best effort: used only for labels.
 */
export function keyLines(text: string): Map<string, number> {
  const toks = tokenize(text);
  const lines = new Map<string, number>();
  const stack: Array<{ kind: 'obj' | 'arr'; path: string[] }> = [];
  let pendingKey: string | null = null;
  for (let i = 0; i < toks.length; i += 1) {
    const tok = toks[i] as Tok;
    const top = stack[stack.length - 1];
    if (tok.t === 'key') {
      const next = toks[i + 1];
      if (top?.kind === 'obj' && next?.t === 'punct' && next.v === ':') {
        pendingKey = tok.v;
        lines.set([...top.path, tok.v].join('.'), tok.line);
        i += 1;
      }
      continue;
    }
    if (tok.v === '{' || tok.v === '[') {
      const parent = top ? (top.kind === 'obj' ? [...top.path, pendingKey ?? '?'] : [...top.path, '[]']) : [];
      stack.push({ kind: tok.v === '{' ? 'obj' : 'arr', path: parent });
      pendingKey = null;
    } else if (tok.v === '}' || tok.v === ']') {
      stack.pop();
      pendingKey = null;
    }
  }
  return lines;
}

// ---------------------------------------------------------------------------------------------
// Credentials

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

interface CredentialSpec {
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

/**
 * One TokenSource for a credential value as authored, or null when the key is absent.
 * `raw` is the value before substitution (to spot SecretRefs and `${VAR}`), `resolved` after.
 */
function credentialSource(
  spec: CredentialSpec,
  raw: Json | undefined,
  resolved: Json | undefined,
  missing: Set<string> | undefined,
  used: Set<string> | undefined,
  file: string,
  fileLabel: string,
  line: number | undefined,
): TokenSource | null {
  if (raw === undefined) return null;
  const label = `${fileLabel}${line ? ` line ${line}` : ''} (${spec.variable})`;
  const base = { id: spec.id, kind: spec.kind, variable: spec.variable, credential: spec.credential, file, label, ...(line ? { line } : {}) };
  const ref = asSecretRef(raw);
  if (ref) {
    return {
      ...base,
      value: null,
      problems: ['secret-ref'],
      notes: [`${describeRef(ref)}: resolved by OpenClaw at runtime; the wizard does not resolve it`],
    };
  }
  if (typeof resolved === 'string') {
    const problems: TokenProblem[] = tokenProblems(resolved);
    const notes: string[] = [];
    if (missing?.size) {
      addUnique(problems, 'unresolved-var');
      notes.push(`references ${[...missing].map((m) => `\${${m}}`).join(', ')}, not set in this environment; OpenClaw treats the value as unset`);
      return { ...base, value: null, problems, notes };
    }
    if (used?.size) notes.push(`substituted from ${[...used].map((m) => `\${${m}}`).join(', ')}`);
    return { ...base, value: new Secret(resolved), problems, ...(notes.length ? { notes } : {}) };
  }
  if (typeof resolved === 'number' || typeof resolved === 'boolean') {
    const asText = String(resolved);
    const problems: TokenProblem[] = ['not-a-string'];
    addUnique(problems, ...tokenProblems(asText));
    return {
      ...base,
      value: new Secret(asText),
      problems,
      notes: [`is a JSON ${typeof resolved}, not a string: quote it`],
    };
  }
  if (resolved === null) {
    return { ...base, value: null, problems: ['not-a-string', 'literal-null'], notes: ['is JSON null: OpenClaw treats it as unset'] };
  }
  return {
    ...base,
    value: null,
    problems: ['not-a-string'],
    notes: [`is ${Array.isArray(resolved) ? 'an array' : 'an object that is not a SecretRef'}`],
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

/** Parse config text. Pure: the environment is only consulted for `${VAR}` substitution. */
export function parseConfigText(text: string, env: NodeJS.ProcessEnv, path: string): ConfigFacts {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '') {
    return emptyFacts(path, true, { message: 'the file is empty (OpenClaw needs at least `{}`)', line: 1, column: 1 });
  }
  let parsed: Json;
  try {
    parsed = JSON5.parse(body) as Json;
  } catch (err) {
    return emptyFacts(path, true, locate(err));
  }
  if (!isObj(parsed)) {
    const what = Array.isArray(parsed) ? 'an array' : parsed === null ? 'null' : `a ${typeof parsed}`;
    return emptyFacts(path, true, { message: `the top level is ${what}, not an object` });
  }
  let isPlainJson = false;
  try {
    JSON.parse(body);
    isPlainJson = true;
  } catch {
    isPlainJson = false;
  }

  const missing = new Map<string, Set<string>>();
  const used = new Map<string, Set<string>>();
  const cfg = substituteTree(parsed, env, missing, used, '') as Obj;
  const lines = keyLines(body);
  const fileLabel = tildify(path, displayHome(env));

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
  }
  const misplaced = get(cfg, ['agents', 'gateway']);
  g.misplacedAgentsGateway = misplaced !== undefined;
  const misplacedToken = get(cfg, ['agents', 'gateway', 'auth', 'token']);
  g.misplacedHasToken = misplacedToken !== undefined && misplacedToken !== null;

  const logFile = str(get(cfg, ['logging', 'file']));

  // The env block: `env: { vars: {...} }` and/or string entries directly under `env`
  // (src/config/config-env-vars.ts); direct entries win over `vars`, `shellEnv` is not a var.
  const envBlock = get(parsed, ['env']);
  const envNames = new Set<string>();
  let envTokenPath: string[] | null = null;
  let envPasswordPath: string[] | null = null;
  if (isObj(envBlock)) {
    const vars = envBlock.vars;
    if (isObj(vars)) {
      for (const [k, v] of Object.entries(vars)) {
        if (typeof v !== 'string' && typeof v !== 'number') continue;
        envNames.add(k);
        if (k === 'OPENCLAW_GATEWAY_TOKEN') envTokenPath = ['env', 'vars', k];
        if (k === 'OPENCLAW_GATEWAY_PASSWORD') envPasswordPath = ['env', 'vars', k];
      }
    }
    for (const [k, v] of Object.entries(envBlock)) {
      if (k === 'vars' || k === 'shellEnv') continue;
      if (typeof v !== 'string' && typeof v !== 'number') continue;
      envNames.add(k);
      if (k === 'OPENCLAW_GATEWAY_TOKEN') envTokenPath = ['env', k];
      if (k === 'OPENCLAW_GATEWAY_PASSWORD') envPasswordPath = ['env', k];
    }
  }

  const specs: CredentialSpec[] = [
    { id: 'config', kind: 'config', variable: 'gateway.auth.token', credential: 'token', path: ['gateway', 'auth', 'token'] },
    { id: 'config:password', kind: 'config', variable: 'gateway.auth.password', credential: 'password', path: ['gateway', 'auth', 'password'] },
    { id: 'config-remote', kind: 'config-remote', variable: 'gateway.remote.token', credential: 'token', path: ['gateway', 'remote', 'token'] },
    {
      id: 'config:misplaced',
      kind: 'config',
      variable: 'agents.gateway.auth.token',
      credential: 'token',
      path: ['agents', 'gateway', 'auth', 'token'],
    },
  ];
  if (envTokenPath) {
    specs.push({ id: 'config-env', kind: 'config-env', variable: 'OPENCLAW_GATEWAY_TOKEN', credential: 'token', path: envTokenPath });
  }
  if (envPasswordPath) {
    specs.push({ id: 'config-env:password', kind: 'config-env', variable: 'OPENCLAW_GATEWAY_PASSWORD', credential: 'password', path: envPasswordPath });
  }

  const sources: TokenSource[] = [];
  for (const spec of specs) {
    const dotted = spec.path.join('.');
    const src = credentialSource(
      spec,
      get(parsed, spec.path),
      get(cfg, spec.path),
      missing.get(dotted),
      used.get(dotted),
      path,
      fileLabel,
      lines.get(dotted),
    );
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

  const unresolvedVars = [...new Set([...missing.values()].flatMap((s) => [...s]))].sort();

  return {
    path,
    exists: true,
    error: null,
    isPlainJson,
    gateway: g,
    logFile,
    envBlockNames: [...envNames].sort(),
    sources,
    unresolvedVars,
  };
}

function describeFsError(err: unknown): string {
  const code = (err as { code?: string })?.code;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return 'cannot be read: permission denied';
    case 'ELOOP':
      return 'cannot be read: too many symbolic links (a symlink loop)';
    case 'ENOTDIR':
      return 'cannot be read: a parent of this path is a file, not a directory';
    case 'EISDIR':
      return 'is a directory, not a file';
    default:
      return `cannot be read: ${err instanceof Error ? err.message : String(err)}`;
  }
}

/** Read and parse the config file. Never throws; a missing file is `exists: false` without error. */
export async function readConfig(path: string, env: NodeJS.ProcessEnv): Promise<ConfigFacts> {
  let size: number;
  try {
    const st = await stat(path);
    if (st.isDirectory()) return emptyFacts(path, true, { message: 'is a directory, not a file' });
    if (!st.isFile()) return emptyFacts(path, true, { message: 'is not a regular file' });
    size = st.size;
  } catch (err) {
    if ((err as { code?: string })?.code === 'ENOENT') return emptyFacts(path, false, null);
    return emptyFacts(path, true, { message: describeFsError(err) });
  }
  if (size > MAX_CONFIG_BYTES) {
    return emptyFacts(path, true, { message: `is ${size} bytes, larger than the ${MAX_CONFIG_BYTES}-byte limit for a config file` });
  }
  let buf: Buffer;
  try {
    // Read at most one byte past the limit, so a file that grew after stat cannot exhaust memory.
    const fh = await open(path, 'r');
    try {
      const chunk = Buffer.alloc(Math.min(size, MAX_CONFIG_BYTES) + 1);
      const { bytesRead } = await fh.read(chunk, 0, chunk.length, 0);
      buf = chunk.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
  } catch (err) {
    return emptyFacts(path, true, { message: describeFsError(err) });
  }
  if (buf.length > MAX_CONFIG_BYTES) {
    return emptyFacts(path, true, { message: `is larger than the ${MAX_CONFIG_BYTES}-byte limit for a config file` });
  }
  const nul = buf.indexOf(0);
  if (nul !== -1) {
    const before = buf.subarray(0, nul).toString('utf8');
    const line = before.split('\n').length;
    return emptyFacts(path, true, { message: 'is a binary file (contains a NUL byte), not JSON5 text', line });
  }
  return parseConfigText(buf.toString('utf8'), env, path);
}
