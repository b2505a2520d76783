/**
 * From parsed compose files to token sources: what OPENCLAW_GATEWAY_TOKEN / _PASSWORD each
 * service would get, from where (a literal, `${VAR}` from the shell or the project `.env`, an
 * `env_file`), and which of several definitions Compose's merge would actually use.
 */
import { basename, dirname, isAbsolute, relative, resolve } from 'node:path';
import { tokenProblems } from '../../hygiene.js';
import { Secret } from '../../secret.js';
import type { TokenProblem, TokenSource } from '../../types.js';
import { CREDENTIAL_VARIABLES, credentialOf, type CredentialKind, type CredentialVariableName } from '../credential-names.js';
import { envLineNumbers, envValues, lastAssignment, parseEnvLines, type EnvLine } from '../env-lines.js';
import type { ComposeFacts } from '../types.js';
import { interpolate, refNotes, type VarLookup, type VarOrigin } from './interpolate.js';
import { parseComposeModel, type EnvEntry, type EnvFileRef, type ServiceModel } from './model.js';

/** The service OpenClaw's own docker-compose.yml defines for the gateway. */
export const GATEWAY_SERVICE = 'openclaw-gateway';

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

interface Candidate {
  service: string;
  variable: CredentialVariableName;
  credential: CredentialKind;
  fromEnvFile: boolean;
  /** An `environment:` pass-through with no value anywhere: Compose sets nothing, so it cannot shadow env_file. */
  emptyPassThrough: boolean;
  composeFile: string;
  source: TokenSource;
}

/** What every file of one parse shares: how to show paths, look variables up, read env_files. */
interface Run {
  ctx: ComposeContext;
  projectDir: string;
  show: (p: string) => string;
  lookup: VarLookup;
  envFiles: Map<string, ReadTextResult>;
  facts: ComposeFacts;
  candidates: Candidate[];
}

/** Parse one compose file's text into facts. Pure unless `ctx.readText` does I/O. */
export function parseComposeText(text: string, file: string, dotenv: Record<string, string>, env: NodeJS.ProcessEnv, ctx: Omit<ComposeContext, 'dotenv' | 'env'> = {}): ComposeFacts {
  return parseComposeFiles([{ file, text }], { ...ctx, dotenv, env });
}

/**
 * Parse the compose files Compose would merge (main first, then overrides) into facts. Sources
 * that Compose's merge would not use (an earlier file's value, an env_file value under an
 * `environment:` entry) are still reported, with a `shadowed:` note naming the one that wins.
 */
export function parseComposeFiles(inputs: Array<{ file: string; text: string }>, ctx: ComposeContext): ComposeFacts {
  const run = startRun(inputs, ctx);
  for (const input of inputs) {
    const { model, error } = parseComposeModel(input.text, input.file);
    if (error || !model) {
      run.facts.errors.push({ file: input.file, message: error ?? 'unreadable' });
      continue;
    }
    for (const svc of model.services) addService(run, svc, input.file);
  }
  markShadowed(run.candidates);
  assignIds(run.candidates);
  run.facts.sources = run.candidates.map((c) => c.source);
  return run.facts;
}

function startRun(inputs: Array<{ file: string }>, ctx: ComposeContext): Run {
  const projectDir = ctx.projectDir ?? (inputs[0] ? dirname(inputs[0].file) : '.');
  const show = (p: string): string => {
    const rel = relative(projectDir, p);
    return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : p;
  };
  const dotenvName = ctx.dotenvFile ? show(ctx.dotenvFile) : '.env';
  const lookup: VarLookup = (name) => {
    const shell = ctx.env[name];
    if (shell !== undefined) return { value: shell, origin: { where: 'the shell environment' } };
    if (!Object.hasOwn(ctx.dotenv, name)) return undefined;
    const line = ctx.dotenvLines?.[name];
    const where = line ? `${dotenvName} line ${line}` : dotenvName;
    return { value: ctx.dotenv[name]!, origin: ctx.dotenvFile && line ? { where, file: ctx.dotenvFile, line } : { where } };
  };
  const facts: ComposeFacts = { files: inputs.map((i) => i.file), services: [], sources: [], errors: [] };
  return { ctx, projectDir, show, lookup, envFiles: new Map(), facts, candidates: [] };
}

function addService(run: Run, svc: ServiceModel, composeFile: string): void {
  const fileLabel = basename(composeFile);
  let relevant = svc.service === GATEWAY_SERVICE || svc.env.length > 0;
  for (const e of svc.env) {
    const source = envEntrySource(e, svc.service, composeFile, fileLabel, run.lookup);
    const emptyPassThrough = e.raw === null && !e.notAString && source.value === null;
    run.candidates.push({ service: svc.service, variable: e.name, credential: credentialOf(e.name), fromEnvFile: false, emptyPassThrough, composeFile, source });
  }
  if (run.ctx.readText) {
    for (const ref of svc.envFiles) if (addEnvFile(run, svc.service, ref, composeFile)) relevant = true;
  }
  if (!relevant) return;
  run.facts.services.push({ file: composeFile, service: svc.service, publishedPorts: svc.ports.map((p) => interpolate(p.raw, run.lookup).value) });
}

