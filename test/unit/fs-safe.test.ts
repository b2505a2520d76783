import { chmod, lstat, mkdir, readFile, readdir, readlink, stat, symlink, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backupFile, escapedPathName, writeFileAtomic } from '../../src/actions/fs-safe.js';
import { makeSandbox, type Sandbox } from '../support/sandbox.js';

let sb: Sandbox;
beforeEach(async () => {
  sb = await makeSandbox('otw-fssafe-');
});
afterEach(async () => {
  await sb.cleanup();
});

describe('D5 writes through symlinks', () => {
  it('D5: a config that is a symlink stays a symlink; the real file gets the change and keeps its mode', async () => {
    const dotfiles = join(sb.home, 'dotfiles');
    await mkdir(dotfiles);
    const real = join(dotfiles, 'openclaw.json');
    await writeFile(real, '{"old": true}\n');
    await chmod(real, 0o640);
    await symlink('../dotfiles/openclaw.json', sb.configPath);
    const written = await writeFileAtomic(sb.configPath, '{"new": true}\n');
    expect(written).toBe(real);
    expect((await lstat(sb.configPath)).isSymbolicLink()).toBe(true);
    expect(await readlink(sb.configPath)).toBe('../dotfiles/openclaw.json');
    expect(await readFile(real, 'utf8')).toBe('{"new": true}\n');
    expect((await stat(real)).mode & 0o777).toBe(0o640);
    // No temp file left next to either.
    expect((await readdir(dotfiles)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('D5: a dangling symlink is written through (the link comes alive), a new file is 0600 whatever the umask', async () => {
    await symlink(join(sb.home, 'elsewhere.json'), sb.configPath);
    await writeFileAtomic(sb.configPath, 'x');
    expect(await readFile(join(sb.home, 'elsewhere.json'), 'utf8')).toBe('x');
    expect((await lstat(sb.configPath)).isSymbolicLink()).toBe(true);
    const fresh = join(sb.cwd, 'fresh');
    await writeFileAtomic(fresh, 'y');
    expect((await stat(fresh)).mode & 0o777).toBe(0o600);
  });

  it('refuses to replace something that is not a regular file', async () => {
    execFileSync('mkfifo', [join(sb.cwd, 'pipe')]);
    await expect(writeFileAtomic(join(sb.cwd, 'pipe'), 'x')).rejects.toThrow(/not a regular file/);
  });
});

describe('D19 backups', () => {
  it('D19: a .env backup is 0600 whatever the source mode, under the state dir, and its path is returned', async () => {
    const env = join(sb.cwd, '.env');
    await writeFile(env, 'OPENCLAW_GATEWAY_TOKEN=abc\n');
    await chmod(env, 0o644);
    const now = new Date('2026-10-01T12:34:56.789Z');
    const b1 = await backupFile(env, { stateDir: sb.stateDir, now });
    const b2 = await backupFile(env, { stateDir: sb.stateDir, now });
    expect(b1).toBe(join(sb.stateDir, 'otw-backups', '20261001T123456Z', escapedPathName(env)));
    expect(b2).toBe(`${b1}-1`);
    expect((await stat(b1)).mode & 0o777).toBe(0o600);
    expect((await stat(join(sb.stateDir, 'otw-backups'))).mode & 0o777).toBe(0o700);
    expect(await readFile(b1, 'utf8')).toBe('OPENCLAW_GATEWAY_TOKEN=abc\n');
    // Nothing was added to the project directory, where ignore rules would have to catch it.
    expect(await readdir(sb.cwd)).toEqual(['.env']);
  });

  it('D19: backs up the bytes exactly (not a UTF-8 round trip) and refuses a FIFO instead of hanging', async () => {
    const bin = join(sb.cwd, 'bin');
    await writeFile(bin, Buffer.from([0xff, 0xfe, 0x00, 0x41]));
    expect(await readFile(await backupFile(bin, { stateDir: sb.stateDir }))).toEqual(Buffer.from([0xff, 0xfe, 0x00, 0x41]));
    execFileSync('mkfifo', [join(sb.cwd, 'fifo')]);
    await expect(backupFile(join(sb.cwd, 'fifo'), { stateDir: sb.stateDir })).rejects.toThrow(/not a regular file/);
  });
});
