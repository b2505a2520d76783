/**
 * Docker Compose facts: which compose file a `docker compose up` here would use, what
 * OPENCLAW_GATEWAY_TOKEN / _PASSWORD its OpenClaw services would get, and where that value came
 * from (a literal, `${VAR}` from the shell or the project `.env`, or an `env_file`).
 *
 * Pure parsing (`parseComposeText`, `parseComposeFiles`, `interpolate`, `dotenvLineNumbers`) is
 * separate from the file reading in `readCompose`, so tests can feed text directly.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { tokenProblems } from '../hygiene.js';
import { Secret } from '../secret.js';
import type { TokenProblem, TokenSource } from '../types.js';
import type { ComposeFacts } from './types.js';

/** Compose's own discovery order (compose-go `DefaultFileNames`): the first one found wins. */
export const COMPOSE_FILE_NAMES = ['compose.yaml', 'compose.yml', 'docker-compose.yml', 'docker-compose.yaml'] as const;
/** Compose merges the first override found in the same directory on top of the main file. */
export const COMPOSE_OVERRIDE_NAMES = [
  'compose.override.yml',
  'compose.override.yaml',
  'docker-compose.override.yml',
  'docker-compose.override.yaml',
] as const;

/** The service OpenClaw's own docker-compose.yml defines for the gateway. */
export const GATEWAY_SERVICE = 'openclaw-gateway';

const VARIABLES = [
  { name: 'OPENCLAW_GATEWAY_TOKEN', credential: 'token' },
  { name: 'OPENCLAW_GATEWAY_PASSWORD', credential: 'password' },
] as const;
type VariableName = (typeof VARIABLES)[number]['name'];
const VARIABLE_NAMES: ReadonlySet<string> = new Set(VARIABLES.map((v) => v.name));

/** Compose files are small; anything this big is not one, and reading it whole would be wasteful. */
const MAX_FILE_BYTES = 1024 * 1024;

/**
 * The compose files `docker compose` would read in `cwd`: the explicit one if given (returned even
 * if it does not exist, so the caller can report it), else the first of COMPOSE_FILE_NAMES plus
 * the first override. Only `cwd` is searched: Compose also walks up to parent directories, but a
 * compose file above the user's working directory is rarely the one they mean, and reporting a
 * token from an unrelated project would mislead.
 */
export function findComposeFiles(cwd: string, explicit?: string): string[] {
  if (explicit) return [resolve(cwd, explicit)];
  const isFile = (p: string): boolean => {
    try {
      return statSync(p).isFile();
    } catch {
      return false;
    }
  };
  const main = COMPOSE_FILE_NAMES.map((n) => join(cwd, n)).find(isFile);
  if (!main) return [];
  const override = COMPOSE_OVERRIDE_NAMES.map((n) => join(cwd, n)).find(isFile);
  return override ? [main, override] : [main];
}

// ---------------------------------------------------------------------------------------------
// Interpolation
// ---------------------------------------------------------------------------------------------

/** Where an interpolated variable's value came from. */
export interface VarOrigin {
  /** e.g. `the shell environment`, `.env line 3`. */
  where: string;
  /** The project .env line the value came from (absent for the shell). */
  file?: string;
  line?: number;
}

export type VarLookup = (name: string) => { value: string; origin: VarOrigin } | undefined;

export interface InterpolationResult {
  value: string;
  /** Every variable the value used, with where its value came from (null: not set anywhere). */
  refs: Array<{ name: string; origin: VarOrigin | null; usedDefault: boolean }>;
  /** Variables referenced with no value and no default: Compose substitutes an empty string. */
  unresolved: string[];
  /** Errors Compose itself would stop on: `${VAR:?msg}` unset, malformed `${`. */
  errors: string[];
}

/**
 * Compose's variable interpolation: `$$`, `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`,
 * `${VAR:?err}`, `${VAR?err}`, `${VAR:+alt}`, `${VAR+alt}`, with nested references in the
 * default. Never puts a default's text or a value into refs/errors, only names and origins.
 */
export function interpolate(raw: string, lookup: VarLookup): InterpolationResult {
  const out: InterpolationResult = { value: '', refs: [], unresolved: [], errors: [] };
  out.value = interpolateInto(raw, lookup, out);
  return out;
}

