/**
 * Width and colour in a real terminal (tmux): `diagnose` at 60 and 100 columns keeps its │
 * margin, breaks prose at spaces and commands only between arguments (so the lines pasted
 * together are the command a pipe prints whole); colour follows one rule in diagnose and in the
 * interactive flows (--no-color, FORCE_COLOR=0, TERM=dumb, a non-empty NO_COLOR).
 * Screens: snapshots/tty/cli-diagnose-*.txt (UPDATE_SNAPSHOTS=1 rewrites them). Build first.
 */
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { startScenario, type DemoSandbox, type ScenarioName } from '../../src/demo/scenarios.js';
import { golden } from '../support/golden.js';
import { startTmux, type TmuxSession } from '../support/tmux.js';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'openclaw-token-wizard.js');
const ESC = '\x1b[';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

async function scenario(name: ScenarioName): Promise<DemoSandbox> {
  const sb = await startScenario(name);
  cleanups.push(() => sb.stop());
  return sb;
}

/** The CLI in tmux with the sandbox's environment (plus `env`, minus the names in `unset`). */
async function launch(sb: DemoSandbox, args: string[], o: { width: number; env?: Record<string, string>; term?: string }): Promise<TmuxSession> {
  const env: NodeJS.ProcessEnv = { ...sb.env, ...o.env };
  for (const k of Object.keys(env)) if (/^(VITEST|TINYPOOL_|TEST$|CI$|GITHUB_ACTIONS$|TMUX|NO_COLOR$|FORCE_COLOR$)/.test(k)) delete env[k];
  // A person's terminal, whatever TERM the test runner has (CI may have none, or dumb).
  env.TERM = 'xterm-256color';
  Object.assign(env, o.env);
  const exports = Object.entries(env)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `export ${k}=${q(v!)}`);
  const launcher = join(sb.root, `launch-${o.width}.sh`);
  writeFileSync(launcher, `#!/bin/sh\nunset VITEST TEST CI NO_COLOR FORCE_COLOR\n${exports.join('\n')}\ncd ${q(sb.cwd)}\nexec ${q(process.execPath)} ${q(BIN)} "$@"\n`);
  chmodSync(launcher, 0o755);
  const t = await startTmux({
    cmd: `${q(launcher)} ${args.map(q).join(' ')}`,
    env: { PATH: process.env.PATH, HOME: sb.home, TERM: o.term ?? 'xterm-256color', LANG: process.env.LANG ?? 'C.UTF-8' },
    cwd: sb.cwd,
    width: o.width,
    height: 200,
  });
  cleanups.push(() => t.kill());
  return t;
}

/** The screen with its escape sequences (-e), every row (-S -). */
async function captureWithEscapes(t: TmuxSession): Promise<string> {
  const r = await execa('tmux', ['-L', t.socket, '-f', '/dev/null', 'capture-pane', '-p', '-e', '-S', '-', '-t', `${t.session}:0.0`]);
  return String(r.stdout);
}

/** Logical lines: rows the terminal wrapped itself are joined back (-J). */
async function logicalLines(t: TmuxSession): Promise<string[]> {
  const r = await execa('tmux', ['-L', t.socket, '-f', '/dev/null', 'capture-pane', '-p', '-J', '-S', '-', '-t', `${t.session}:0.0`]);
  return String(r.stdout)
    .split('\n')
    .map((l) => l.replace(/\s+$/, ''))
    .filter((l) => !/^Pane is dead/.test(l));
}

function normalise(text: string, sb: DemoSandbox): string {
  return text
    .split(sb.root)
    .join('<sandbox>')
    .split(String(sb.port))
    .join('<port>')
    .replace(/\b(pid) \d+/g, '$1 <pid>')
    .replace(/ +\d+ ms\b/g, ' N ms')
    .replace(/sha256:[0-9a-f]{8}/g, 'sha256:<fp>')
    .replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})/g, '<time>')
    .replace(/\n*Pane is dead[^\n]*/g, '')
    .replace(/\n+$/, '\n');
}

