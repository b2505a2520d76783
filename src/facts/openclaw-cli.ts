/**
 * Is the `openclaw` CLI installed, and which version? Running `openclaw --version` costs ~0.7 s
 * (it boots the whole CLI), so the version is read from the package.json of the install first,
 * and the binary is only run when that fails and the caller allows it.
 */
import { constants as fsConstants } from 'node:fs';
import { access, realpath, stat } from 'node:fs/promises';
import { basename, delimiter, dirname, isAbsolute, join, parse as parsePath, resolve } from 'node:path';
import { readBounded, SMALL_FILE_BYTES } from '../fs/read-bounded.js';
import { readCommand as run } from './read-command.js';
import type { OpenClawCliFacts } from './types.js';

export interface FindOpenClawCliOptions {
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  /** May the binary be run (`openclaw --version`) when no package.json tells the version? */
  allowRun?: boolean;
}

/** A wrapper script is a few lines; anything larger is a real program, not worth scanning. */
const WRAPPER_MAX_BYTES = 4096;

/** `OpenClaw 2026.9.6 (eb377ac)` → `2026.9.6`. */
export function parseVersionOutput(text: string): string | null {
  const m = /(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)/.exec(text);
  return m?.[1] ?? null;
}

/**
 * Package directories a shell wrapper points at: a path ending in `openclaw.mjs` (its dir is the
 * package) or containing `node_modules/openclaw`. `$basedir` (npm's cmd-shim) and `$(dirname "$0")`
 * style prefixes are resolved against the script's own directory; relative paths likewise.
 */
export function packageDirsFromWrapper(script: string, scriptDir: string): string[] {
  const text = script.replace(/\$\{basedir\}|\$basedir/g, scriptDir).replace(/\$\(\s*dirname\s+"?\$0"?\s*\)|`dirname\s+"?\$0"?`/g, scriptDir);
  const dirs: string[] = [];
  // Paths are whitespace/quote-delimited words; keep it simple and scan every word.
  for (const word of text.split(/[\s"'=;|&()<>]+/)) {
    if (!word || word.includes('$')) continue;
    let dir: string | null = null;
    const nm = /^(.*?[\\/]?node_modules[\\/]openclaw)(?:[\\/]|$)/.exec(word);
    if (nm?.[1]) dir = nm[1];
    else if (/(^|[\\/])openclaw\.mjs$/.test(word)) dir = dirname(word);
    if (dir === null) continue;
    // resolve() also normalises `$basedir/../lib/...` into a plain path.
    dirs.push(resolve(scriptDir, dir));
  }
  return [...new Set(dirs)];
}

async function isExecutableFile(p: string): Promise<boolean> {
  try {
    if (!(await stat(p)).isFile()) return false;
    await access(p, fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Walk PATH ourselves: `which` is not everywhere, and spawning it costs more than a few stats.
 * Relative and empty entries are skipped on purpose: they mean "the current directory", and a
 * diagnosis should not depend on (or be hijacked by) where it was started.
 */
export async function findOnPath(name: string, env: NodeJS.ProcessEnv): Promise<string | null> {
  // A name with a slash is a path already, as for execFile.
  if (name.includes('/')) return (await isExecutableFile(name)) ? name : null;
  const pathVar = env.PATH ?? env.Path ?? '';
  const exts = process.platform === 'win32' ? ['', ...(env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';').map((e) => e.toLowerCase())] : [''];
  for (const dir of pathVar.split(delimiter)) {
    if (!dir || !isAbsolute(dir)) continue;
    for (const ext of exts) {
      const p = join(dir, name + ext);
      if (await isExecutableFile(p)) return p;
    }
  }
  return null;
}

async function readOpenClawPackage(dir: string): Promise<string | null> {
  const r = await readBounded(join(dir, 'package.json'), { maxBytes: SMALL_FILE_BYTES });
  if (!r.ok) return null;
  try {
    const pkg = JSON.parse(r.text) as { name?: unknown; version?: unknown };
    return pkg.name === 'openclaw' && typeof pkg.version === 'string' && pkg.version ? pkg.version : null;
  } catch {
    return null;
  }
}

/** The nearest package.json named `openclaw` at or above `start`. */
async function versionUpFrom(start: string): Promise<string | null> {
  let dir = start;
  const root = parsePath(dir).root;
  for (let i = 0; i < 32; i++) {
    const v = await readOpenClawPackage(dir);
    if (v) return v;
    if (dir === root) break;
    dir = dirname(dir);
  }
  return null;
}

/** The script's text if it is a small text file (no NUL byte), else null. */
async function readSmallText(p: string): Promise<string | null> {
  const r = await readBounded(p, { maxBytes: WRAPPER_MAX_BYTES });
  return r.ok && !r.text.includes('\u0000') ? r.text : null;
}

export async function findOpenClawCli(opts: FindOpenClawCliOptions): Promise<OpenClawCliFacts> {
  const facts: OpenClawCliFacts = { found: false, path: null, version: null, versionSource: null, error: null };
  try {
    const bin = await findOnPath('openclaw', opts.env);
    if (!bin) return { ...facts, error: 'openclaw not found on PATH' };
    facts.found = true;
    facts.path = bin;

    // npm's bin entry is a symlink into node_modules/openclaw/: its package.json has the version.
    const real = await realpath(bin).catch(() => bin);
    let version = await versionUpFrom(dirname(real));

    // A wrapper (`exec /x/node /y/node_modules/openclaw/openclaw.mjs "$@"`) names the package.
    if (!version) {
      const script = await readSmallText(real);
      if (script !== null) {
        for (const dir of packageDirsFromWrapper(script, dirname(real))) {
          version = await versionUpFrom(dir);
          if (version) break;
        }
      }
    }
    if (version) return { ...facts, version, versionSource: 'package.json' };

    if (opts.allowRun) {
      const r = await run(bin, ['--version'], { timeoutMs: opts.timeoutMs, env: opts.env });
      const v = r.ok ? (parseVersionOutput(r.stdout) ?? parseVersionOutput(r.stderr)) : null;
      if (v) return { ...facts, version: v, versionSource: '--version' };
      const why = r.failure ?? (r.ok ? `unrecognised output: ${r.stdout.trim().split('\n')[0] ?? ''}` : `exit ${r.exitCode}: ${(r.stderr.trim().split('\n')[0] ?? '').slice(0, 200)}`);
      return { ...facts, error: `${basename(bin)} --version failed: ${why}` };
    }
    // Found, version unknown without running it: not an error, just less detail.
    return facts;
  } catch (err) {
    return { ...facts, error: err instanceof Error ? err.message : String(err) };
  }
}
