/**
 * Service-definition facts: gateway credentials baked into the way the gateway is started as a
 * service. Older `openclaw gateway install` runs embedded OPENCLAW_GATEWAY_TOKEN into the systemd
 * unit / LaunchAgent / gateway.cmd, and that copy goes stale when the config token changes
 * (issues #17223, #19409, #70752, #13756); `service-env/*.env` is the newer generated env file
 * (#113294). launchd does not inherit shell env, so `launchctl getenv` is a separate place (#13692).
 *
 * Pure parsers (`parseSystemdUnit`, `parsePlistEnv`, `parseCmdEnv`) are exported separately from
 * `readServices`, which only reads files and runs `launchctl` on macOS.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, isAbsolute, join, resolve } from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { readCommand as run } from './read-command.js';
import { tokenProblems } from '../hygiene.js';
import { Secret } from '../secret.js';
import type { SourceKind, TokenProblem, TokenSource } from '../types.js';
import { dotenvLineNumbers } from './compose.js';
import type { ServiceFacts } from './types.js';

const VARIABLES = [
  { name: 'OPENCLAW_GATEWAY_TOKEN', credential: 'token' },
  { name: 'OPENCLAW_GATEWAY_PASSWORD', credential: 'password' },
] as const;
type VariableName = (typeof VARIABLES)[number]['name'];
const credentialOf = (name: VariableName): 'token' | 'password' => VARIABLES.find((v) => v.name === name)!.credential;
const isVariable = (name: string): name is VariableName => VARIABLES.some((v) => v.name === name);

/** Service files are small; a huge file is not one of ours and is not worth reading. */
const MAX_FILE_BYTES = 1024 * 1024;

const UNIT_NAME = /^(openclaw|clawdbot)-gateway.*\.service$/;
// `ai.openclaw.gateway`, or `ai.openclaw.<profile>` for named profiles (reference section 4).
const PLIST_NAME = /^ai\.openclaw.*\.plist$/;

// ---------------------------------------------------------------------------------------------
// systemd
// ---------------------------------------------------------------------------------------------

export interface EnvAssignment {
  name: string;
  value: string;
  line: number;
}

export interface SystemdUnitEnv {
  /** Effective `Environment=` assignments (after `Environment=` resets; the last one per name). */
  environment: EnvAssignment[];
  /** `EnvironmentFile=` entries in order; `optional` for the `-` prefix. */
  environmentFiles: Array<{ path: string; optional: boolean; line: number }>;
}

/**
 * Expand the systemd specifiers that matter for paths and values here: `%h` (home) and `%%`.
 * Others are left as written; a token containing `%` is unusual enough not to model them all.
 */
function expandSpecifiers(s: string, home: string): string {
  return s.replace(/%([h%])/g, (_m, c: string) => (c === 'h' ? home : '%'));
}

/**
 * Split an `Environment=` value into words as systemd does (whitespace separated, double or single
 * quotes anywhere in a word, C-style backslash escapes).
 */
export function splitSystemdWords(value: string): string[] {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  let quote: '"' | "'" | null = null;
  const escapes: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', '"': '"', "'": "'", ' ': ' ' };
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (quote) {
      if (c === quote) quote = null;
      else if (c === '\\' && i + 1 < value.length) cur += escapes[value[++i]!] ?? value[i];
      else cur += c;
      continue;
    }
    if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
    } else if (c === '\\' && i + 1 < value.length) {
      cur += escapes[value[++i]!] ?? value[i];
      inWord = true;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (inWord) words.push(cur);
  return words;
}

