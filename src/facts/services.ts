/**
 * Service-definition facts: gateway credentials baked into the way the gateway is started as a
 * service. Older `openclaw gateway install` runs embedded OPENCLAW_GATEWAY_TOKEN into the systemd
 * unit / LaunchAgent / gateway.cmd, and that copy goes stale when the config token changes
 * (issues #17223, #19409, #70752, #13756); `service-env/*.env` is the newer generated env file
 * (#113294). launchd does not inherit shell env, so `launchctl getenv` is a separate place (#13692).
 * Other places env lives (OpenClaw 2026.9.6): `<state>/gateway.systemd.env` (the env file its
 * systemd unit loads), `<state>/service-env/<label>-env-wrapper.sh` (the launchd wrapper that
 * sources `<label>.env`; a hand-edited one may export a token itself) and
 * `~/.config/openclaw/gateway.env` (OpenClaw's dotenv fallback for the default state dir).
 *
 * The pure parsers live in service-files.ts (re-exported here); this module reads files, every
 * one through the bounded reader, and runs `launchctl` on macOS.
 */
import { readdir } from 'node:fs/promises';
import { basename, isAbsolute, join, resolve } from 'node:path';
import { readBounded, SMALL_FILE_BYTES } from '../fs/read-bounded.js';
import { tokenProblems } from '../hygiene.js';
import { Secret } from '../secret.js';
import type { SourceKind, TokenProblem } from '../types.js';
import { CREDENTIAL_VARIABLES, credentialOf, isCredentialName, type CredentialVariableName } from './credential-names.js';
import { lastAssignment, parseEnvLines, parseSystemdEnvLines, type EnvLine } from './env-lines.js';
import { readCommand as run } from './read-command.js';
import { parseCmdEnv, parsePlistEnv, parseSystemdUnit, type EnvAssignment, type PlistEnvEntry } from './service-files.js';
import type { ServiceFacts } from './types.js';

export { parseCmdEnv, parsePlistEnv, parseSystemdUnit, splitSystemdWords, type EnvAssignment, type PlistEnvEntry, type SystemdUnitEnv } from './service-files.js';

const UNIT_NAME = /^(openclaw|clawdbot)-gateway.*\.service$/;
// `ai.openclaw.gateway`, or `ai.openclaw.<profile>` for named profiles (reference section 4).
const PLIST_NAME = /^ai\.openclaw.*\.plist$/;
/** The env file OpenClaw's systemd unit loads (SYSTEMD_GATEWAY_DOTENV_FILENAME). */
export const SYSTEMD_GATEWAY_ENV_FILE = 'gateway.systemd.env';
/** The launchd wrapper OpenClaw writes beside `service-env/<label>.env`. */
const ENV_WRAPPER_NAME = /-env-wrapper\.sh$/;

// ---------------------------------------------------------------------------------------------
// I/O
// ---------------------------------------------------------------------------------------------

/** Service files are small: regular files only, at most 1 MiB, never blocking on a FIFO. */
function readText(path: string): ReturnType<typeof readBounded> {
  return readBounded(path, { maxBytes: SMALL_FILE_BYTES });
}

