/**
 * `.env` files that can carry OPENCLAW_GATEWAY_TOKEN: the working directory's (what docker
 * compose reads) and the state dir's (`~/.openclaw/.env`, which OpenClaw itself loads).
 * Values come from the `dotenv` package, the parser OpenClaw uses, so they match what OpenClaw sees.
 */
import { open, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { parse } from 'dotenv';
import { tokenProblems } from '../hygiene.js';
import { tildify } from '../paths-display.js';
import { Secret } from '../secret.js';
import type { TokenProblem, TokenSource } from '../types.js';
import type { DotenvFacts } from './types.js';

/** OpenClaw's own limit (MAX_DOTENV_FILE_BYTES in src/infra/dotenv-global.ts): it skips bigger files. */
export const MAX_DOTENV_BYTES = 1024 * 1024;

/** dotenv 17's line grammar, copied so that line numbers are found exactly where dotenv finds keys. */
const LINE =
  /(?:^|^)\s*(?:export\s+)?([\w.-]+)(?:\s*=\s*?|:\s+?)(\s*'(?:\\'|[^'])*'|\s*"(?:\\"|[^"])*"|\s*`(?:\\`|[^`])*`|[^#\r\n]+)?\s*(?:#.*)?(?:$|$)/dgm;

const CREDENTIALS: Array<{ name: string; suffix: string; credential: 'token' | 'password' }> = [
  { name: 'OPENCLAW_GATEWAY_TOKEN', suffix: '', credential: 'token' },
  { name: 'OPENCLAW_GATEWAY_PASSWORD', suffix: ':password', credential: 'password' },
];

const LEGACY = /^(CLAWDBOT|MOLTBOT)_/;

interface Assignment {
  key: string;
  line: number;
  /** The value text as written, quotes included, before dotenv trims and unquotes it. */
  raw: string;
  /** An unquoted value that dotenv cut short at a `#`. */
  cutAtHash: boolean;
}

function assignments(text: string): Assignment[] {
  const src = text.replace(/\r\n?/g, '\n');
  const out: Assignment[] = [];
  LINE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = LINE.exec(src)) !== null) {
    if (m[0] === '') {
      // A zero-length match cannot happen with this grammar, but never loop forever.
      LINE.lastIndex += 1;
      continue;
    }
    const key = m[1] as string;
    const keyAt = m.indices?.[1]?.[0] ?? m.index;
    const line = src.slice(0, keyAt).split('\n').length;
    const raw = m[2] ?? '';
    const valueEnd = m.indices?.[2]?.[1];
    // An unquoted value stops at `#`: `TOKEN=abc#def` loads as `abc` (with a space before `#`
    // it is an ordinary comment).
    const cutAtHash = !/^\s*['"`]/.test(raw) && raw.trim() !== '' && valueEnd !== undefined && src[valueEnd] === '#' && !/\s$/.test(raw);
    out.push({ key, line, raw, cutAtHash });
  }
  return out;
}

/**
 * Parse .env text into gateway credential sources. `idPrefix` names the file (`dotenv:cwd`),
 * `labelPath` is how the file is shown (home already shortened to `~`).
 */
export function parseDotenvText(
  text: string,
  path: string,
  idPrefix: string,
  labelPath: string,
): Omit<DotenvFacts, 'exists' | 'error' | 'path'> {
  const values = parse(text);
  const found = assignments(text);
  const sources: TokenSource[] = [];
  for (const spec of CREDENTIALS) {
    const value = values[spec.name];
    if (value === undefined) continue;
    const mine = found.filter((a) => a.key === spec.name);
    // dotenv keeps the last assignment of a key.
    const last = mine[mine.length - 1];
    const problems: TokenProblem[] = tokenProblems(value);
    const notes: string[] = [];
    const v = value.trim();
    // dotenv strips only matching outer quotes; a stray one stays in the value.
    if (!problems.includes('quoted') && /^['"`]|['"`]$/.test(v)) {
      problems.push('quoted');
      notes.push('the value keeps a stray quote character (mismatched quotes in the file)');
    }
    if (last?.cutAtHash) notes.push('an unquoted value ends at "#": the rest of the line is read as a comment');
    if (mine.length > 1) notes.push(`assigned ${mine.length} times (lines ${mine.map((a) => a.line).join(', ')}); the last one counts`);
    const line = last?.line;
    sources.push({
      id: `${idPrefix}${spec.suffix}`,
      kind: 'dotenv',
      label: `${labelPath}${line ? ` line ${line}` : ''} (${spec.name})`,
      variable: spec.name,
      credential: spec.credential,
      file: path,
      ...(line ? { line } : {}),
      value: new Secret(value),
      problems,
      ...(notes.length ? { notes } : {}),
    });
  }
  const legacyNames = [...new Set(Object.keys(values).filter((k) => LEGACY.test(k)))].sort();
  return { sources, legacyNames };
}

function describeFsError(err: unknown): string {
  const code = (err as { code?: string })?.code;
  if (code === 'EACCES' || code === 'EPERM') return 'cannot be read: permission denied';
  if (code === 'ELOOP') return 'cannot be read: too many symbolic links (a symlink loop)';
  if (code === 'ENOTDIR') return 'cannot be read: a parent of this path is a file, not a directory';
  if (code === 'EISDIR') return 'is a directory, not a file';
  return `cannot be read: ${err instanceof Error ? err.message : String(err)}`;
}

/**
 * Read one .env file. Never throws: missing → `exists: false`; a directory, unreadable, binary
 * (NUL byte) or over 1 MiB (OpenClaw skips those too) → `error`.
 * `opts.home` shortens labels to `~` (default: os.homedir()); `opts.workspace` marks the working
 * directory's .env, whose OPENCLAW_* names OpenClaw itself ignores (docker compose still reads them).
 */
export async function readDotenvFile(
  path: string,
  idPrefix: string,
  opts: { home?: string | null; workspace?: boolean } = {},
): Promise<DotenvFacts> {
  const empty = (exists: boolean, error: string | null): DotenvFacts => ({ path, exists, error, sources: [], legacyNames: [] });
  let size: number;
  try {
    const st = await stat(path);
    if (st.isDirectory()) return empty(true, 'is a directory, not a file');
    if (!st.isFile()) return empty(true, 'is not a regular file');
    size = st.size;
  } catch (err) {
    if ((err as { code?: string })?.code === 'ENOENT') return empty(false, null);
    return empty(true, describeFsError(err));
  }
  if (size > MAX_DOTENV_BYTES) return empty(true, `is ${size} bytes, over the ${MAX_DOTENV_BYTES}-byte limit OpenClaw reads`);
  let buf: Buffer;
  try {
    const fh = await open(path, 'r');
    try {
      const chunk = Buffer.alloc(Math.min(size, MAX_DOTENV_BYTES) + 1);
      const { bytesRead } = await fh.read(chunk, 0, chunk.length, 0);
      buf = chunk.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
  } catch (err) {
    return empty(true, describeFsError(err));
  }
  if (buf.length > MAX_DOTENV_BYTES) return empty(true, `is over the ${MAX_DOTENV_BYTES}-byte limit OpenClaw reads`);
  if (buf.includes(0)) return empty(true, 'is a binary file (contains a NUL byte), not a .env file');
  const home = opts.home === undefined ? safeHomedir() : opts.home;
  const parsed = parseDotenvText(buf.toString('utf8'), path, idPrefix, tildify(path, home));
  if (opts.workspace) {
    for (const s of parsed.sources) {
      (s.notes ??= []).push('OpenClaw ignores OPENCLAW_* names in a working-directory .env; docker compose reads them');
    }
  }
  return { path, exists: true, error: null, ...parsed };
}

function safeHomedir(): string | null {
  try {
    return homedir() || null;
  } catch {
    return null;
  }
}
