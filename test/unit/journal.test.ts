import { chmod, lstat, mkdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backupFile, writeFileAtomic } from '../../src/actions/fs-safe.js';
import { JournalWriter, listJournals, readJournal, reverseOf, withUndoLine } from '../../src/actions/journal.js';
import { planRestore, restoreDiff, restoreFile } from '../../src/actions/restore.js';
import { makeSandbox, type Sandbox } from '../support/sandbox.js';

let sb: Sandbox;
beforeEach(async () => {
  sb = await makeSandbox('otw-journal-');
});
afterEach(async () => {
  await sb.cleanup();
});

const at = '2026-01-01T00:00:00.000Z';
const TOKEN = 'a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718';

describe('the run journal', () => {
  it('keeps the first backup of each file, the command that reverses each action, and is written 0600', async () => {
    await writeFile(sb.configPath, '{"a": 1}\n');
    const j = new JournalWriter('recovery', () => new Date(at));
    const b1 = await backupFile(sb.configPath, { stateDir: sb.stateDir });
    await writeFileAtomic(sb.configPath, '{"a": 2}\n');
    j.record({ at, what: 'set a', commands: ['openclaw config set a 2'], files: [sb.configPath], backups: [b1] }, sb.stateDir);
    const b2 = await backupFile(sb.configPath, { stateDir: sb.stateDir, now: new Date(Date.now() + 5000) });
    await writeFileAtomic(sb.configPath, '{"a": 3}\n');
    j.record({ at, what: 'set a again', commands: ['openclaw config set a 3'], files: [sb.configPath], backups: [b2] }, sb.stateDir);
    const created = join(sb.cwd, '.env');
    await writeFile(created, 'X=1\n');
    j.record({ at, what: 'wrote .env', commands: [], files: [created], backups: [] }, sb.stateDir);
    j.record({ at, what: 'restarted the gateway service', commands: ['openclaw gateway restart'], files: [], backups: [] }, sb.stateDir);
    const path = await j.flush('connected');
    expect(path).toBe(join(sb.stateDir, 'otw-journal', '20260101T000000.000Z.json'));
    expect((await stat(path!)).mode & 0o777).toBe(0o600);
    const journal = (await readJournal(path!))!;
    expect(journal.end).toBe('connected');
    expect(journal.files.map((f) => [f.path, f.backup])).toEqual([
      [sb.configPath, b1],
      [created, null],
    ]);
    expect(journal.files[1]!.reverse).toBe(`rm -- ${created}`);
    expect(journal.files[0]!.sha256After).toMatch(/^[0-9a-f]{64}$/);
    expect(journal.actions.map((a) => a.reverse)).toEqual([`cp -- ${b1} ${sb.configPath}`, `cp -- ${b2} ${sb.configPath}`, `rm -- ${created}`, 'openclaw gateway restart']);
    expect((await listJournals(sb.stateDir)).map((x) => x.path)).toEqual([path]);

    const plans = await planRestore(journal);
    for (const p of plans) expect((await restoreFile(p)).ok).toBe(true);
    expect(await readFile(sb.configPath, 'utf8')).toBe('{"a": 1}\n');
    await expect(lstat(created)).rejects.toThrow();
  });

  it('a run that changed nothing leaves no journal', async () => {
    expect(await new JournalWriter('recovery').flush('connected')).toBeNull();
    expect(await listJournals(sb.stateDir)).toEqual([]);
  });

  it('reverse commands: a started service is stopped, a killed process is not restarted', () => {
    expect(reverseOf('openclaw gateway start', 'started the gateway service').reverse).toBe('openclaw gateway stop');
    expect(reverseOf('kill 42', 'stopped pid 42')).toMatchObject({ reverse: null, note: expect.stringContaining('not started again') });
    expect(reverseOf('nohup openclaw gateway run > /x.log 2>&1 &', 'started the gateway in the background (pid 77, log /x.log)').reverse).toBe('kill 77');
  });

  it('the closing line ends with the undo command only when something changed, with the flags that find the same state dir', () => {
    expect(withUndoLine('Connected.', false, {})).toBe('Connected.');
    expect(withUndoLine('Connected.', true, { profile: 'work' })).toBe('Connected.\nTo undo these changes: openclaw-token-wizard undo --profile work');
  });
});

describe('restoring a file', () => {
  it('writes through a symlink, keeps the mode, and the bytes equal the backup (CRLF, no final newline)', async () => {
    const real = join(sb.home, 'dotfiles', 'openclaw.json');
    await mkdir(join(sb.home, 'dotfiles'));
    const original = Buffer.from(`{\r\n  // keep\r\n  "gateway": {"auth": {"token": "${TOKEN}"}}\r\n}`);
    await writeFile(real, original);
    await chmod(real, 0o640);
    await symlink(real, sb.configPath);
    const backup = await backupFile(sb.configPath, { stateDir: sb.stateDir });
    await writeFileAtomic(sb.configPath, '{"gateway": {"auth": {"token": "other-token-value-1234567890"}}}\n');
    const j = new JournalWriter('rotate');
    j.record({ at, what: 'rotated', commands: ['edit'], files: [sb.configPath], backups: [backup] }, sb.stateDir);
    const journal = (await readJournal((await j.flush('ready'))!))!;
    const [plan] = await planRestore(journal);
    expect(plan!.changedSince).toBe(false);
    const diff = restoreDiff(plan!);
    expect(diff).toContain('+  // keep');
    expect(diff).not.toContain(TOKEN);
    expect(diff).not.toContain('other-token-value-1234567890');
    expect((await restoreFile(plan!)).ok).toBe(true);
    expect((await lstat(sb.configPath)).isSymbolicLink()).toBe(true);
    expect((await readFile(real)).equals(original)).toBe(true);
    expect((await stat(real)).mode & 0o777).toBe(0o640);
  });

  it('the diff names the file by its path even when the path looks opaque (a temp dir suffix); the token inside is a fingerprint', async () => {
    const dir = join(sb.cwd, 'otw-demo-token-missing-BpTG6p');
    await mkdir(dir);
    const file = join(dir, 'openclaw.json');
    await writeFile(file, '{}\n');
    const backup = await backupFile(file, { stateDir: sb.stateDir });
    // The config names its own directory (logging.file), so the path is in the file's text too.
    await writeFile(file, `{"logging": {"file": "${dir}/gateway.log"}, "token": "${TOKEN}"}\n`);
    const j = new JournalWriter('recovery');
    j.record({ at, what: 'set', commands: [], files: [file], backups: [backup] }, sb.stateDir);
    const [plan] = await planRestore((await readJournal((await j.flush('ready'))!))!);
    const diff = restoreDiff(plan!);
    expect(diff.split('\n').slice(0, 2)).toEqual([`--- ${file}\tnow`, `+++ ${file}\tafter undo`]);
    expect(diff).not.toContain(TOKEN);
    expect(diff).toContain('sha256:');
  });

  it('a file edited after the run is flagged, so undo asks explicitly', async () => {
    await writeFile(sb.configPath, 'one\n');
    const backup = await backupFile(sb.configPath, { stateDir: sb.stateDir });
    await writeFile(sb.configPath, 'two\n');
    const j = new JournalWriter('recovery');
    j.record({ at, what: 'edit', commands: [], files: [sb.configPath], backups: [backup] }, sb.stateDir);
    const journal = (await readJournal((await j.flush('connected'))!))!;
    await writeFile(sb.configPath, 'three\n');
    expect((await planRestore(journal))[0]!.changedSince).toBe(true);
  });
});
