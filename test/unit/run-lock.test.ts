import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { once } from 'node:events';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireRunLock, LOCK_NAME } from '../../src/actions/run-lock.js';
import { makeSandbox, type Sandbox } from '../support/sandbox.js';

let sb: Sandbox;
beforeEach(async () => {
  sb = await makeSandbox('otw-lock-');
});
afterEach(async () => {
  await sb.cleanup();
});

/** A pid that certainly belonged to a process that has exited (and been reaped). */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await once(child, 'exit');
  return child.pid!;
}

describe('run lock', () => {
  it('two lockers: the second is told who holds it; after release it gets the lock', async () => {
    const first = await acquireRunLock(sb.stateDir, { command: 'fix --yes', now: new Date('2026-10-01T00:00:00Z') });
    expect('release' in first).toBe(true);
    expect((await stat(join(sb.stateDir, LOCK_NAME))).mode & 0o777).toBe(0o600);
    const second = await acquireRunLock(sb.stateDir, { command: 'fix --yes' });
    expect(second).toEqual({ heldBy: { pid: process.pid, since: '2026-10-01T00:00:00.000Z', command: 'fix --yes' } });
    if ('release' in first) await first.release();
    const third = await acquireRunLock(sb.stateDir);
    expect('release' in third).toBe(true);
    if ('release' in third) await third.release();
    expect(await readdir(sb.stateDir)).toEqual([]);
  });

  it('two lockers at once: exactly one wins', async () => {
    const all = await Promise.all(Array.from({ length: 8 }, () => acquireRunLock(sb.stateDir)));
    expect(all.filter((r) => 'release' in r)).toHaveLength(1);
  });

  it('a stale lock (its process is gone) is taken over; a live one from another process is not', async () => {
    await writeFile(join(sb.stateDir, LOCK_NAME), JSON.stringify({ pid: await deadPid(), since: 'then', command: 'old run' }));
    const taken = await acquireRunLock(sb.stateDir);
    expect('release' in taken).toBe(true);
    if ('release' in taken) await taken.release();

    const holder = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      await writeFile(join(sb.stateDir, LOCK_NAME), JSON.stringify({ pid: holder.pid, since: 'now', command: 'other run' }));
      expect(await acquireRunLock(sb.stateDir)).toEqual({ heldBy: { pid: holder.pid, since: 'now', command: 'other run' } });
    } finally {
      holder.kill('SIGTERM');
      await once(holder, 'exit');
    }
    expect('release' in (await acquireRunLock(sb.stateDir))).toBe(true);
  });

  // Start times come from /proc; elsewhere a reused pid is taken as alive (the safe side).
  it.skipIf(!existsSync('/proc/self/stat'))('a lock whose pid was reused by a later process is stale', async () => {
    await writeFile(join(sb.stateDir, LOCK_NAME), JSON.stringify({ pid: process.pid, since: 'then', command: 'old', startTicks: '1' }));
    expect('release' in (await acquireRunLock(sb.stateDir))).toBe(true);
  });
});
