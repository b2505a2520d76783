/**
 * `${VAR}` substitution over a parsed config, as OpenClaw does it (src/config/env-substitution.ts),
 * but iterative: a config nested thousands of levels deep must produce facts, not a
 * "Maximum call stack size exceeded" (D1). OpenClaw's own walker is iterative for the same reason.
 */

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type JsonObject = { [k: string]: Json };

const ENV_NAME = /^[A-Z_][A-Z0-9_]*$/;

/**
 * Config paths deeper than this are not spelled out: every value the wizard reads sits within a
 * few levels of the root, and building `a.b.c…` strings for a pathological depth would make the
 * walk quadratic. References found deeper are still reported, under {@link DEEP_PATH}.
 */
export const MAX_TRACKED_DEPTH = 32;
export const DEEP_PATH = '(deeper than 32 levels)';

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

export interface TreeSubstitution {
  value: Json;
  /** Dotted config path (`gateway.auth.token`, `a[0].b`) → names that had no value. */
  missing: Map<string, Set<string>>;
  /** Dotted config path → names that were substituted. */
  used: Map<string, Set<string>>;
}

/** An own, enumerable property even for the key `__proto__` (JSON5 parses it as a plain key). */
function setOwn(obj: JsonObject, key: string, value: Json): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

interface Frame {
  node: Json;
  put: (v: Json) => void;
  /** null once deeper than MAX_TRACKED_DEPTH. */
  path: string | null;
  depth: number;
}

function record(map: Map<string, Set<string>>, path: string | null, names: string[]): void {
  if (!names.length) return;
  const key = path ?? DEEP_PATH;
  const set = map.get(key) ?? new Set<string>();
  for (const n of names) set.add(n);
  map.set(key, set);
}

/** Substitute every string value in `root`; an explicit stack instead of recursion. */
export function substituteTree(root: Json, env: NodeJS.ProcessEnv): TreeSubstitution {
  const missing = new Map<string, Set<string>>();
  const used = new Map<string, Set<string>>();
  let result: Json = null;
  const stack: Frame[] = [{ node: root, put: (v) => (result = v), path: '', depth: 0 }];
  const child = (f: Frame, seg: string, isIndex: boolean): string | null => {
    if (f.path === null || f.depth >= MAX_TRACKED_DEPTH) return null;
    if (isIndex) return `${f.path}[${seg}]`;
    return f.path ? `${f.path}.${seg}` : seg;
  };
  for (let f = stack.pop(); f; f = stack.pop()) {
    const node = f.node;
    if (typeof node === 'string') {
      const r = substituteEnvVars(node, env);
      record(missing, f.path, r.missing);
      record(used, f.path, r.used);
      f.put(r.value);
    } else if (Array.isArray(node)) {
      const out: Json[] = new Array<Json>(node.length).fill(null);
      f.put(out);
      node.forEach((v, i) => stack.push({ node: v, put: (x) => (out[i] = x), path: child(f, String(i), true), depth: f.depth + 1 }));
    } else if (typeof node === 'object' && node !== null) {
      const out: JsonObject = {};
      f.put(out);
      for (const [k, v] of Object.entries(node)) {
        setOwn(out, k, null); // keeps the authored key order
        stack.push({ node: v, put: (x) => setOwn(out, k, x), path: child(f, k, false), depth: f.depth + 1 });
      }
    } else {
      f.put(node);
    }
  }
  return { value: result, missing, used };
}
