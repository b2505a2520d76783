/**
 * Reading a compose project from disk. The YAML parser (and everything that needs it) is loaded
 * only when a compose file is there: most diagnoses have none, and yaml alone is 72 modules.
 */
import { dirname, join } from 'node:path';
import { readBoundedSync, SMALL_FILE_BYTES } from '../../fs/read-bounded.js';
import { envLineNumbers, envValues, parseEnvLines } from '../env-lines.js';
import type { ComposeFacts } from '../types.js';
import { composeFilesFor } from './discover.js';
import type { ReadTextResult } from './sources.js';

/** Synchronous on purpose: `parseComposeFiles` stays a plain function, and compose/env files are tiny. */
export function readComposeText(path: string): ReadTextResult {
  const r = readBoundedSync(path, { maxBytes: SMALL_FILE_BYTES });
  return r.ok ? { ok: true, text: r.text } : r;
}

/**
 * Read the compose files `docker compose` would use in `cwd` (or `composeFile`, or the files in
 * COMPOSE_FILE), the project `.env` beside the first one, and every env_file they name.
 */
export async function readCompose(opts: { cwd: string; composeFile?: string; env: NodeJS.ProcessEnv }): Promise<ComposeFacts> {
  const files = composeFilesFor(opts);
  if (files.length === 0) return { files: [], services: [], sources: [], errors: [] };

  // Compose's project directory is the first file's directory: its .env feeds interpolation and
  // relative paths in every file (overrides included) resolve against it.
  const projectDir = dirname(files[0]!);
  const errors: ComposeFacts['errors'] = [];
  const dotenvFile = join(projectDir, '.env');
  let dotenv: Record<string, string> = {};
  let dotenvLines: Record<string, number> = {};
  const env = readComposeText(dotenvFile);
  if (env.ok) {
    const lines = parseEnvLines(env.text);
    dotenv = envValues(lines);
    dotenvLines = envLineNumbers(lines);
  } else if (!env.missing) errors.push({ file: dotenvFile, message: `project .env unreadable: ${env.message}` });

  const inputs: Array<{ file: string; text: string }> = [];
  for (const file of files) {
    const r = readComposeText(file);
    if (r.ok) inputs.push({ file, text: r.text });
    else errors.push({ file, message: r.missing ? 'compose file not found' : `unreadable: ${r.message}` });
  }
  const { parseComposeFiles } = await import('./sources.js');
  const facts = parseComposeFiles(inputs, { dotenv, env: opts.env, dotenvFile, dotenvLines, projectDir, readText: readComposeText });
  return { ...facts, files, errors: [...errors, ...facts.errors] };
}
