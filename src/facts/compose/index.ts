/**
 * Docker Compose facts: which compose file a `docker compose up` here would use, what
 * OPENCLAW_GATEWAY_TOKEN / _PASSWORD its OpenClaw services would get, and where that value came
 * from. discover.ts finds the files, interpolate.ts is Compose's `${VAR}` language, model.ts
 * reads the YAML, sources.ts turns it into token sources, read.ts does the reading, every file
 * through the bounded reader (regular files only, size-capped, never blocking on a FIFO).
 */
import { envLineNumbers, parseEnvLines } from '../env-lines.js';

export { COMPOSE_FILE_NAMES, COMPOSE_OVERRIDE_NAMES, composeFilesFor, findComposeFiles } from './discover.js';
export { interpolate, refNotes, type InterpolationResult, type VarLookup, type VarOrigin } from './interpolate.js';
export { MAX_MERGED_PAIRS } from './model.js';
export { GATEWAY_SERVICE, parseComposeFiles, parseComposeText, type ComposeContext, type ReadTextResult } from './sources.js';
export { readCompose, readComposeText } from './read.js';

/**
 * Line of each key in dotenv text (the last assignment wins, as in dotenv.parse).
 * Kept for callers of the old API; new code uses env-lines.ts directly.
 */
export function dotenvLineNumbers(text: string): Record<string, number> {
  return envLineNumbers(parseEnvLines(text));
}