function interpolateInto(raw: string, lookup: VarLookup, acc: InterpolationResult): string {
  let result = '';
  let i = 0;
  while (i < raw.length) {
    const ch = raw[i];
    if (ch !== '$') {
      result += ch;
      i++;
      continue;
    }
    const next = raw[i + 1];
    if (next === '$') {
      result += '$';
      i += 2;
      continue;
    }
    if (next === '{') {
      const end = matchingBrace(raw, i + 2);
      if (end < 0) {
        acc.errors.push('invalid interpolation format: unclosed "${"');
        result += raw.slice(i);
        break;
      }
      result += expandBraced(raw.slice(i + 2, end), lookup, acc);
      i = end + 1;
      continue;
    }
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(raw.slice(i + 1));
    if (m) {
      const name = m[0];
      const found = lookup(name);
      acc.refs.push({ name, origin: found?.origin ?? null, usedDefault: false });
      if (found) result += found.value;
      else acc.unresolved.push(name);
      i += 1 + name.length;
      continue;
    }
    // A lone `$` that starts no reference stays literal.
    result += '$';
    i++;
  }
  return result;
}

/** Index of the `}` closing a `${` whose body starts at `from`, honouring nested `${...}`. */
function matchingBrace(s: string, from: number): number {
  let depth = 1;
  for (let i = from; i < s.length; i++) {
    if (s[i] === '$' && s[i + 1] === '$') {
      i++;
    } else if (s[i] === '$' && s[i + 1] === '{') {
      depth++;
      i++;
    } else if (s[i] === '}') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

function expandBraced(body: string, lookup: VarLookup, acc: InterpolationResult): string {
  const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([\s\S]*))?$/.exec(body);
  if (!m) {
    acc.errors.push('invalid interpolation format: "${" must be followed by a variable name');
    return '';
  }
  const name = m[1]!;
  const op = m[2];
  const arg = m[3] ?? '';
  const found = lookup(name);
  const isSet = found !== undefined;
  const nonEmpty = isSet && found.value !== '';
  const ref = { name, origin: found?.origin ?? null, usedDefault: false };
  acc.refs.push(ref);
  switch (op) {
    case undefined:
      if (!isSet) acc.unresolved.push(name);
      return found?.value ?? '';
    case ':-':
    case '-':
      if (op === ':-' ? nonEmpty : isSet) return found!.value;
      ref.usedDefault = true;
      return interpolateInto(arg, lookup, acc);
    case ':?':
    case '?':
      if (op === ':?' ? nonEmpty : isSet) return found!.value;
      acc.errors.push(`required variable ${name} is ${isSet ? 'empty' : 'not set'}; docker compose would refuse to start`);
      return '';
    case ':+':
    case '+':
      // The alternative replaces a set value; the variable's own value is not used.
      if (op === ':+' ? nonEmpty : isSet) {
        ref.usedDefault = true;
        return interpolateInto(arg, lookup, acc);
      }
      return '';
    default:
      return '';
  }
}

/**
 * Line of each key in dotenv text (the last assignment wins, as in dotenv.parse). Multi-line
 * quoted values can in principle contain a `KEY=` line; line numbers are a pointer for a person,
 * not a parser, so that rare case is accepted.
 */
export function dotenvLineNumbers(text: string): Record<string, number> {
  const lines: Record<string, number> = {};
  text.split(/\r\n|\r|\n/).forEach((line, idx) => {
    const m = /^\s*(?:export\s+)?([\w.-]+)\s*(?:=|:\s)/.exec(line);
    if (m) lines[m[1]!] = idx + 1;
  });
  return lines;
}

/** The raw text after `KEY=` on a dotenv line, to know whether it was single-quoted. */
function dotenvRawValue(text: string, line: number): string {
  const l = text.split(/\r\n|\r|\n/)[line - 1] ?? '';
  const m = /^\s*(?:export\s+)?[\w.-]+\s*(?:=|:\s)\s*(.*)$/.exec(l);
  return m?.[1] ?? '';
}

// ---------------------------------------------------------------------------------------------
// YAML model
// ---------------------------------------------------------------------------------------------

interface EnvEntry {
  name: VariableName;
  /** null: bare `- NAME` / `NAME:` with no value, i.e. passed through from Compose's environment. */
  raw: string | null;
  /** Set when the YAML value is a map or a list: Compose rejects it. */
  notAString: boolean;
  line: number;
}

interface EnvFileRef {
  rawPath: string;
  required: boolean;
  line: number;
}

interface ServiceModel {
  service: string;
  line: number;
  ports: Array<{ raw: string; line: number }>;
  env: EnvEntry[];
  envFiles: EnvFileRef[];
}

interface FileModel {
  file: string;
  services: ServiceModel[];
}

type YNode = Node | null | undefined;

/** Parse one compose file's YAML into the few things this module needs, keeping line numbers. */
function parseComposeModel(text: string, file: string): { model: FileModel | null; error: string | null } {
  const lc = new LineCounter();
  // merge: true because compose files commonly share env blocks via `<<: *anchor`.
  const doc = parseDocument(text, { lineCounter: lc, merge: true, prettyErrors: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    // The parser's message carries "at line L, column C:" followed by a code excerpt; keep only the
    // first line so that no file content (which may hold a token) ends up in the message.
    const first = e.message.split('\n')[0]!.replace(/:\s*$/, '');
    const where = e.linePos && !/at line \d+/.test(first) ? ` at line ${e.linePos[0].line}, column ${e.linePos[0].col}` : '';
    return { model: null, error: `not valid YAML: ${first}${where}` };
  }
  const lineOf = (n: YNode): number => (n?.range ? lc.linePos(n.range[0]).line : 0);
  const root = doc.contents;
  if (root === null || root === undefined) return { model: null, error: 'empty file: no compose mapping' };
  if (!isMap(root)) {
    return { model: null, error: `not a compose file: the top level is ${describeNode(root)}, not a mapping (line ${lineOf(root)})` };
  }
  const services: ServiceModel[] = [];
  const servicesNode = getPair(doc, root, 'services');
  const servicesValue = servicesNode ? deref(doc, servicesNode.value) : null;
  // `services:` with nothing under it is an empty map to Compose, not an error.
  if (servicesNode && !isMap(servicesValue) && !(isScalar(servicesValue) && servicesValue.value === null)) {
    return {
      model: null,
      error: `not a compose file: "services" is ${describeNode(servicesValue)}, not a mapping (line ${lineOf(servicesNode.keyNode)})`,
    };
  }
  for (const svc of mapPairs(doc, servicesValue)) {
    const body = deref(doc, svc.value);
    const model: ServiceModel = { service: svc.key, line: lineOf(svc.keyNode), ports: [], env: [], envFiles: [] };
    if (isMap(body)) {
      const byKey = new Map(mapPairs(doc, body).map((p) => [p.key, p]));
      readEnvironment(doc, deref(doc, byKey.get('environment')?.value), lineOf, model);
      readEnvFiles(doc, deref(doc, byKey.get('env_file')?.value), lineOf, model);
      readPorts(doc, deref(doc, byKey.get('ports')?.value), lineOf, model);
    }
    services.push(model);
  }
  return { model: { file, services }, error: null };
}

function describeNode(n: unknown): string {
  if (isSeq(n)) return 'a list';
  if (isScalar(n)) return n.value === null ? 'empty' : `a ${typeof n.value} scalar`;
  return 'not a mapping';
}

function deref(doc: Document, n: unknown): YNode {
  if (isAlias(n)) return (n.resolve(doc) as YNode) ?? null;
  return n as YNode;
}

function scalarString(n: YNode): string | null {
  if (!isScalar(n)) return null;
  const v = n.value;
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return n.source ?? String(v);
  return null;
}

interface PairInfo {
  key: string;
  keyNode: YNode;
  value: unknown;
}

function getPair(doc: Document, map: YNode, key: string): PairInfo | undefined {
  return mapPairs(doc, map).find((p) => p.key === key);
}

/**
 * The key/value pairs of a YAML map, with `<<` merge keys expanded as YAML 1.1 / Compose do:
 * explicit keys win over merged ones, and earlier merge sources win over later ones.
 */
function mapPairs(doc: Document, map: YNode, depth = 0): PairInfo[] {
  if (!isMap(map) || depth > 20) return [];
  const explicit: PairInfo[] = [];
  const merged: PairInfo[] = [];
  for (const item of map.items) {
    const keyNode = item.key as YNode;
    const isMerge = isScalar(keyNode) && (typeof keyNode.value === 'symbol' || keyNode.source === '<<');
    if (isMerge) {
      const v = item.value;
      const sources = isSeq(v) ? v.items : [v];
      for (const s of sources) merged.push(...mapPairs(doc, deref(doc, s), depth + 1));
      continue;
    }
    const key = scalarString(keyNode);
    if (key !== null) explicit.push({ key, keyNode, value: item.value });
  }
  const seen = new Set(explicit.map((p) => p.key));
  const out = [...explicit];
  for (const p of merged) {
    if (seen.has(p.key)) continue;
    seen.add(p.key);
    out.push(p);
  }
  return out;
}

function readEnvironment(doc: Document, env: YNode, lineOf: (n: YNode) => number, model: ServiceModel): void {
  if (isMap(env)) {
    for (const p of mapPairs(doc, env)) {
      if (!VARIABLE_NAMES.has(p.key)) continue;
      const v = deref(doc, p.value);
      const notAString = isMap(v) || isSeq(v);
      model.env.push({ name: p.key as VariableName, raw: notAString ? null : scalarString(v), notAString, line: lineOf(p.keyNode) });
    }
  } else if (isSeq(env)) {
    for (const item of env.items) {
      const n = deref(doc, item);
      const s = scalarString(n);
      if (s === null) continue;
      const eq = s.indexOf('=');
      const name = (eq < 0 ? s : s.slice(0, eq)).trim();
      if (!VARIABLE_NAMES.has(name)) continue;
      model.env.push({ name: name as VariableName, raw: eq < 0 ? null : s.slice(eq + 1), notAString: false, line: lineOf(n) });
    }
  }
}

function readEnvFiles(doc: Document, node: YNode, lineOf: (n: YNode) => number, model: ServiceModel): void {
  const items = isSeq(node) ? node.items : node ? [node] : [];
  for (const item of items) {
    const n = deref(doc, item);
    const s = scalarString(n);
    if (s !== null) {
      model.envFiles.push({ rawPath: s, required: true, line: lineOf(n) });
    } else if (isMap(n)) {
      // Long syntax (Compose 2.24+): `- path: ./x.env` with `required: false`.
      const pairs = new Map(mapPairs(doc, n).map((p) => [p.key, deref(doc, p.value)]));
      const path = scalarString(pairs.get('path'));
      const req = pairs.get('required');
      const required = !(isScalar(req) && (req.value === false || req.value === 'false'));
      if (path !== null) model.envFiles.push({ rawPath: path, required, line: lineOf(n) });
    }
  }
}

function readPorts(doc: Document, node: YNode, lineOf: (n: YNode) => number, model: ServiceModel): void {
  if (!isSeq(node)) return;
  for (const item of node.items) {
    const n = deref(doc, item);
    const s = scalarString(n);
    if (s !== null) {
      model.ports.push({ raw: s, line: lineOf(n) });
    } else if (isMap(n)) {
      const f = new Map(mapPairs(doc, n).map((p) => [p.key, scalarString(deref(doc, p.value))]));
      const target = f.get('target');
      if (!target) continue;
      const published = f.get('published');
      const hostIp = f.get('host_ip');
      const protocol = f.get('protocol');
      let str = published ? `${hostIp ? `${hostIp}:` : ''}${published}:${target}` : target;
      if (protocol && protocol !== 'tcp') str += `/${protocol}`;
      model.ports.push({ raw: str, line: lineOf(n) });
    }
  }
}

// ---------------------------------------------------------------------------------------------
// From the model to facts
// ---------------------------------------------------------------------------------------------

export type ReadTextResult = { ok: true; text: string } | { ok: false; missing: boolean; message: string };

export interface ComposeContext {
  /** Variables of the project `.env` (Compose's interpolation source after the shell). */
  dotenv: Record<string, string>;
  /** The shell environment `docker compose` would run in. */
  env: NodeJS.ProcessEnv;
  /** Path of the project `.env`, for notes. */
  dotenvFile?: string;
  /** Line of each key in the project `.env` (see dotenvLineNumbers), for notes. */
  dotenvLines?: Record<string, number>;
  /** Project directory: relative env_file paths resolve against it. Default: the first file's directory. */
  projectDir?: string;
  /** Reads an env_file. Without it env_file entries are not followed (keeps parsing pure). */
  readText?: (absPath: string) => ReadTextResult;
}

/** Parse one compose file's text into facts. Pure unless `ctx.readText` does I/O. */
export function parseComposeText(
  text: string,
  file: string,
  dotenv: Record<string, string>,
  env: NodeJS.ProcessEnv,
  ctx: Omit<ComposeContext, 'dotenv' | 'env'> = {},
): ComposeFacts {
  return parseComposeFiles([{ file, text }], { ...ctx, dotenv, env });
}

interface Candidate {
  service: string;
  variable: VariableName;
  credential: 'token' | 'password';
  fromEnvFile: boolean;
  /** An `environment:` pass-through with no value anywhere: Compose sets nothing, so it cannot shadow env_file. */
  emptyPassThrough: boolean;
  composeFile: string;
  source: TokenSource;
}

/**
 * Parse the compose files Compose would merge (main first, then overrides) into facts. Sources
 * that Compose's merge would not use (an earlier file's value, an env_file value under an
 * `environment:` entry) are still reported, with a `shadowed:` note naming the one that wins.
 */
export function parseComposeFiles(inputs: Array<{ file: string; text: string }>, ctx: ComposeContext): ComposeFacts {
  const facts: ComposeFacts = { files: inputs.map((i) => i.file), services: [], sources: [], errors: [] };
  const projectDir = ctx.projectDir ?? (inputs[0] ? dirname(inputs[0].file) : '.');
  const show = (p: string): string => {
    const rel = relative(projectDir, p);
    return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : p;
  };
  const dotenvName = ctx.dotenvFile ? show(ctx.dotenvFile) : '.env';
  const lookup: VarLookup = (name) => {
    const shell = ctx.env[name];
    if (shell !== undefined) return { value: shell, origin: { where: 'the shell environment' } };
    const fromFile = ctx.dotenv[name];
    if (fromFile !== undefined) {
      const line = ctx.dotenvLines?.[name];
      const where = line ? `${dotenvName} line ${line}` : dotenvName;
      return { value: fromFile, origin: ctx.dotenvFile && line ? { where, file: ctx.dotenvFile, line } : { where } };
    }
    return undefined;
  };

  const candidates: Candidate[] = [];
  const envFileTextCache = new Map<string, ReadTextResult>();

  for (const input of inputs) {
    const { model, error } = parseComposeModel(input.text, input.file);
    if (error || !model) {
      facts.errors.push({ file: input.file, message: error ?? 'unreadable' });
      continue;
    }
    const fileLabel = basename(input.file);
    for (const svc of model.services) {
      let relevant = svc.service === GATEWAY_SERVICE || svc.env.length > 0;

      for (const e of svc.env) {
        const v = VARIABLES.find((x) => x.name === e.name)!;
        const c = envEntrySource(e, v.credential, svc.service, input.file, fileLabel, lookup);
        candidates.push({
          service: svc.service,
          variable: e.name,
          credential: v.credential,
          fromEnvFile: false,
          emptyPassThrough: e.raw === null && !e.notAString && c.value === null,
          composeFile: input.file,
          source: c,
        });
      }

      if (ctx.readText) {
        for (const ref of svc.envFiles) {
          const pathRes = interpolate(ref.rawPath, lookup);
          const abs = resolve(projectDir, pathRes.value);
          let got = envFileTextCache.get(abs);
          if (!got) {
            got = ctx.readText(abs);
            envFileTextCache.set(abs, got);
          }
          if (!got.ok) {
            if (got.missing && !ref.required) continue;
            facts.errors.push({
              file: input.file,
              message: `env_file ${show(abs)} of service ${svc.service} (line ${ref.line}) ${
                got.missing ? 'not found; docker compose would refuse to start' : `unreadable: ${got.message}`
              }`,
            });
            continue;
          }
          const parsed = parseDotenv(got.text);
          const lines = dotenvLineNumbers(got.text);
          for (const v of VARIABLES) {
            const raw = parsed[v.name];
            if (raw === undefined) continue;
            relevant = true;
            const line = lines[v.name];
            // Compose expands ${VAR} inside env_file values (not in single-quoted ones), using
            // the file's own variables first, then the shell and the project .env.
            const singleQuoted = line ? dotenvRawValue(got.text, line).startsWith("'") : false;
            const fileLookup: VarLookup = (name) =>
              parsed[name] !== undefined && name !== v.name
                ? { value: parsed[name]!, origin: { where: `${show(abs)}${lines[name] ? ` line ${lines[name]}` : ''}` } }
                : lookup(name);
            const res = singleQuoted ? null : interpolate(raw, fileLookup);
            const value = res ? res.value : raw;
            const problems = new Set<TokenProblem>(tokenProblems(value));
            const notes = [`env_file of service ${svc.service} (${fileLabel} line ${ref.line})`];
            if (res) notes.push(...refNotes(res));
            if (res && (res.unresolved.length || res.errors.length)) problems.add('unresolved-var');
            const wholeUnresolved = res !== null && res.value === '' && (res.unresolved.length > 0 || res.errors.length > 0);
            if (wholeUnresolved) problems.delete('empty');
            candidates.push({
              service: svc.service,
              variable: v.name,
              credential: v.credential,
              fromEnvFile: true,
              emptyPassThrough: false,
              composeFile: input.file,
              source: {
                id: '',
                kind: 'compose',
                label: `${show(abs)}${line ? ` line ${line}` : ''} (${svc.service} env_file ${v.name})`,
                variable: v.name,
                credential: v.credential,
                file: abs,
                ...(line ? { line } : {}),
                value: wholeUnresolved ? null : new Secret(value),
                problems: [...problems],
                notes,
              },
            });
          }
        }
      }

      if (!relevant) continue;
      facts.services.push({
        file: input.file,
        service: svc.service,
        publishedPorts: svc.ports.map((p) => interpolate(p.raw, lookup).value),
      });
    }
  }

  markShadowed(candidates);
  assignIds(candidates);
  facts.sources = candidates.map((c) => c.source);
  return facts;
}

function refNotes(res: InterpolationResult): string[] {
  const notes: string[] = [];
  for (const r of res.refs) {
    if (r.usedDefault) notes.push(`via \${${r.name}}: the default/alternative in the file was used (${r.name} ${r.origin ? `set in ${r.origin.where}` : 'not set'})`);
    else if (r.origin) notes.push(`via \${${r.name}} from ${r.origin.where}`);
    else notes.push(`via \${${r.name}}: not set in the shell environment or .env`);
  }
  notes.push(...res.errors);
  return notes;
}

function envEntrySource(
  e: EnvEntry,
  credential: 'token' | 'password',
  service: string,
  file: string,
  fileLabel: string,
  lookup: VarLookup,
): TokenSource {
  const base = {
    id: '',
    kind: 'compose' as const,
    variable: e.name,
    credential,
    file,
    line: e.line,
  };
  const label = (extra = ''): string => `${fileLabel} line ${e.line} (${service} ${e.name}${extra})`;
  if (e.notAString) {
    return { ...base, label: label(), value: null, problems: ['not-a-string'], notes: ['the value is a YAML map or list; docker compose rejects it'] };
  }
  if (e.raw === null) {
    // Bare `- NAME` (or `NAME:` with no value): Compose passes the value from its own
    // environment, which is the shell plus the project .env.
    const found = lookup(e.name);
    if (!found) {
      return {
        ...base,
        label: label(),
        value: null,
        problems: ['unresolved-var'],
        notes: [`passes ${e.name} through from the shell, but it is not set in the shell environment or .env; the container gets none`],
      };
    }
    return {
      ...base,
      label: label(` from ${found.origin.where}`),
      value: new Secret(found.value),
      problems: tokenProblems(found.value),
      notes: [`passed through from ${found.origin.where}`],
      ...valueAt(found.origin),
    };
  }
  const res = interpolate(e.raw, lookup);
  const problems = new Set<TokenProblem>();
  const notes = refNotes(res);
  if (res.refs.length === 0) notes.unshift(`literal value written in ${fileLabel}`);
  const unresolved = res.unresolved.length > 0 || res.errors.length > 0;
  // The whole value is one unset reference: Compose would set an empty string, which OpenClaw
  // treats as no token at all. Report the reference, not a fake empty token.
  if (unresolved && res.value === '') {
    return { ...base, label: label(), value: null, problems: ['unresolved-var'], notes };
  }
  for (const p of tokenProblems(res.value)) problems.add(p);
  if (unresolved) problems.add('unresolved-var');
  const used = res.refs.filter((r) => r.origin && !r.usedDefault);
  const origins = [...new Set(used.map((r) => r.origin!.where))];
  return {
    ...base,
    label: label(origins.length ? ` via ${origins.join(', ')}` : ''),
    value: new Secret(res.value),
    problems: [...problems],
    notes,
    // A value that is exactly one `${VAR}` from the project .env is changed on that .env line.
    ...(used.length === 1 && res.refs.length === 1 ? valueAt(used[0]!.origin!) : {}),
  };
}

function valueAt(origin: VarOrigin): Pick<TokenSource, 'valueAt'> {
  return origin.file && origin.line ? { valueAt: { file: origin.file, line: origin.line } } : {};
}

/**
 * Compose's merge: a later file's `environment` entry replaces an earlier one, the last env_file
 * defining a name wins among env_files, and `environment` beats every env_file. An unresolvable
 * bare pass-through is not treated as shadowing env_file values, since it sets nothing.
 */
function markShadowed(cands: Candidate[]): void {
  const groups = new Map<string, Candidate[]>();
  for (const c of cands) {
    const k = `${c.service}\0${c.variable}`;
    groups.set(k, [...(groups.get(k) ?? []), c]);
  }
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    const envEntries = group.filter((c) => !c.fromEnvFile && !c.emptyPassThrough);
    const envFiles = group.filter((c) => c.fromEnvFile);
    const winner = envEntries.at(-1) ?? envFiles.at(-1) ?? group.at(-1)!;
    for (const c of group) {
      if (c === winner) continue;
      c.source.shadowedBy = winner.source.label;
      (c.source.notes ??= []).push(`shadowed: docker compose uses ${winner.source.label} instead`);
    }
  }
}

function assignIds(cands: Candidate[]): void {
  const used = new Set<string>();
  for (const c of cands) {
    let id = `compose:${c.service}${c.fromEnvFile ? ':env_file' : ''}${c.credential === 'password' ? ':password' : ''}`;
    if (used.has(id)) id = `${id}@${basename(c.composeFile)}`;
    let n = 2;
    const stem = id;
    while (used.has(id)) id = `${stem}#${n++}`;
    used.add(id);
    c.source.id = id;
  }
}

// ---------------------------------------------------------------------------------------------
// I/O
// ---------------------------------------------------------------------------------------------

/** Synchronous on purpose: `parseComposeFiles` stays a plain function, and compose/env files are tiny. */
function readTextFile(path: string): ReadTextResult {
  try {
    const st = statSync(path);
    if (st.isDirectory()) return { ok: false, missing: false, message: 'is a directory' };
    if (st.size > MAX_FILE_BYTES) return { ok: false, missing: false, message: `too large (${st.size} bytes)` };
    return { ok: true, text: readFileSync(path, 'utf8') };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { ok: false, missing: true, message: 'not found' };
    return { ok: false, missing: false, message: code ?? (err instanceof Error ? err.message : String(err)) };
  }
}

/**
 * Read the compose files `docker compose` would use in `cwd` (or `composeFile`, or the files in
 * COMPOSE_FILE), the project `.env` beside the first one, and every env_file they name.
 */
export async function readCompose(opts: { cwd: string; composeFile?: string; env: NodeJS.ProcessEnv }): Promise<ComposeFacts> {
  let files: string[];
  if (opts.composeFile) files = findComposeFiles(opts.cwd, opts.composeFile);
  else if (opts.env.COMPOSE_FILE) {
    const sep = opts.env.COMPOSE_PATH_SEPARATOR || (process.platform === 'win32' ? ';' : ':');
    files = opts.env.COMPOSE_FILE.split(sep)
      .filter((f) => f.trim() !== '')
      .map((f) => resolve(opts.cwd, f));
  } else files = findComposeFiles(opts.cwd);
  if (files.length === 0) return { files: [], services: [], sources: [], errors: [] };

  // Compose's project directory is the first file's directory: its .env feeds interpolation and
  // relative paths in every file (overrides included) resolve against it.
  const projectDir = dirname(files[0]!);
  const errors: ComposeFacts['errors'] = [];
  const dotenvFile = join(projectDir, '.env');
  let dotenv: Record<string, string> = {};
  let dotenvLines: Record<string, number> = {};
  if (existsSync(dotenvFile)) {
    const r = readTextFile(dotenvFile);
    if (r.ok) {
      dotenv = parseDotenv(r.text);
      dotenvLines = dotenvLineNumbers(r.text);
    } else errors.push({ file: dotenvFile, message: `project .env unreadable: ${r.message}` });
  }

  const inputs: Array<{ file: string; text: string }> = [];
  for (const file of files) {
    const r = readTextFile(file);
    if (r.ok) inputs.push({ file, text: r.text });
    else errors.push({ file, message: r.missing ? 'compose file not found' : `unreadable: ${r.message}` });
  }
  const facts = parseComposeFiles(inputs, {
    dotenv,
    env: opts.env,
    dotenvFile,
    dotenvLines,
    projectDir,
    readText: readTextFile,
  });
  return { ...facts, files, errors: [...errors, ...facts.errors] };
}
