// What the setup scripts share: the cache folder, logging, failing with the fix command, running
// and capturing commands, reading JSON and finding a tool on PATH. Plain Node ESM, no dependencies.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

export const cache = process.env.OPENCLAW_WIZARD_CACHE || join(homedir(), '.cache', 'openclaw-token-wizard');

/** The helpers of one setup script, whose lines are tagged with its name. */
export function setupTools(name) {
  const log = (msg) => process.stderr.write(`[${name}] ${msg}\n`);
  const fail = (msg, fixCommand) => {
    process.stderr.write(`\n[${name}] FAILED: ${msg}\n`);
    if (fixCommand) process.stderr.write(`[${name}] run this, then retry:\n    ${fixCommand}\n`);
    process.exit(1);
  };
  /** Runs a command with inherited stdio (installs are long; the user should see progress). */
  const run = (cmd, args, opts = {}) => {
    const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
    if (r.error) fail(`${cmd} ${args.join(' ')}: ${r.error.message}`);
    return r.status ?? 1;
  };
  return { log, fail, run };
}

/** Runs a command and captures its output; never throws. */
export function capture(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 60_000, ...opts });
  return { status: r.status ?? (r.error ? 127 : 1), stdout: (r.stdout ?? '').trim(), stderr: (r.stderr ?? '').trim() };
}

export function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return null;
  }
}

export function which(name) {
  for (const dir of (process.env.PATH || '').split(delimiter)) if (dir && existsSync(join(dir, name))) return join(dir, name);
  return null;
}
