/**
 * A `.env` edit is reported done only when the file on disk reads back as intended: a write that
 * did not land (another process rewrote the file, the path vanished) is a failure naming the backup.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setEnvLine } from '../../src/actions/env-line-edit.js';
import { makeSandbox, type Sandbox } from '../support/sandbox.js';

/** What lands on disk instead of what the edit wrote, per test (null: the real write). */
const tamper = vi.hoisted(() => ({ write: null as null | ((path: string) => Promise<string>) }));
vi.mock('../../src/actions/fs-safe.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/actions/fs-safe.js')>();
  return {
    ...real,
    writeFileAtomic: async (path: string, content: string | Uint8Array) => {
      const written = await real.writeFileAtomic(path, content);
      return tamper.write ? tamper.write(written) : written;
    },
  };
});

const NAME = 'OPENCLAW_GATEWAY_TOKEN';
let sb: Sandbox;
let env: string;
beforeEach(async () => {
  sb = await makeSandbox('otw-envback-');
  env = join(sb.cwd, '.env');
  tamper.write = null;
});
afterEach(async () => {
  tamper.write = null;
  await sb.cleanup();
});

describe('.env edits are read back from disk', () => {
  it('a value that reads back differently is a failure naming the backup', async () => {
    await writeFile(env, `${NAME}=old\n`);
    tamper.write = async (p) => {
      await writeFile(p, `${NAME}=someone-else\n`);
      return p;
    };
    const r = await setEnvLine(env, 1, NAME, 'new', { stateDir: sb.stateDir });
    expect(r).toMatchObject({ ok: false, message: expect.stringMatching(/was written but OPENCLAW_GATEWAY_TOKEN reads back differently; the previous file is at .*otw-backups/) });
  });

  it('a written file that cannot be read back is a failure, not a success', async () => {
    await writeFile(env, `${NAME}=old\n`);
    tamper.write = async () => join(sb.cwd, 'vanished.env');
    const r = await setEnvLine(env, 1, NAME, 'new', { stateDir: sb.stateDir });
    expect(r).toMatchObject({ ok: false, message: expect.stringMatching(/was written but cannot be read back \(.+\); backup .*otw-backups/) });
  });

  it('a comment-out after which the line still assigns the variable is a failure', async () => {
    const before = `A=1\n${NAME}=stale\n`;
    await writeFile(env, before);
    tamper.write = async (p) => {
      await writeFile(p, before);
      return p;
    };
    const r = await setEnvLine(env, 2, NAME, null, { stateDir: sb.stateDir });
    expect(r).toMatchObject({ ok: false, message: expect.stringMatching(/was written but OPENCLAW_GATEWAY_TOKEN still reads from line 2; the previous file is at /) });
    expect(await readFile(env, 'utf8')).toBe(before);
  });
});
