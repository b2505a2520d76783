/**
 * Help, version and usage errors of the built CLI (`npm run -s build` first): each command has its
 * own help, a mistyped command or option gets a suggestion and a pointer to --help, and an option
 * a command does not take is refused with exit 2 instead of being ignored.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, cleanupAll, e2eSandbox, parseOneJson, runCli } from '../support/e2e.js';
import { COMMANDS, SPECS } from '../../src/cli/spec.js';

afterEach(cleanupAll);

const VERSION = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }).version;

describe('help', () => {
  it('--help lists every command, --print, open --json, OTW_DEBUG and the colour variables', async () => {
    const sb = await e2eSandbox();
    const r = await runCli(sb, ['--help']);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toBe('');
    for (const c of COMMANDS) expect(r.stdout).toMatch(new RegExp(`^  (\\(none\\), )?${c}\\b`, 'm'));
    expect(r.stdout).toContain('--print');
    expect(r.stdout).toMatch(/--json .*open/);
    for (const v of ['OTW_DEBUG', 'NO_COLOR', 'FORCE_COLOR', 'TERM=dumb']) expect(r.stdout).toContain(v);
    expect(r.stdout).toContain('COMMAND --help');
  });

  it.each(COMMANDS.filter((c) => c !== 'help'))('%s --help and -h: its own help (usage, options, examples, exit codes)', async (command) => {
    const sb = await e2eSandbox();
    const long = await runCli(sb, [command, '--help']);
    const short = await runCli(sb, [command, '-h']);
    const viaHelp = await runCli(sb, ['help', command]);
    expect(long.exitCode).toBe(0);
    expect(short.stdout).toBe(long.stdout);
    expect(viaHelp.stdout).toBe(long.stdout);
    const text = long.stdout;
    expect(text.startsWith(`openclaw-token-wizard ${command}: ${SPECS[command].summary}\n`)).toBe(true);
    expect(text).toContain(`Usage: ${SPECS[command].usage}`);
    for (const o of SPECS[command].options) expect(text).toContain(`--${o}`);
    const examples = text.split('Examples:\n')[1]!.split('\n\n')[0]!.split('\n');
    expect(examples.length).toBeGreaterThanOrEqual(2);
    expect(examples.every((e) => e.startsWith('  $ '))).toBe(true);
    expect(text).toMatch(/Exit codes:\n {2}0 /);
    // Not the overview: one command's page.
    expect(text).not.toContain('Commands:');
  });

  it('help for an options-only command does not list the options of others', async () => {
    const sb = await e2eSandbox();
    const diagnose = (await runCli(sb, ['diagnose', '--help'])).stdout;
    expect(diagnose).toContain('--json');
    expect(diagnose).not.toContain('--report');
    expect(diagnose).not.toContain('--yes');
    const open = (await runCli(sb, ['open', '--help'])).stdout;
    expect(open).toContain('--print');
    expect(open).toContain('--json');
  });

  it('-v, -V and --version print the version from package.json', async () => {
    const sb = await e2eSandbox();
    for (const flag of ['-v', '-V', '--version']) {
      const r = await runCli(sb, [flag]);
      expect(r.exitCode).toBe(0);
      expect(r.stdout).toBe(`${VERSION}\n`);
    }
  });
});

describe('usage errors: exit 2, one line with a suggestion where one is close, and where to read more', () => {
  const cases: Array<[string, string[], string]> = [
    ['a mistyped command', ['daignose'], 'unknown command "daignose"; did you mean diagnose? Run `openclaw-token-wizard --help` for the commands.'],
    ['a command prefix', ['diag'], 'unknown command "diag"; did you mean diagnose? Run `openclaw-token-wizard --help` for the commands.'],
    ['nothing close', ['zzzzzz'], 'unknown command "zzzzzz". Run `openclaw-token-wizard --help` for the commands.'],
    ['a mistyped option', ['diagnose', '--jsn'], "Unknown option '--jsn'; did you mean --json? Run `openclaw-token-wizard diagnose --help` for its options."],
    ['a mistyped flow', ['graph', 'recovry'], 'unknown flow "recovry"; did you mean recovery? (one of: recovery, setup, rotate, support). Run `openclaw-token-wizard graph --help` for its options.'],
    ['diagnose --report', ['diagnose', '--report', 'x.md'], '--report does not apply to diagnose (it is an option of support). Run `openclaw-token-wizard diagnose --help` for its options.'],
    [
      'diagnose --yes',
      ['diagnose', '--yes'],
      '--yes does not apply to diagnose (it is an option of recover, fix, setup, support, rotate, undo, demo). Run `openclaw-token-wizard diagnose --help` for its options.',
    ],
    ['open --list', ['open', '--list'], '--list does not apply to open (it is an option of undo, demo). Run `openclaw-token-wizard open --help` for its options.'],
    [
      'demo --config',
      ['demo', '--config', '/etc/x.json'],
      '--config does not apply to demo (it is an option of recover, diagnose, fix, setup, support, rotate, undo, open). Run `openclaw-token-wizard demo --help` for its options.',
    ],
    [
      'graph --yes',
      ['graph', '--yes'],
      '--yes does not apply to graph (it is an option of recover, fix, setup, support, rotate, undo, demo). Run `openclaw-token-wizard graph --help` for its options.',
    ],
    ['an extra argument', ['diagnose', 'now'], 'diagnose takes no arguments, got: now. Run `openclaw-token-wizard diagnose --help` for its options.'],
    [
      'completion without a shell',
      ['completion'],
      'completion needs a shell: bash, zsh, fish (e.g. openclaw-token-wizard completion bash). Run `openclaw-token-wizard completion --help` for its options.',
    ],
    [
      'help for an unknown command',
      ['help', 'fxi'],
      'unknown command "fxi"; did you mean fix? (one of: recover, diagnose, explain, fix, setup, support, rotate, undo, open, graph, demo, completion). Run `openclaw-token-wizard --help` for the commands.',
    ],
  ];

  it.each(cases)('%s', async (_name, args, message) => {
    const sb = await e2eSandbox();
    const r = await runCli(sb, args);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`openclaw-token-wizard: ${message}\n`);
  });

  it('recover --yes --json is refused: the guided flow has no JSON result, fix --json has (test/e2e/flow-json.test.ts)', async () => {
    const sb = await e2eSandbox();
    const r = await runCli(sb, ['recover', '--yes', '--json']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toBe(
      'openclaw-token-wizard: recover has no --json output (it is the guided flow); for the run as JSON use `openclaw-token-wizard fix --json` (with --yes or --dry-run), for the diagnosis `openclaw-token-wizard diagnose --json`. Run `openclaw-token-wizard recover --help` for its options.\n',
    );
    // --json asked for JSON: the error comes as one JSON document too, and nothing ran.
    expect(parseOneJson(r.stdout)).toMatchObject({ schema: 'openclaw-token-wizard.error/v1', usage: true });
  });

  it('--help wins over an option that does not apply (the person is asking how to use it)', async () => {
    const sb = await e2eSandbox();
    const r = await runCli(sb, ['diagnose', '--report', 'x.md', '--help']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout.startsWith('openclaw-token-wizard diagnose:')).toBe(true);
  });

  it('--wait SECONDS (the Control UI wait) is in the help of every flow and demo, not of diagnose; a bad value is a usage error', async () => {
    const sb = await e2eSandbox();
    for (const c of ['recover', 'fix', 'setup', 'support', 'rotate', 'demo']) {
      const r = await runCli(sb, [c, '--help']);
      expect(r.stdout, c).toMatch(/--wait SECONDS +how long to watch the gateway log for the Control UI/);
    }
    expect((await runCli(sb, ['diagnose', '--help'])).stdout).not.toContain('--wait');
    const bad = await runCli(sb, ['fix', '--dry-run', '--wait', 'soon', '--timeout', '300']);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('--wait takes a whole number, got "soon"');
  });

  it('the options each command still takes work as before (fix --dry-run, open --print, demo --list)', async () => {
    const sb = await e2eSandbox();
    const list = await runCli(sb, ['demo', '--list']);
    expect(list.exitCode).toBe(0);
    expect(list.stdout).toContain('token-missing');
    const print = await runCli(sb, ['open', '--print', '--timeout', '300']);
    expect(print.stderr).not.toMatch(/does not apply/);
    expect(print.stdout).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
    const plan = await runCli(sb, ['fix', '--dry-run', '--timeout', '300']);
    expect(plan.stderr).not.toMatch(/does not apply|internal error/);
    expect([0, 1]).toContain(plan.exitCode);
  });
});
