/**
 * Which compose files `docker compose` would read: an explicit `--compose-file`, `COMPOSE_FILE`,
 * or Compose's own discovery in the working directory.
 */
import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Compose's own discovery order (compose-go `DefaultFileNames`): the first one found wins. */
export const COMPOSE_FILE_NAMES = ['compose.yaml', 'compose.yml', 'docker-compose.yml', 'docker-compose.yaml'] as const;
/** Compose merges the first override found in the same directory on top of the main file. */
export const COMPOSE_OVERRIDE_NAMES = ['compose.override.yml', 'compose.override.yaml', 'docker-compose.override.yml', 'docker-compose.override.yaml'] as const;

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

/** The files for `readCompose`: `composeFile`, else the `COMPOSE_FILE` list, else discovery. */
export function composeFilesFor(opts: { cwd: string; composeFile?: string; env: NodeJS.ProcessEnv }): string[] {
  if (opts.composeFile) return findComposeFiles(opts.cwd, opts.composeFile);
  if (opts.env.COMPOSE_FILE) {
    const sep = opts.env.COMPOSE_PATH_SEPARATOR || (process.platform === 'win32' ? ';' : ':');
    return opts.env.COMPOSE_FILE.split(sep)
      .filter((f) => f.trim() !== '')
      .map((f) => resolve(opts.cwd, f));
  }
  return findComposeFiles(opts.cwd);
}
