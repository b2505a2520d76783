/**
 * SecretRefs (`{source, provider, id}` and the `$NAME` shorthand), resolved the way OpenClaw
 * 2026.9.6 resolves them (src/secrets/ref-contract.ts, src/secrets/resolve.ts,
 * src/config/types.secrets.ts), as far as that is harmless: `env` refs from the environment the
 * gateway would see, `file` refs by reading the file under OpenClaw's own rules (absolute path, a
 * private regular file of ours with one link, bounded). `exec` refs are never run: that would
 * execute a command named in a file. `store` refs live in OpenClaw's SQLite database, not opened.
 */
import { lstatSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { readBoundedSync } from '../fs/read-bounded.js';
import type { Json, JsonObject } from './env-substitution.js';
import { resolveUserPath } from './paths.js';
import type { EnvOrigin, SecretRefFact } from './types.js';

export interface SecretRef {
  source: 'env' | 'file' | 'exec' | 'store';
  provider: string;
  id: string;
}

const SOURCES = new Set(['env', 'file', 'exec', 'store']);
const PROVIDER_ALIAS = /^[a-z][a-z0-9_-]{0,63}$/;
const ENV_ID = /^[A-Z][A-Z0-9_]{0,127}$/;
const EXEC_ID = /^[A-Za-z0-9][A-Za-z0-9._:/#-]{0,255}$/;
const FILE_SEGMENT = /^(?:[^~]|~0|~1)*$/;
const ENV_SHORTHAND = /^\$([A-Z][A-Z0-9_]{0,127})$/;
/** OpenClaw's file-provider default read limit. */
const DEFAULT_FILE_MAX_BYTES = 1024 * 1024;

function isObj(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function nonBlank(v: unknown): v is string {
  return typeof v === 'string' && v.trim().length > 0;
}

/** `secrets.defaults.<source>`, else `default` (resolveDefaultSecretProviderAlias). */
function defaultAlias(config: JsonObject, source: string): string {
  const d = isObj(config.secrets) && isObj(config.secrets.defaults) ? config.secrets.defaults[source] : undefined;
  return nonBlank(d) ? d.trim() : 'default';
}

/** The NAME of the `$NAME` env shorthand, or null. */
export function envShorthandName(v: string): string | null {
  return ENV_SHORTHAND.exec(v.trim())?.[1] ?? null;
}

/**
 * coerceSecretRef: the canonical three-key object, an object without `provider` (takes the
 * source's default alias), or the `$NAME` env shorthand. `${NAME}` is not here: it is plain
 * substitution, done when the config is read.
 */
export function coerceSecretRef(v: Json | undefined, config: JsonObject): SecretRef | null {
  if (isObj(v) && typeof v.source === 'string' && SOURCES.has(v.source) && nonBlank(v.id)) {
    const source = v.source as SecretRef['source'];
    if (Object.keys(v).length === 3 && nonBlank(v.provider)) return { source, provider: v.provider, id: v.id };
    if (v.provider === undefined) return { source, provider: defaultAlias(config, source), id: v.id };
    return null;
  }
  if (typeof v === 'string') {
    const id = envShorthandName(v);
    if (id) return { source: 'env', provider: defaultAlias(config, 'env'), id };
  }
  return null;
}

/** Why OpenClaw would reject this ref outright, or null (normalizeAndGroupSecretRefs). */
export function secretRefGrammarError(ref: SecretRef): string | null {
  const id = ref.id.trim();
  if (!PROVIDER_ALIAS.test(ref.provider)) return `provider "${ref.provider}" must match ${PROVIDER_ALIAS}`;
  if ((ref.source === 'env' || ref.source === 'store') && !ENV_ID.test(id)) return `${ref.source} id must match ${ENV_ID}`;
  if (
    ref.source === 'file' &&
    id !== 'value' &&
    !(
      id.startsWith('/') &&
      id
        .slice(1)
        .split('/')
        .every((s) => FILE_SEGMENT.test(s))
    )
  ) {
    return 'file id must be an absolute JSON pointer ("/a/b") or "value"';
  }
  if (ref.source === 'exec' && (!EXEC_ID.test(id) || id.split('/').some((s) => s === '.' || s === '..'))) {
    return `exec id must match ${EXEC_ID} without "." or ".." segments`;
  }
  return null;
}

export interface SecretRefContext {
  /** The config after `${VAR}` substitution (its `secrets.providers` and `secrets.defaults`). */
  config: JsonObject;
  /** The environment the gateway would see (process env plus the dotenv files it loads). */
  env: NodeJS.ProcessEnv;
  /** Where each name in `env` came from when not the process env. */
  envOrigin?: EnvOrigin;
  /** The effective home, for `~` in a file provider's path. */
  home: string;
  /** Our effective uid: OpenClaw requires the file's owner to be the user resolving it. */
  uid: number | null;
}

export type SecretRefOutcome = { fact: SecretRefFact; value: string | null };

function providerConfig(ref: SecretRef, config: JsonObject): JsonObject | string {
  const providers = isObj(config.secrets) && isObj(config.secrets.providers) ? config.secrets.providers : {};
  const pc = Object.hasOwn(providers, ref.provider) ? providers[ref.provider] : undefined;
  const pcSource = isObj(pc) && typeof pc.source === 'string' ? pc.source : undefined;
  // isBuiltInDefaultSecretProviderRef: env/store refs on their default alias need no entry.
  const builtIn = pcSource !== ref.source && (ref.source === 'env' || ref.source === 'store') && ref.provider === defaultAlias(config, ref.source);
  if (builtIn) return { source: ref.source };
  if (!isObj(pc)) return `secret provider "${ref.provider}" is not configured under secrets.providers`;
  if (pcSource !== ref.source) return `secret provider "${ref.provider}" has source "${pcSource ?? '?'}" but the ref asks for "${ref.source}"`;
  return pc;
}

function resolveEnvRef(ref: SecretRef, pc: JsonObject, ctx: SecretRefContext): SecretRefOutcome {
  const id = ref.id.trim();
  const allow = Array.isArray(pc.allowlist) ? pc.allowlist : null;
  if (allow && !allow.includes(id)) return outcome(ref, 'unresolved', `${id} is not in secrets.providers.${ref.provider}.allowlist`);
  const v = ctx.env[id];
  if (typeof v !== 'string' || v.trim() === '') return outcome(ref, 'unresolved', `environment variable ${id} is missing or empty in this shell (and in the .env files OpenClaw loads)`);
  const from = ctx.envOrigin?.get(id);
  return { fact: fact(ref, 'resolved', null, from ? `${id} from ${from}` : `${id} from the environment`), value: v };
}

/** readJsonPointer: RFC 6901 segments, array indices, own keys only. */
function readPointer(root: unknown, pointer: string): { ok: true; value: unknown } | { ok: false; reason: string } {
  let cur: unknown = root;
  for (const raw of pointer.slice(1).split('/')) {
    const token = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(cur)) {
      const i = /^(0|[1-9]\d*)$/.test(token) ? Number(token) : -1;
      if (i < 0 || i >= cur.length) return { ok: false, reason: `JSON pointer segment "${token}" is out of bounds` };
      cur = cur[i];
    } else if (isObj(cur) && Object.hasOwn(cur, token)) cur = cur[token];
    else return { ok: false, reason: `JSON pointer segment "${token}" does not exist` };
  }
  return { ok: true, value: cur };
}

/** OpenClaw's readSecureFile checks, in its order, before a byte is read. */
function fileRefusal(path: string, uid: number | null): string | null {
  if (!isAbsolute(path)) return `${path} is not an absolute path`;
  let st;
  try {
    st = lstatSync(path);
  } catch {
    return `${path} is not readable`;
  }
  if (st.isSymbolicLink()) return `${path} is a symlink (OpenClaw refuses symlinked secret files)`;
  if (!st.isFile()) return `${path} is not a regular file`;
  if (st.nlink > 1) return `${path} is hardlinked (OpenClaw refuses it)`;
  if ((st.mode & 0o077) !== 0) return `${path} permissions are too open (mode ${(st.mode & 0o777).toString(8)}; OpenClaw needs 600)`;
  if (uid !== null && st.uid !== uid) return `${path} is owned by uid ${st.uid}, not by this user (uid ${uid})`;
  return null;
}

function resolveFileRef(ref: SecretRef, pc: JsonObject, ctx: SecretRefContext): SecretRefOutcome {
  if (!nonBlank(pc.path)) return outcome(ref, 'unresolved', `secrets.providers.${ref.provider}.path is not set`);
  const path = resolveUserPath(pc.path, ctx.home);
  const refusal = fileRefusal(path, ctx.uid);
  if (refusal) return outcome(ref, 'unresolved', refusal);
  const maxBytes = typeof pc.maxBytes === 'number' && Number.isInteger(pc.maxBytes) && pc.maxBytes > 0 ? pc.maxBytes : DEFAULT_FILE_MAX_BYTES;
  const r = readBoundedSync(path, { maxBytes });
  if (!r.ok) return outcome(ref, 'unresolved', `${path}: ${r.message}`);
  const text = r.text.replace(/^\ufeff/, '');
  const id = ref.id.trim();
  if (pc.mode === 'singleValue') {
    if (id !== 'value') return outcome(ref, 'unresolved', `singleValue file provider "${ref.provider}" expects ref id "value"`);
    return checkString(ref, text.replace(/\r?\n$/, ''), path);
  }
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch {
    return outcome(ref, 'unresolved', `${path} is not valid JSON`);
  }
  if (!isObj(payload)) return outcome(ref, 'unresolved', `${path} is not a JSON object`);
  if (!id.startsWith('/')) return outcome(ref, 'unresolved', 'file ids must be absolute JSON pointers');
  const got = readPointer(payload, id);
  if (!got.ok) return outcome(ref, 'unresolved', `${path}: ${got.reason}`);
  return checkString(ref, got.value, `${path} ${id}`);
}

function checkString(ref: SecretRef, v: unknown, via: string): SecretRefOutcome {
  if (typeof v !== 'string' || v.trim() === '') return outcome(ref, 'unresolved', `${via} resolved to an empty or non-string value`);
  return { fact: fact(ref, 'resolved', null, via), value: v };
}

function fact(ref: SecretRef, status: SecretRefFact['status'], reason: string | null, via: string | null): SecretRefFact {
  return { configPath: '', source: ref.source, provider: ref.provider, id: ref.id, status, reason, via };
}

function outcome(ref: SecretRef, status: SecretRefFact['status'], reason: string): SecretRefOutcome {
  return { fact: fact(ref, status, reason, null), value: null };
}

/**
 * Resolve one ref as OpenClaw would in this shell; never throws, never runs anything.
 * Synchronous: at most one small local file is read, and the config parser stays a plain function.
 */
export function resolveSecretRef(ref: SecretRef, ctx: SecretRefContext): SecretRefOutcome {
  const bad = secretRefGrammarError(ref);
  if (bad) return outcome(ref, 'unresolved', `OpenClaw rejects this SecretRef: ${bad}`);
  const pc = providerConfig(ref, ctx.config);
  if (typeof pc === 'string') return outcome(ref, 'unresolved', pc);
  if (ref.source === 'exec') {
    const cmd = typeof pc.command === 'string' ? ` (command ${pc.command})` : '';
    return outcome(ref, 'not-run', `exec provider "${ref.provider}"${cmd} not run: the wizard never runs commands named in the config; \`openclaw secrets audit --allow-exec\` resolves it`);
  }
  if (ref.source === 'store') {
    return outcome(ref, 'not-read', "store SecretRefs live in OpenClaw's SQLite state database, which the wizard does not open");
  }
  try {
    return ref.source === 'env' ? resolveEnvRef(ref, pc, ctx) : resolveFileRef(ref, pc, ctx);
  } catch (err) {
    return outcome(ref, 'unresolved', err instanceof Error ? err.message : String(err));
  }
}