/** The `Environment=` / `EnvironmentFile=` settings of a systemd unit or drop-in's [Service] section. */
export function parseSystemdUnit(text: string, home: string): SystemdUnitEnv {
  const out: SystemdUnitEnv = { environment: [], environmentFiles: [] };
  let env = new Map<string, EnvAssignment>();
  let section = '';
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const startLine = i + 1;
    let line = lines[i]!;
    // A trailing backslash continues the setting on the next line.
    while (/\\$/.test(line) && i + 1 < lines.length) line = `${line.slice(0, -1)} ${lines[++i]!}`;
    const t = line.trim();
    if (t === '' || t.startsWith('#') || t.startsWith(';')) continue;
    const sec = /^\[(.+)\]$/.exec(t);
    if (sec) {
      section = sec[1]!;
      continue;
    }
    if (section !== 'Service') continue;
    const kv = /^([A-Za-z]+)\s*=\s*(.*)$/.exec(t);
    if (!kv) continue;
    const [, key, value] = kv as unknown as [string, string, string];
    if (key === 'Environment') {
      // An empty assignment resets everything set before it, as in systemd.
      if (value.trim() === '') {
        env = new Map();
        continue;
      }
      for (const word of splitSystemdWords(value)) {
        const eq = word.indexOf('=');
        if (eq <= 0) continue;
        const name = word.slice(0, eq);
        env.delete(name); // keep insertion order = order of the effective assignment
        env.set(name, { name, value: expandSpecifiers(word.slice(eq + 1), home), line: startLine });
      }
    } else if (key === 'EnvironmentFile') {
      if (value.trim() === '') {
        out.environmentFiles = [];
        continue;
      }
      let p = value.trim();
      const optional = p.startsWith('-');
      if (optional) p = p.slice(1);
      if ((p.startsWith('"') && p.endsWith('"')) || (p.startsWith("'") && p.endsWith("'"))) p = p.slice(1, -1);
      out.environmentFiles.push({ path: expandSpecifiers(p, home), optional, line: startLine });
    }
  }
  out.environment = [...env.values()];
  return out;
}

// ---------------------------------------------------------------------------------------------
// launchd plist
// ---------------------------------------------------------------------------------------------

export interface PlistEnvEntry {
  name: string;
  /** null when the value is not a <string> (launchd ignores it). */
  value: string | null;
  line: number;
}

function decodeXml(s: string): string {
  return s
    .replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, (_m, c: string) => c.replace(/&/g, '&amp;').replace(/</g, '&lt;'))
    .replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g, (_m, e: string) => {
      if (e.startsWith('#x')) return String.fromCodePoint(parseInt(e.slice(2), 16));
      if (e.startsWith('#')) return String.fromCodePoint(parseInt(e.slice(1), 10));
      return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[e] ?? '';
    });
}

function lineAt(text: string, offset: number): number {
  let n = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}

/**
 * The `EnvironmentVariables` dict of an XML property list, by a small tag walk (no dependency):
 * keys and string values with entity/CDATA decoding and line numbers. Binary plists and plists
 * whose dict cannot be walked come back as `error`.
 */
export function parsePlistEnv(text: string): { entries: PlistEnvEntry[]; error: string | null } {
  if (text.startsWith('bplist')) {
    return { entries: [], error: 'binary property list; convert it with `plutil -convert xml1` to inspect it' };
  }
  const key = /<key>\s*EnvironmentVariables\s*<\/key>/.exec(text);
  if (!key) return { entries: [], error: null };
  const tok = /<!--[\s\S]*?-->|<key>([\s\S]*?)<\/key>|<string\s*\/>|<string>([\s\S]*?)<\/string>|<(integer|real|date|data)>([\s\S]*?)<\/\3>|<(true|false)\s*\/>|<(dict|array)\s*\/>|<(\/?)(dict|array)>|(\S)/g;
  tok.lastIndex = key.index + key[0].length;
  const entries: PlistEnvEntry[] = [];
  let depth = 0;
  let pending: { name: string; line: number } | null = null;
  let m: RegExpExecArray | null;
  while ((m = tok.exec(text))) {
    if (m[0].startsWith('<!--')) continue;
    if (m[9] !== undefined) {
      if (m[0] === '<') return { entries, error: `unexpected markup at line ${lineAt(text, m.index)} in EnvironmentVariables` };
      continue; // stray text between tags
    }
    if (depth === 0) {
      // The first element after the key must be the dict itself.
      if (m[6] === 'dict') return { entries, error: null }; // <dict/>: empty
      if (m[8] === 'dict' && m[7] === '') {
        depth = 1;
        continue;
      }
      return { entries, error: `EnvironmentVariables is not a <dict> (line ${lineAt(text, m.index)})` };
    }
    if (m[8] !== undefined) {
      depth += m[7] === '/' ? -1 : 1;
      if (depth === 0) return { entries, error: null };
      continue;
    }
    if (depth > 1) continue; // inside a nested value: not an env var
    if (m[1] !== undefined) {
      pending = { name: decodeXml(m[1]).trim(), line: lineAt(text, m.index) };
      continue;
    }
    if (!pending) continue;
    if (m[0].startsWith('<string')) entries.push({ ...pending, value: m[2] === undefined ? '' : decodeXml(m[2]) });
    else entries.push({ ...pending, value: null });
    pending = null;
  }
  return { entries, error: depth > 0 ? 'EnvironmentVariables dict is not closed' : null };
}

