/**
 * `completion bash|zsh|fish`: each script parses in its shell and offers the commands, each
 * command's own options and the values of its argument. bash is driven for real (the function
 * is called with COMP_WORDS set, as bash does on Tab); zsh and fish are checked when installed.
 */
import { execa } from 'execa';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanupAll, e2eSandbox, runCli, type E2eSandbox } from '../support/e2e.js';
import { COMMANDS } from '../../src/cli/spec.js';

afterEach(cleanupAll);

const has = async (bin: string) => (await execa('sh', ['-c', `command -v ${bin}`], { reject: false })).exitCode === 0;

async function script(sb: E2eSandbox, shell: string): Promise<string> {
  const r = await runCli(sb, ['completion', shell]);
  expect(r.exitCode).toBe(0);
  expect(r.stderr).toBe('');
  const file = join(sb.root, `completion.${shell}`);
  await writeFile(file, r.stdout);
  return file;
}

/** What bash offers for the words typed so far (the last one being completed). */
async function bashComplete(file: string, words: string[]): Promise<string[]> {
  const quoted = words.map((w) => `'${w}'`).join(' ');
  const r = await execa('bash', ['-c', `source '${file}'; COMP_WORDS=(${quoted}); COMP_CWORD=${words.length - 1}; _openclaw_token_wizard; printf '%s\\n' "\${COMPREPLY[@]}"`]);
  return String(r.stdout).split('\n').filter(Boolean);
}

describe('completion', () => {
  it('bash: parses (bash -n) and completes commands, options per command, and argument values', async () => {
    const sb = await e2eSandbox();
    const file = await script(sb, 'bash');
    expect((await execa('bash', ['-n', file], { reject: false })).exitCode).toBe(0);
    expect(await bashComplete(file, ['openclaw-token-wizard', ''])).toEqual([...COMMANDS]);
    expect(await bashComplete(file, ['openclaw-token-wizard', 'di'])).toEqual(['diagnose']);
    expect(await bashComplete(file, ['openclaw-token-wizard', 'diagnose', '--j'])).toEqual(['--json']);
    // diagnose changes nothing: no --yes to offer.
    expect(await bashComplete(file, ['openclaw-token-wizard', 'diagnose', '--y'])).toEqual([]);
    expect(await bashComplete(file, ['openclaw-token-wizard', 'support', '--rep'])).toEqual(['--report']);
    expect(await bashComplete(file, ['openclaw-token-wizard', 'demo', '--wa'])).toEqual(['--wait']);
    expect(await bashComplete(file, ['openclaw-token-wizard', 'diagnose', '--wa'])).toEqual([]);
    // A value after --port is not mistaken for the command.
    expect(await bashComplete(file, ['openclaw-token-wizard', '--port', '18789', 'graph', 'r'])).toEqual(['recovery', 'rotate']);
    expect(await bashComplete(file, ['openclaw-token-wizard', 'demo', 'tok'])).toEqual(['token-missing', 'token-mismatch']);
    expect(await bashComplete(file, ['openclaw-token-wizard', 'completion', ''])).toEqual(['bash', 'zsh', 'fish']);
  });

  it('zsh: parses (zsh -n) and names every command', async ({ skip }) => {
    if (!(await has('zsh'))) return skip('zsh is not installed');
    const sb = await e2eSandbox();
    const file = await script(sb, 'zsh');
    expect((await execa('zsh', ['-n', file], { reject: false })).exitCode).toBe(0);
    const text = await execa('cat', [file]);
    expect(String(text.stdout).startsWith('#compdef openclaw-token-wizard\n')).toBe(true);
    for (const c of COMMANDS) expect(String(text.stdout)).toContain(`'${c}:`);
  });

  it('fish: parses (fish --no-execute) and completes commands and options', async ({ skip }) => {
    if (!(await has('fish'))) return skip('fish is not installed');
    const sb = await e2eSandbox();
    const file = await script(sb, 'fish');
    expect((await execa('fish', ['--no-execute', file], { reject: false })).exitCode).toBe(0);
    const complete = async (line: string) =>
      String((await execa('fish', ['-c', `source '${file}'; complete -C '${line}'`])).stdout)
        .split('\n')
        .map((l) => l.split('\t')[0]);
    expect(await complete('openclaw-token-wizard ')).toEqual(expect.arrayContaining([...COMMANDS]));
    expect(await complete('openclaw-token-wizard diagnose --j')).toEqual(['--json']);
  });

  it('an unknown shell is a usage error with a suggestion', async () => {
    const sb = await e2eSandbox();
    const r = await runCli(sb, ['completion', 'bsh']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('unknown shell "bsh"; did you mean bash?');
  });
});
