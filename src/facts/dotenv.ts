/**
 * `.env` files that can carry OPENCLAW_GATEWAY_TOKEN: the working directory's (what docker
 * compose reads), the state dir's (`~/.openclaw/.env`, which OpenClaw itself loads) and
 * `~/.config/openclaw/gateway.env` (OpenClaw's fallback for the default state dir). Values follow
 * the `dotenv` package, the parser OpenClaw uses, through the shared line model in env-lines.ts.
 */
import { homedir } from 'node:os';
import { tokenProblems } from '../hygiene.js';
import { tildify } from '../paths-display.js';
import { readBounded } from '../fs/read-bounded.js';
import { Secret } from '../secret.js';
import type { TokenProblem, TokenSource } from '../types.js';
import { CREDENTIAL_VARIABLES, LEGACY_PREFIXES, legacyNamesIn } from './credential-names.js';
import { lastAssignment, parseEnvLines, type EnvLine, type EnvNameFilter } from './env-lines.js';
import type { DotenvFacts } from './types.js';

const WORTH_BUILDING: EnvNameFilter = { names: CREDENTIAL_VARIABLES.map((v) => v.name), prefixes: LEGACY_PREFIXES };
const WORTH_PARSING: readonly string[] = [...WORTH_BUILDING.names, ...WORTH_BUILDING.prefixes];

/** OpenClaw's own limit (MAX_DOTENV_FILE_BYTES in src/infra/dotenv-global.ts): it skips bigger files. */
export const MAX_DOTENV_BYTES = 1024 * 1024;

/** The problems and notes of one effective assignment, from how it was written. */
export function assignmentProblems(value: string, last: EnvLine, all: readonly EnvLine[]): { problems: TokenProblem[]; notes: string[] } {
  const problems: TokenProblem[] = tokenProblems(value);
  const notes: string[] = [];
  const v = value.trim();
  // dotenv strips only matching outer quotes; a stray one stays in the value.
  if (!problems.includes('quoted') && /^['"`]|['"`]$/.test(v)) {
    problems.push('quoted');
    notes.push('the value keeps a stray quote character (mismatched quotes in the file)');
  }
  if (last.cutAtHash) notes.push('an unquoted value ends at "#": the rest of the line is read as a comment');
  if (all.length > 1) notes.push(`assigned ${all.length} times (lines ${all.map((a) => a.line).join(', ')}); the last one counts`);
  return { problems, notes };
}

/**
 * Parse .env text into gateway credential sources. `idPrefix` names the file (`dotenv:cwd`),
 * `labelPath` is how the file is shown (home already shortened to `~`).
 */
export function parseDotenvText(text: string, path: string, idPrefix: string, labelPath: string): Omit<DotenvFacts, 'exists' | 'error' | 'path'> {
  // A name is assigned only where it is spelled out: a file that never spells a credential or a
  // legacy name has neither, and costs a substring search instead of a parse, whatever its size.
  if (!WORTH_PARSING.some((n) => text.includes(n))) return { sources: [], legacyNames: [] };
  // Only these names' assignments are built: a 100 000-line file holding one token costs half.
  const lines = parseEnvLines(text, WORTH_BUILDING);
  const sources: TokenSource[] = [];
  for (const spec of CREDENTIAL_VARIABLES) {
    const found = lastAssignment(lines, spec.name);
    if (!found) continue;
    const { last, all } = found;
    const { problems, notes } = assignmentProblems(last.value, last, all);
    sources.push({
      id: `${idPrefix}${spec.idSuffix}`,
      kind: 'dotenv',
      label: `${labelPath} line ${last.line} (${spec.name})`,
      variable: spec.name,
      credential: spec.credential,
      file: path,
      line: last.line,
      value: new Secret(last.value),
      problems,
      ...(notes.length ? { notes } : {}),
    });
  }
  return { sources, legacyNames: legacyNamesIn(lines.map((l) => l.name)) };
}

/**
 * Read one .env file. Never throws: missing → `exists: false`; a directory, a FIFO or device,
 * unreadable, binary (NUL byte) or over 1 MiB (OpenClaw skips those too) → `error`.
 * `opts.home` shortens labels to `~` (default: os.homedir()); `opts.workspace` marks the working
 * directory's .env, whose OPENCLAW_* names OpenClaw itself ignores (docker compose still reads them).
 */
export async function readDotenvFile(path: string, idPrefix: string, opts: { home?: string | null; workspace?: boolean; notes?: string[] } = {}): Promise<DotenvFacts> {
  const empty = (exists: boolean, error: string | null): DotenvFacts => ({ path, exists, error, sources: [], legacyNames: [] });
  const r = await readBounded(path, { maxBytes: MAX_DOTENV_BYTES });
  if (!r.ok) {
    if (r.missing) return empty(false, null);
    if (r.message.startsWith('too large')) return empty(true, `is ${r.message.replace(/^too large \((\d+) bytes.*$/, '$1 bytes')}, over the ${MAX_DOTENV_BYTES}-byte limit OpenClaw reads`);
    return empty(true, /^is /.test(r.message) ? r.message : `cannot be read: ${r.message}`);
  }
  if (r.text.includes('\0')) return empty(true, 'is a binary file (contains a NUL byte), not a .env file');
  const home = opts.home === undefined ? safeHomedir() : opts.home;
  const parsed = parseDotenvText(r.text, path, idPrefix, tildify(path, home));
  const extra = [...(opts.notes ?? []), ...(opts.workspace ? ['OpenClaw ignores OPENCLAW_* names in a working-directory .env; docker compose reads them'] : [])];
  if (extra.length) for (const s of parsed.sources) (s.notes ??= []).push(...extra);
  return { path, exists: true, error: null, ...parsed };
}

function safeHomedir(): string | null {
  try {
    return homedir() || null;
  } catch {
    return null;
  }
}