async function listDir(dir: string, match: RegExp): Promise<string[]> {
  try {
    const names = await readdir(dir);
    return names
      .filter((n) => match.test(n))
      .sort()
      .map((n) => join(dir, n));
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
    variable: CredentialVariableName;
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

/** Sources from the assignments of an env file (service-env/*.env, a systemd EnvironmentFile). */
function envFileSources(c: Collector, lines: readonly EnvLine[], file: string, id: string, labelTail: string, notes: string[], kind?: SourceKind): CredentialVariableName[] {
  const found: CredentialVariableName[] = [];
  for (const v of CREDENTIAL_VARIABLES) {
    const a = lastAssignment(lines, v.name);
    if (!a) continue;
    found.push(v.name);
    c.add({
      id,
      ...(kind ? { kind } : {}),
      label: `${basename(file)} line ${a.last.line} (${labelTail}${v.name})`,
      variable: v.name,
      file,
      line: a.last.line,
      raw: a.last.value,
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
      const fromFiles = new Map<CredentialVariableName, string>();
      const fileSourcesStart = c.facts.sources.length;
      for (const ef of envFiles) {
        const path = isAbsolute(ef.path) ? ef.path : resolve(home, ef.path);
        const r = await readText(path);
        // Looked at once, whatever the outcome: gateway.systemd.env / service-env are not read again.
        envFilesRead.add(resolve(path));
        if (!r.ok) {
          if (r.missing && ef.optional) continue;
          c.facts.errors.push({
            file: ef.file,
            message: `EnvironmentFile ${path} (line ${ef.line}) ${r.missing ? 'not found; systemd would refuse to start the unit' : `unreadable: ${r.message}`}`,
          });
          continue;
        }
        c.addFile(path, 'service-env');
        const found = envFileSources(c, parseSystemdEnvLines(r.text), path, `service:${unitName}:${basename(path)}`, `EnvironmentFile of ${unitName}, `, [
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
        if (!isCredentialName(a.name)) continue;
        const overriddenBy = fromFiles.get(a.name);
        c.add({
          id: `service:${unitName}`,
          label: `${basename(a.file)} line ${a.line} (Environment= ${a.name})`,
          variable: a.name,
          file: a.file,
          line: a.line,
          raw: a.value,
          ...(overriddenBy ? { shadowedBy: `${a.name} from EnvironmentFile ${overriddenBy}` } : {}),
          notes: [`systemd user unit ${unitName}`, ...(overriddenBy ? [`shadowed: systemd uses ${a.name} from EnvironmentFile ${overriddenBy} instead`] : [])],
        });
      }
    }
  }
}

async function readServiceEnvDir(c: Collector, stateDir: string, envFilesRead: Set<string>): Promise<void> {
  const dir = join(stateDir, 'service-env');
  for (const file of await listDir(dir, /\.env$/)) {
    c.addFile(file, 'service-env');
    // Already reported as a systemd unit's EnvironmentFile: do not report the same line twice.
    if (envFilesRead.has(resolve(file))) continue;
    await readEnvFile(c, file, { id: `service:${basename(file)}`, notes: ['generated service env file (service-env)'] });
  }
  // The generated wrapper only sources `<label>.env`; a hand-edited one may export a token itself.
  for (const file of await listDir(dir, ENV_WRAPPER_NAME)) {
    c.addFile(file, 'service-env');
    await readEnvFile(c, file, { id: `service:${basename(file)}`, labelTail: 'export ', notes: ['launchd env wrapper script (service-env): exported when the LaunchAgent starts'] });
  }
}

/** `<state>/gateway.systemd.env`, unless a unit's EnvironmentFile= already brought it in. */
async function readSystemdEnvFile(c: Collector, stateDir: string, envFilesRead: Set<string>): Promise<void> {
  const file = join(stateDir, SYSTEMD_GATEWAY_ENV_FILE);
  if (envFilesRead.has(resolve(file))) return;
  if (await readEnvFile(c, file, { id: `service:${SYSTEMD_GATEWAY_ENV_FILE}`, syntax: 'systemd', notes: ['env file the OpenClaw systemd unit loads (EnvironmentFile=)'] })) {
    c.addFile(file, 'service-env');
  }
}

/**
 * `~/.config/openclaw/gateway.env`: OpenClaw loads it after `<state>/.env` (first value wins),
 * only when the state dir is the default one (OPENCLAW_STATE_DIR unset or pointing there).
 */
export function gatewayEnvPath(opts: { home: string; stateDir: string; env: NodeJS.ProcessEnv }): string | null {
  const stateDirSet = opts.env.OPENCLAW_STATE_DIR?.trim() !== undefined;
  if (stateDirSet && resolve(opts.stateDir, '.env') !== resolve(opts.home, '.openclaw', '.env')) return null;
  return join(opts.home, '.config', 'openclaw', 'gateway.env');
}

async function readGatewayEnv(c: Collector, opts: { home: string; stateDir: string; env: NodeJS.ProcessEnv }): Promise<void> {
  const file = gatewayEnvPath(opts);
  if (!file) return;
  const notes = ['OpenClaw loads this after ~/.openclaw/.env (which wins when both set a name), for the gateway and the CLI'];
  if (await readEnvFile(c, file, { id: 'dotenv:gateway-env', kind: 'dotenv', notes })) c.addFile(file, 'gateway-env');
}

/** Sources of one env file; false when it does not exist (other failures are recorded as errors). */
async function readEnvFile(c: Collector, file: string, o: { id: string; notes: string[]; kind?: SourceKind; labelTail?: string; syntax?: 'dotenv' | 'systemd' }): Promise<boolean> {
  const r = await readText(file);
  if (!r.ok) {
    if (!r.missing) c.facts.errors.push({ file, message: `unreadable: ${r.message}` });
    return !r.missing;
  }
  const lines = o.syntax === 'systemd' ? parseSystemdEnvLines(r.text) : parseEnvLines(r.text);
  envFileSources(c, lines, file, o.id, o.labelTail ?? '', o.notes, o.kind);
  return true;
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
      if (!isCredentialName(e.name)) continue;
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
    if (!isCredentialName(a.name)) continue;
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

type LaunchctlAnswer = { v: (typeof CREDENTIAL_VARIABLES)[number]; r: Awaited<ReturnType<typeof run>> };

function queryLaunchctl(env: NodeJS.ProcessEnv, timeoutMs: number): Promise<LaunchctlAnswer[]> {
  return Promise.all(CREDENTIAL_VARIABLES.map(async (v) => ({ v, r: await run('launchctl', ['getenv', v.name], { timeoutMs, env }) })));
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

export async function readServices(opts: { home: string; stateDir: string; env: NodeJS.ProcessEnv; platform?: NodeJS.Platform; timeoutMs: number }): Promise<ServiceFacts> {
  const c = new Collector();
  const envFilesRead = new Set<string>();
  // Every platform's files are read wherever they exist (a copied home, WSL, a mounted disk);
  // only launchctl, a live macOS command, depends on the platform.
  // Started first so the command runs while the files are read.
  const launchctl = (opts.platform ?? process.platform) === 'darwin' ? queryLaunchctl(opts.env, opts.timeoutMs) : null;
  await readSystemd(c, opts.home, opts.env, envFilesRead);
  await readSystemdEnvFile(c, opts.stateDir, envFilesRead);
  await readServiceEnvDir(c, opts.stateDir, envFilesRead);
  await readGatewayEnv(c, opts);
  await readLaunchAgents(c, opts.home);
  await readGatewayCmd(c, opts.stateDir);
  if (launchctl) addLaunchctl(c, await launchctl);
  return c.facts;
}