// ---------------------------------------------------------------------------------------------
// Windows gateway.cmd
// ---------------------------------------------------------------------------------------------

/**
 * `set NAME=value` / `set "NAME=value"` lines of a .cmd file; the last assignment per name wins.
 * Names are upper-cased (cmd variables are case-insensitive). Unquoted values keep trailing
 * spaces, exactly as cmd does, so tokenProblems can flag them.
 */
export function parseCmdEnv(text: string): EnvAssignment[] {
  const env = new Map<string, EnvAssignment>();
  text.split(/\r?\n/).forEach((line, idx) => {
    const quoted = /^\s*@?set\s+"([^="]+)=(.*)"\s*$/i.exec(line);
    const plain = quoted ? null : /^\s*@?set\s+([^="\s]+)=(.*)$/i.exec(line);
    const m = quoted ?? plain;
    if (!m) return;
    const name = m[1]!.trim().toUpperCase();
    env.delete(name);
    env.set(name, { name, value: m[2]!, line: idx + 1 });
  });
  return [...env.values()];
}

// ---------------------------------------------------------------------------------------------
// I/O
// ---------------------------------------------------------------------------------------------

type ReadResult = { ok: true; text: string } | { ok: false; missing: boolean; message: string };

async function readText(path: string): Promise<ReadResult> {
  try {
    const st = await stat(path);
    if (st.isDirectory()) return { ok: false, missing: false, message: 'is a directory' };
    if (st.size > MAX_FILE_BYTES) return { ok: false, missing: false, message: `too large (${st.size} bytes)` };
    return { ok: true, text: await readFile(path, 'utf8') };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { ok: false, missing: true, message: 'not found' };
    return { ok: false, missing: false, message: code ?? (err instanceof Error ? err.message : String(err)) };
  }
}

async function listDir(dir: string, match: RegExp): Promise<string[]> {
  try {
    const names = await readdir(dir);
    return names.filter((n) => match.test(n)).sort().map((n) => join(dir, n));
  } catch {
    return [];
  }
}

class Collector {
  readonly facts: ServiceFacts = { files: [], sources: [], errors: [] };
  readonly #ids = new Set<string>();
  readonly #files = new Set<string>();

