/**
 * Running the wizard as another uid (root only): the permission-denied paths, which root itself
 * never meets. That uid must reach the checkout; when it cannot, the global setup stages a copy.
 * No vitest import here: the global setup loads this in the main process.
 */
import { chmodSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** A uid with no passwd entry: os.homedir() has nothing to fall back on. */
export const NO_PASSWD_UID = 54_321;
/** Only root can start the wizard as another uid. */
export const canRunAsOtherUid = typeof process.getuid === 'function' && process.getuid() === 0;

/** Every directory from path up to / can be entered and listed by other users. */
function reachableByOthers(path: string): boolean {
  for (let dir = path; ; dir = dirname(dir)) {
    if ((statSync(dir).mode & 0o005) !== 0o005) return false;
    if (dirname(dir) === dir) return true;
  }
}

/**
 * When other users cannot reach the checkout (a clone inside a 0700 directory, as a CI clone
 * made by `mktemp -d` is): a world-readable copy of what the CLI loads (bin/, dist/, package.json
 * and the runtime dependencies). null when none is needed (the checkout is reachable, or this is
 * not root). Made once by the global setup, which removes it at the end of the run.
 */
export function stageCheckoutForOtherUids(): string | null {
  if (!canRunAsOtherUid) return null;
  if (reachableByOthers(REPO) && reachableByOthers(dirname(process.execPath))) return null;
  if (!reachableByOthers(dirname(process.execPath))) throw new Error(`node (${process.execPath}) is not reachable by other users: cannot run the wizard as another uid`);
  const dir = mkdtempSync(join(tmpdir(), 'otw-checkout-'));
  const copied: string[] = [];
  for (const rel of ['package.json', 'bin', 'dist', ...runtimePackages()]) {
    if (copied.some((c) => rel.startsWith(`${c}/`))) continue;
    cpSync(join(REPO, rel), join(dir, rel), { recursive: true, dereference: true });
    copied.push(rel);
  }
  openToOthers(dir);
  if (!reachableByOthers(dir)) throw new Error(`${dir} is not reachable by other users (is ${tmpdir()} private?)`);
  return dir;
}

/** node_modules/… directories (relative to the checkout) of the dependencies the CLI loads at run time. */
function runtimePackages(): string[] {
  const found = new Set<string>();
  const visit = (fromDir: string, name: string) => {
    for (let d = fromDir; ; d = dirname(d)) {
      const pkg = join(d, 'node_modules', name);
      if (existsSync(join(pkg, 'package.json'))) {
        if (found.has(pkg)) return;
        found.add(pkg);
        const meta = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')) as { dependencies?: object; optionalDependencies?: object };
        for (const dep of Object.keys({ ...meta.dependencies, ...meta.optionalDependencies })) visit(pkg, dep);
        return;
      }
      if (d === REPO || dirname(d) === d) return; // an optional dependency that is not installed
    }
  };
  const own = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { dependencies?: object };
  for (const dep of Object.keys(own.dependencies ?? {})) visit(REPO, dep);
  return [...found].map((p) => relative(REPO, p)).sort((a, b) => a.length - b.length);
}

/** Directories 0755, files readable by all (executables stay executable). */
function openToOthers(path: string): void {
  const st = statSync(path);
  if (st.isDirectory()) {
    chmodSync(path, 0o755);
    for (const e of readdirSync(path)) openToOthers(join(path, e));
  } else {
    chmodSync(path, (st.mode & 0o777) | 0o444 | (st.mode & 0o100 ? 0o111 : 0));
  }
}
