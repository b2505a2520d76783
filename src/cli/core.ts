/** What every command module shares with the dispatcher: exit codes, the usage error, the streams. */
import type { CliValues } from './spec.js';
import type { Readable, Writable } from 'node:stream';

export const EXIT = { ok: 0, problems: 1, usage: 2, cancelled: 130 } as const;

/** Bad arguments: reported in one line, exit 2. */
export class UsageError extends Error {}

export interface Io {
  stdout: Writable & { isTTY?: boolean; columns?: number };
  stderr: Writable & { isTTY?: boolean };
  stdin: Readable & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export type CommandRunner = (values: CliValues, positionals: string[], io: Io) => Promise<number>;