/** `$ command` lines with their ` \` continuations joined, comments dropped: what a paste runs. */
function commandsIn(lines: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /^│\s+\$ (.*)$/.exec(lines[i]!);
    if (!m) continue;
    let cmd = m[1]!;
    while (cmd.endsWith(' \\')) cmd = cmd.slice(0, -2) + ' ' + lines[++i]!.replace(/^│\s+/, '');
    out.push(cmd.replace(/\s+#.*$/, ''));
  }
  return out;
}

describe('diagnose in a terminal of 60 and 100 columns', () => {
  it.each([60, 100])(
    '%i columns: │ margin kept, prose broken at spaces, commands runnable when pasted',
    async (width) => {
      const sb = await scenario('token-missing');
      const piped = await execa(process.execPath, [BIN, 'diagnose'], { env: { ...sb.env, NO_COLOR: '1' }, cwd: sb.cwd, reject: false });
      const t = await launch(sb, ['diagnose'], { width });
      const code = await t.waitForExit(30_000);
      const screen = normalise(await t.capture({ history: true }), sb);
      expect(code, screen).toBe(1);
      expect(screen).toBe(golden(`tty/cli-diagnose-${width}.txt`, screen));

      const lines = await logicalLines(t);
      const body = lines.slice(0, lines.findIndex((l) => l.startsWith('└')) + 1);
      expect(body.length).toBeGreaterThan(20);
      for (const l of body) {
        // Every row starts in the margin: a glyph, or the spaces under the closing └.
        expect(l, l).toMatch(/^([│┌└◇■▲●]| {3}\S)/);
        // A row wider than the terminal is one word the wizard must not cut (a long path).
        if ([...l].length > width) expect(l.replace(/^│\s+(· )?[\w.-]*:?\s*/, '').trim(), l).not.toMatch(/\s/);
      }
      // Pasting the rows of each command gives what the pipe printed on one line.
      const pipedCommands = commandsIn(String(piped.stdout).split('\n'));
      expect(pipedCommands.length).toBeGreaterThanOrEqual(3);
      expect(commandsIn(body)).toEqual(pipedCommands);
      if (width === 60) expect(body.some((l) => l.endsWith(' \\'))).toBe(true);
    },
    60_000,
  );

  it('piped, the same output has no continuation and no row broken inside a command', async () => {
    const sb = await scenario('token-missing');
    const piped = await execa(process.execPath, [BIN, 'diagnose'], { env: { ...sb.env, NO_COLOR: '1', COLUMNS: '40' }, cwd: sb.cwd, reject: false });
    expect(String(piped.stdout)).not.toMatch(/ \\\n/);
    expect(String(piped.stdout)).toContain('$ openclaw config set gateway.auth.token "\\"$(openssl rand -hex 24)\\""\n');
  });
});

describe('colour: one rule for every command', () => {
  const cases: Array<[string, { env?: Record<string, string>; term?: string; args?: string[] }, boolean]> = [
    ['a terminal', {}, true],
    ['--no-color', { args: ['--no-color'] }, false],
    ['FORCE_COLOR=0', { env: { FORCE_COLOR: '0' } }, false],
    ['TERM=dumb', { term: 'dumb', env: { TERM: 'dumb' } }, false],
    ['NO_COLOR=1', { env: { NO_COLOR: '1' } }, false],
    ['NO_COLOR= (empty: does not count)', { env: { NO_COLOR: '' } }, true],
  ];

  it.each(cases)(
    'diagnose, %s',
    async (_name, o, colour) => {
      const sb = await scenario('healthy');
      const t = await launch(sb, ['diagnose', ...(o.args ?? [])], { width: 100, env: o.env, term: o.term });
      expect(await t.waitForExit(30_000)).toBe(0);
      const screen = await captureWithEscapes(t);
      expect(screen).toContain('Healthy');
      expect(screen.includes(ESC)).toBe(colour);
    },
    60_000,
  );

  it.each(cases)(
    'the interactive flow (demo), %s',
    async (_name, o, colour) => {
      const sb = await scenario('healthy');
      // The demo builds its own sandbox; this scenario only lends the launcher a HOME and a cwd.
      const t = await launch(sb, ['demo', 'healthy', ...(o.args ?? [])], { width: 100, env: o.env, term: o.term });
      expect(await t.waitForExit(40_000)).toBe(0);
      const screen = await captureWithEscapes(t);
      expect(screen).toContain('Connected');
      expect(screen.includes(ESC)).toBe(colour);
    },
    60_000,
  );
});
