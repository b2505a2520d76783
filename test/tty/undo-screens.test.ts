/**
 * `undo` in a real terminal (tmux) of 60 and 100 columns: after `fix --yes` on the token-missing
 * demo, undo shows the diff of the config it will restore, asks (default No), restores on "y" and
 * checks the gateway again. Every row keeps clack's margin, no row is cut inside a word, and the
 * config is byte-identical to before the fix. Screens: snapshots/tty/undo-{confirm,done}-<width>.txt
 * (UPDATE_SNAPSHOTS=1 rewrites them, after review). Build first.
 */
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { startScenario, type DemoSandbox } from '../../src/demo/scenarios.js';
import { BIN } from '../support/cli.js';
import { scrubbedEnv } from '../support/env.js';
import { golden } from '../support/golden.js';
import { startTmux, type TmuxSession } from '../support/tmux.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** The CLI in tmux with the sandbox's environment, through a launcher (the pane sees no test-runner variables). */
async function launch(sb: DemoSandbox, args: string[], width: number): Promise<TmuxSession> {
  const env: NodeJS.ProcessEnv = { ...scrubbedEnv(sb.env, { asPerson: true }), TERM: 'xterm-256color', NO_COLOR: '1' };
  const exports = Object.entries(env)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `export ${k}=${q(v!)}`);
  const launcher = join(sb.root, `undo-${width}.sh`);
  writeFileSync(launcher, `#!/bin/sh\nunset VITEST TEST CI\n${exports.join('\n')}\ncd ${q(sb.cwd)}\nexec ${q(process.execPath)} ${q(BIN)} "$@"\n`);
  chmodSync(launcher, 0o755);
  const t = await startTmux({
    cmd: `${q(launcher)} ${args.map(q).join(' ')}`,
    env: { PATH: process.env.PATH, HOME: sb.home, TERM: 'xterm-256color', LANG: process.env.LANG ?? 'C.UTF-8' },
    cwd: sb.cwd,
    width,
    height: 200,
  });
  cleanups.push(() => t.kill());
  return t;
}

function normalise(text: string, sb: DemoSandbox): string {
  return text
    .split(sb.root)
    .join('<sandbox>')
    .split(String(sb.port))
    .join('<port>')
    .replace(/\d{8}T\d{6}(\.\d+)?Z/g, '<stamp>')
    .replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z/g, '<time>')
    .replace(/\b(pid) \d+/g, '$1 <pid>')
    .replace(/\bkill \d+/g, 'kill <pid>')
    .replace(/sha256:[0-9a-f]{8}/g, 'sha256:<fp>')
    .replace(/ +\d+ ms\b/g, ' N ms')
    .replace(/\[\d+s\]/g, '[Ns]')
    .replace(/\n*Pane is dead[^\n]*/g, '')
    .replace(/\n+$/, '\n');
}

/** Logical lines: rows the terminal wrapped itself are joined back (-J). */
async function logicalLines(t: TmuxSession): Promise<string[]> {
  const r = await execa('tmux', ['-L', t.socket, '-f', '/dev/null', 'capture-pane', '-p', '-J', '-S', '-', '-t', `${t.session}:0.0`]);
  return String(r.stdout)
    .split('\n')
    .map((l) => l.replace(/\s+$/, ''))
    .filter((l) => l.trim() && !/^Pane is dead/.test(l));
}

/**
 * The screen for comparing with its golden file: a pid's digit count moves where a line breaks and
 * how wide a box is, so the comparison is of the words in order: margins, rows and padding are
 * collapsed (the golden file keeps the screen as drawn; expectRowsFit checks the layout itself).
 */
const reflow = (screen: string) => screen.replace(/[│]/g, ' ').replace(/─+/g, '─').replace(/\s+/g, ' ').trim();

/** Every line in clack's margin; a line wider than the terminal only when it is one word (a long path). */
async function expectRowsFit(t: TmuxSession, width: number): Promise<void> {
  const rows = await logicalLines(t);
  expect(rows.length).toBeGreaterThan(8);
  for (const row of rows) {
    expect(row, row).toMatch(/^([│┌└├◇◆■▲●✔]| {3}\S)/);
    // Wider than the terminal only around a word that could not fit on any row (a long path).
    if ([...row].length > width) expect(Math.max(...row.split(/\s+/).map((w) => [...w].length)), row).toBeGreaterThan(width - 12);
  }
}

describe('undo in a terminal of 60 and 100 columns', () => {
  it.each([60, 100])(
    '%i columns: the diff, the question (default No), "y" restores the config byte-identically and checks again',
    async (width) => {
      const sb = await startScenario('token-missing');
      cleanups.push(() => sb.stop());
      const before = readFileSync(sb.configPath);
      const fix = await execa(process.execPath, [BIN, 'fix', '--yes'], { env: { ...sb.env, NO_COLOR: '1' }, cwd: sb.cwd, reject: false, timeout: 80_000 });
      expect(fix.exitCode, String(fix.stdout)).toBe(3);
      expect(readFileSync(sb.configPath).equals(before)).toBe(false);

      const t = await launch(sb, ['undo'], width);
      await t.waitForText('Restore this file as shown?', 30_000);
      const asking = normalise(await t.capture({ history: true }), sb);
      // A line clack printed over several rows, as one line.
      expect(asking.replace(/\n│ {2}(?=\S)/g, ' ')).toContain('openclaw-token-wizard undo: the recovery run of <time> (ended: ui-not-connected)');
      expect(asking).toMatch(/[-+].*"token"/);
      expect(asking).toContain('Not reversed by undo');
      await expectRowsFit(t, width);
      expect(reflow(asking)).toBe(reflow(golden(`tty/undo-confirm-${width}.txt`, asking)));

      await t.sendKeys('y');
      expect(await t.waitForExit(40_000)).toBe(0);
      const done = normalise(await t.capture({ history: true }), sb);
      expect(done).toContain('Checked again:');
      expect(done).toMatch(/└ {2}Restored/);
      await expectRowsFit(t, width);
      expect(reflow(done)).toBe(reflow(golden(`tty/undo-done-${width}.txt`, done)));
      expect(readFileSync(sb.configPath).equals(before)).toBe(true);
    },
    120_000,
  );
});