/** The sources of one `env_file:` entry; true when it defines a credential. */
function addEnvFile(run: Run, service: string, ref: EnvFileRef, composeFile: string): boolean {
  const abs = resolve(run.projectDir, interpolate(ref.rawPath, run.lookup).value);
  let got = run.envFiles.get(abs);
  if (!got) {
    got = run.ctx.readText!(abs);
    run.envFiles.set(abs, got);
  }
  if (!got.ok) {
    if (got.missing && !ref.required) return false;
    const why = got.missing ? 'not found; docker compose would refuse to start' : `unreadable: ${got.message}`;
    run.facts.errors.push({ file: composeFile, message: `env_file ${run.show(abs)} of service ${service} (line ${ref.line}) ${why}` });
    return false;
  }
  const lines = parseEnvLines(got.text);
  const values = envValues(lines);
  const lineNumbers = envLineNumbers(lines);
  let found = false;
  for (const v of CREDENTIAL_VARIABLES) {
    const a = lastAssignment(lines, v.name);
    if (!a) continue;
    found = true;
    const source = envFileSource({ run, service, ref, composeFile, abs, variable: v.name, assignment: a.last, values, lineNumbers });
    run.candidates.push({ service, variable: v.name, credential: v.credential, fromEnvFile: true, emptyPassThrough: false, composeFile, source });
  }
  return found;
}

function envFileSource(a: {
  run: Run;
  service: string;
  ref: EnvFileRef;
  composeFile: string;
  abs: string;
  variable: CredentialVariableName;
  assignment: EnvLine;
  values: Record<string, string>;
  lineNumbers: Record<string, number>;
}): TokenSource {
  const { run, abs, variable, assignment: line } = a;
  const lineOf = (name: string): number | undefined => a.lineNumbers[name];
  // Compose expands ${VAR} inside env_file values (not in single-quoted ones), using the file's
  // own variables first, then the shell and the project .env.
  const fileLookup: VarLookup = (name) =>
    Object.hasOwn(a.values, name) && name !== variable ? { value: a.values[name]!, origin: { where: `${run.show(abs)}${lineOf(name) ? ` line ${lineOf(name)}` : ''}` } } : run.lookup(name);
  const res = line.quote === "'" ? null : interpolate(line.value, fileLookup);
  const value = res ? res.value : line.value;
  const problems = new Set<TokenProblem>(tokenProblems(value));
  const notes = [`env_file of service ${a.service} (${basename(a.composeFile)} line ${a.ref.line})`];
  if (res) notes.push(...refNotes(res));
  if (res && (res.unresolved.length || res.errors.length)) problems.add('unresolved-var');
  const wholeUnresolved = res !== null && res.value === '' && (res.unresolved.length > 0 || res.errors.length > 0);
  if (wholeUnresolved) problems.delete('empty');
  return {
    id: '',
    kind: 'compose',
    label: `${run.show(abs)} line ${line.line} (${a.service} env_file ${variable})`,
    variable,
    credential: credentialOf(variable),
    file: abs,
    line: line.line,
    value: wholeUnresolved ? null : new Secret(value),
    problems: [...problems],
    notes,
  };
}

function envEntrySource(e: EnvEntry, service: string, file: string, fileLabel: string, lookup: VarLookup): TokenSource {
  const base = { id: '', kind: 'compose' as const, variable: e.name, credential: credentialOf(e.name), file, line: e.line };
  const label = (extra = ''): string => `${fileLabel} line ${e.line} (${service} ${e.name}${extra})`;
  if (e.notAString) {
    return { ...base, label: label(), value: null, problems: ['not-a-string'], notes: ['the value is a YAML map or list; docker compose rejects it'] };
  }
  if (e.raw === null) {
    // Bare `- NAME` (or `NAME:` with no value): Compose passes the value from its own
    // environment, which is the shell plus the project .env.
    const found = lookup(e.name);
    if (!found) {
      const note = `passes ${e.name} through from the shell, but it is not set in the shell environment or .env; the container gets none`;
      return { ...base, label: label(), value: null, problems: ['unresolved-var'], notes: [note] };
    }
    const notes = [`passed through from ${found.origin.where}`];
    return { ...base, label: label(` from ${found.origin.where}`), value: new Secret(found.value), problems: tokenProblems(found.value), notes, ...valueAt(found.origin) };
  }
  const res = interpolate(e.raw, lookup);
  const notes = refNotes(res);
  if (res.refs.length === 0) notes.unshift(`literal value written in ${fileLabel}`);
  const unresolved = res.unresolved.length > 0 || res.errors.length > 0;
  // The whole value is one unset reference: Compose would set an empty string, which OpenClaw
  // treats as no token at all. Report the reference, not a fake empty token.
  if (unresolved && res.value === '') return { ...base, label: label(), value: null, problems: ['unresolved-var'], notes };
  const problems = new Set<TokenProblem>(tokenProblems(res.value));
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
    const g = groups.get(k);
    if (g) g.push(c);
    else groups.set(k, [c]);
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
