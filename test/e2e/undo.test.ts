/**
 * `undo` end to end: the built CLI fixes a demo sandbox (`fix --yes`), then `undo --yes` puts
 * every file back, byte for byte and mode for mode, from the run's journal and backups.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startScenario, type DemoSandbox, type ScenarioName } from '../../src/demo/scenarios.js';
import { filesUnder } from '../support/files.js';
import { runCli } from '../support/cli.js';
import { expectNoLeak } from '../support/leaks.js';
import type { Journal } from '../../src/actions/journal.js';

const sandboxes: DemoSandbox[] = [];
afterEach(async () => {
  while (sandboxes.length) await sandboxes.pop()!.stop();
});

/** The sandbox's files a run may not leave changed: all but logs, journals and backups. */
function userFiles(sb: DemoSandbox): Map<string, string> {
  const all = filesUnder(sb.root);
  for (const k of [...all.keys()]) if (/(^|\/)(logs|otw-journal|otw-backups)\//.test(k) || join(sb.root, k) === sb.logFile || k.endsWith('.log')) all.delete(k);
  return all;
}

function journalOf(sb: DemoSandbox): { path: string; journal: Journal } {
  const dir = join(sb.stateDir, 'otw-journal');
  const names = readdirSync(dir);
  expect(names).toHaveLength(1);
  const path = join(dir, names[0]!);
  return { path, journal: JSON.parse(readFileSync(path, 'utf8')) as Journal };
}

describe('undo after fix --yes restores every file byte-identically', () => {
  it.for<ScenarioName>(['env-override', 'token-missing'])('%s', { timeout: 150_000 }, async (name) => {
    const sb = await startScenario(name);
    sandboxes.push(sb);
    const target = { env: { ...sb.env, NO_COLOR: '1' }, cwd: sb.cwd, timeoutMs: 80_000 };
    const before = userFiles(sb);

    const fix = await runCli(target, ['fix', '--yes']);
    const changed = [...userFiles(sb)].filter(([k, v]) => before.get(k) !== v).map(([k]) => k);
    expect(changed.length).toBeGreaterThan(0);
    // The closing summary ends with the undo line.
    expect(fix.stdout.trimEnd().split('\n').at(-1)).toContain('To undo these changes: openclaw-token-wizard undo');

    const { path, journal } = journalOf(sb);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(journal.schema).toBe('openclaw-token-wizard.journal/v1');
    expect(journal.undoneAt).toBeNull();
    for (const f of journal.files) {
      expect(f.backup).not.toBeNull();
      expect(statSync(f.backup!).mode & 0o777).toBe(0o600);
      expect(f.reverse).toMatch(/^cp -- /);
    }
    // Every file that existed and changed is in the journal; OpenClaw's own .bak ring (config set) is OpenClaw's.
    expect(journal.files.map((f) => relative(sb.root, f.target)).sort()).toEqual(changed.filter((c) => before.has(c)).sort());

    const undo = await runCli(target, ['undo', '--yes']);
    expect(undo.exitCode).toBe(0);
    expect(undo.stdout).toContain('Restore');
    expect(undo.stdout).toMatch(/^[│ ]*[-+]/m); // the diff
    expect(undo.stdout).toContain('Checked again:');
    const after = userFiles(sb);
    expect(new Map([...after].filter(([k]) => before.has(k)))).toEqual(before);
    expect([...after.keys()].filter((k) => !before.has(k)).every((k) => k.endsWith('.bak'))).toBe(true);
    expectNoLeak(fix.stdout + fix.stderr + undo.stdout + undo.stderr + readFileSync(path, 'utf8'), sb.tokens);
    expect(journalOf(sb).journal.undoneAt).not.toBeNull();

    const again = await runCli(target, ['undo', '--yes']);
    expect(again.stdout).toContain('Nothing to undo');
    expect(again.exitCode).toBe(0);
  });
});

describe('undo asks first', () => {
  it('without a terminal and without --yes it shows the diff and restores nothing (exit 1)', { timeout: 150_000 }, async () => {
    const sb = await startScenario('env-override');
    sandboxes.push(sb);
    const target = { env: { ...sb.env, NO_COLOR: '1' }, cwd: sb.cwd, timeoutMs: 80_000 };
    await runCli(target, ['fix', '--yes']);
    const fixed = userFiles(sb);
    const dry = await runCli(target, ['undo', '--dry-run']);
    expect(dry.exitCode).toBe(0);
    expect(dry.stdout).toContain('would be restored');
    const r = await runCli(target, ['undo']);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain('Nothing was restored');
    expect(userFiles(sb)).toEqual(fixed);
    expect(journalOf(sb).journal.undoneAt).toBeNull();
    const list = await runCli(target, ['undo', '--list']);
    expect(list.stdout).toMatch(/^pending {2}the recovery run of /m);
  });
});