  addFile(path: string, kind: ServiceFacts['files'][number]['kind']): void {
    if (this.#files.has(path)) return;
    this.#files.add(path);
    this.facts.files.push({ path, kind });
  }

  add(s: {
    id: string;
    kind?: SourceKind;
    label: string;
    variable: VariableName;
    file?: string;
    line?: number;
    raw: string | null;
    extraProblems?: TokenProblem[];
    notes: string[];
    shadowedBy?: string;
  }): void {
    const credential = credentialOf(s.variable);
    let id = credential === 'password' ? `${s.id}:password` : s.id;
    for (let n = 2; this.#ids.has(id); n++) id = `${s.id}#${n}`;
    this.#ids.add(id);
    const problems = new Set<TokenProblem>([...(s.raw === null ? [] : tokenProblems(s.raw)), ...(s.extraProblems ?? [])]);
    this.facts.sources.push({
      id,
      kind: s.kind ?? 'service',
      label: s.label,
      variable: s.variable,
      credential,
      ...(s.file ? { file: s.file } : {}),
      ...(s.line ? { line: s.line } : {}),
      value: s.raw === null ? null : new Secret(s.raw),
      problems: [...problems],
      notes: s.notes,
      ...(s.shadowedBy ? { shadowedBy: s.shadowedBy } : {}),
    });
  }
}

/** Sources from a dotenv-format file (service-env/*.env, a systemd EnvironmentFile). */
function envFileSources(c: Collector, text: string, file: string, id: string, labelTail: string, notes: string[]): VariableName[] {
  const parsed = parseDotenv(text);
  const lines = dotenvLineNumbers(text);
  const found: VariableName[] = [];
  for (const v of VARIABLES) {
    const raw = parsed[v.name];
    if (raw === undefined) continue;
    found.push(v.name);
    const line = lines[v.name];
    c.add({
      id,
      label: `${basename(file)}${line ? ` line ${line}` : ''} (${labelTail}${v.name})`,
      variable: v.name,
      file,
      ...(line ? { line } : {}),
      raw,
      notes: [...notes],
    });
  }
  return found;
}

async function readSystemd(c: Collector, home: string, env: NodeJS.ProcessEnv, envFilesRead: Set<string>): Promise<void> {
  const dirs = [join(home, '.config', 'systemd', 'user')];
  // systemd reads $XDG_CONFIG_HOME/systemd/user when it is set; only follow it when absolute.
  const xdg = env.XDG_CONFIG_HOME;
  if (xdg && isAbsolute(xdg)) {
    const d = join(xdg, 'systemd', 'user');
    if (resolve(d) !== resolve(dirs[0]!)) dirs.push(d);
  }
  for (const dir of dirs) {
    for (const unit of await listDir(dir, UNIT_NAME)) {
      const unitName = basename(unit);
      // Drop-ins (`systemctl --user edit`) are applied after the unit, in name order.
      const parts = [unit, ...(await listDir(`${unit}.d`, /\.conf$/))];
      const assignments: Array<EnvAssignment & { file: string }> = [];
      const envFiles: Array<{ path: string; optional: boolean; line: number; file: string }> = [];
      for (const part of parts) {
        const r = await readText(part);
        if (!r.ok) {
          if (r.missing) continue;
          c.facts.errors.push({ file: part, message: `unreadable: ${r.message}` });
          continue;
        }
        c.addFile(part, 'systemd');
        const u = parseSystemdUnit(r.text, home);
        for (const a of u.environment) {
          const i = assignments.findIndex((x) => x.name === a.name);
          if (i >= 0) assignments.splice(i, 1);
          assignments.push({ ...a, file: part });
        }
        for (const f of u.environmentFiles) envFiles.push({ ...f, file: part });
      }

      // systemd: variables from EnvironmentFile= override Environment=, later files override earlier.
      const fromFiles = new Map<VariableName, string>();
      const fileSourcesStart = c.facts.sources.length;
      for (const ef of envFiles) {
        const path = isAbsolute(ef.path) ? ef.path : resolve(home, ef.path);
        const r = await readText(path);
        if (!r.ok) {
          if (r.missing && ef.optional) continue;
          c.facts.errors.push({
            file: ef.file,
            message: `EnvironmentFile ${path} (line ${ef.line}) ${r.missing ? 'not found; systemd would refuse to start the unit' : `unreadable: ${r.message}`}`,
          });
          continue;
        }
        envFilesRead.add(resolve(path));
        c.addFile(path, 'service-env');
        const found = envFileSources(c, r.text, path, `service:${unitName}:${basename(path)}`, `EnvironmentFile of ${unitName}, `, [
          `EnvironmentFile= of ${unitName} (${basename(ef.file)} line ${ef.line})`,
        ]);
        for (const name of found) fromFiles.set(name, `${basename(path)}`);
      }
      // A variable set by several EnvironmentFiles: only the last one counts.
      const fileSources = c.facts.sources.slice(fileSourcesStart);
      for (const s of fileSources) {
        const last = fileSources.filter((x) => x.variable === s.variable).at(-1);
        if (last && last !== s) {
          s.shadowedBy = last.label;
          (s.notes ??= []).push(`shadowed: systemd uses ${last.label} instead`);
        }
      }

      for (const a of assignments) {
        if (!isVariable(a.name)) continue;
        const overriddenBy = fromFiles.get(a.name);
        c.add({
          id: `service:${unitName}`,
          label: `${basename(a.file)} line ${a.line} (Environment= ${a.name})`,
          variable: a.name,
          file: a.file,
          line: a.line,
          raw: a.value,
          ...(overriddenBy ? { shadowedBy: `${a.name} from EnvironmentFile ${overriddenBy}` } : {}),
          notes: [
            `systemd user unit ${unitName}`,
            ...(overriddenBy ? [`shadowed: systemd uses ${a.name} from EnvironmentFile ${overriddenBy} instead`] : []),
          ],
        });
      }
    }
  }
}

async function readServiceEnvDir(c: Collector, stateDir: string, envFilesRead: Set<string>): Promise<void> {
  for (const file of await listDir(join(stateDir, 'service-env'), /\.env$/)) {
    c.addFile(file, 'service-env');
    // Already reported as a systemd unit's EnvironmentFile: do not report the same line twice.
    if (envFilesRead.has(resolve(file))) continue;
    const r = await readText(file);
    if (!r.ok) {
      c.facts.errors.push({ file, message: `unreadable: ${r.message}` });
      continue;
    }
    envFileSources(c, r.text, file, `service:${basename(file)}`, '', ['generated service env file (service-env)']);
  }
}

async function readLaunchAgents(c: Collector, home: string): Promise<void> {
  for (const file of await listDir(join(home, 'Library', 'LaunchAgents'), PLIST_NAME)) {
    const r = await readText(file);
    if (!r.ok) {
      if (!r.missing) c.facts.errors.push({ file, message: `unreadable: ${r.message}` });
      continue;
    }
    c.addFile(file, 'launchd');
    const { entries, error } = parsePlistEnv(r.text);
    if (error) c.facts.errors.push({ file, message: error });
    const last = new Map<string, PlistEnvEntry>();
    for (const e of entries) last.set(e.name, e); // a repeated key: the last one wins
    for (const e of last.values()) {
      if (!isVariable(e.name)) continue;
      c.add({
        id: `service:${basename(file)}`,
        label: `${basename(file)} line ${e.line} (EnvironmentVariables ${e.name})`,
        variable: e.name,
        file,
        line: e.line,
        raw: e.value,
        ...(e.value === null ? { extraProblems: ['not-a-string' as const] } : {}),
        notes: ['LaunchAgent EnvironmentVariables'],
      });
    }
  }
}

async function readGatewayCmd(c: Collector, stateDir: string): Promise<void> {
  const file = join(stateDir, 'gateway.cmd');
  const r = await readText(file);
  if (!r.ok) {
    if (!r.missing) c.facts.errors.push({ file, message: `unreadable: ${r.message}` });
    return;
  }
  c.addFile(file, 'windows-cmd');
  for (const a of parseCmdEnv(r.text)) {
    if (!isVariable(a.name)) continue;
    c.add({
      id: 'service:gateway.cmd',
      label: `gateway.cmd line ${a.line} (set ${a.name})`,
      variable: a.name,
      file,
      line: a.line,
      raw: a.value,
      notes: ['Windows scheduled-task launcher'],
    });
  }
}

type LaunchctlAnswer = { v: (typeof VARIABLES)[number]; r: Awaited<ReturnType<typeof run>> };

function queryLaunchctl(env: NodeJS.ProcessEnv, timeoutMs: number): Promise<LaunchctlAnswer[]> {
  return Promise.all(VARIABLES.map(async (v) => ({ v, r: await run('launchctl', ['getenv', v.name], { timeoutMs, env }) })));
}

function addLaunchctl(c: Collector, answers: LaunchctlAnswer[]): void {
  for (const { v, r } of answers) {
    if (!r.ok) {
      c.facts.errors.push({ file: 'launchctl', message: `launchctl getenv ${v.name}: ${r.failure ?? `exit ${r.exitCode}`}` });
      continue;
    }
    // launchctl prints the value and a newline (already stripped), or nothing when unset.
    if (r.stdout === '') continue;
    c.add({
      id: `launchctl:${v.name}`,
      kind: 'launchctl',
      label: `launchctl getenv ${v.name}`,
      variable: v.name,
      raw: r.stdout,
      notes: ['launchd user environment: inherited by LaunchAgents started after it was set'],
    });
  }
}

export async function readServices(opts: {
  home: string;
  stateDir: string;
  env: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  timeoutMs: number;
}): Promise<ServiceFacts> {
  const c = new Collector();
  const envFilesRead = new Set<string>();
  // Every platform's files are read wherever they exist (a copied home, WSL, a mounted disk);
  // only launchctl, a live macOS command, depends on the platform.
  // Started first so the command runs while the files are read.
  const launchctl = (opts.platform ?? process.platform) === 'darwin' ? queryLaunchctl(opts.env, opts.timeoutMs) : null;
  await readSystemd(c, opts.home, opts.env, envFilesRead);
  await readServiceEnvDir(c, opts.stateDir, envFilesRead);
  await readLaunchAgents(c, opts.home);
  await readGatewayCmd(c, opts.stateDir);
  if (launchctl) addLaunchctl(c, await launchctl);
  return c.facts;
}
