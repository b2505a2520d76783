/**
 * The `openclaw` commands the wizard runs and prints: which binary, how `config set` values are
 * written, which secrets output is redacted of, and the one-line reason of a failed command.
 */
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configBatchArgs, configSetArgs, failureReason, knownSecrets, runOpenClaw } from '../../src/actions/openclaw-cli.js';
import type { ActionContext } from '../../src/actions/types.js';
import type { DiagnosisFacts } from '../../src/diagnosis/types.js';
import type { RunResult } from '../../src/exec.js';
import { fingerprintOf } from '../../src/secret.js';
import { diagnosisFacts, TOKEN_A, TOKEN_B, tokenSource } from '../support/diagnosis-facts.js';
import { makeSandbox, type Sandbox } from '../support/sandbox.js';

function result(extra: Partial<RunResult>): RunResult {
  return { ok: false, exitCode: 1, stdout: '', stderr: '', failure: null, ms: 1, ...extra };
}

describe('config set values', () => {
  it('plain lower-case words go bare, the way a person types them', () => {
    expect(configSetArgs('gateway.mode', 'local')).toEqual(['config', 'set', 'gateway.mode', 'local']);
    expect(configSetArgs('gateway.bind', 'tail-net')).toEqual(['config', 'set', 'gateway.bind', 'tail-net']);
  });

  it('everything else is JSON: JSON keywords, digits, capitals, leading dashes, numbers, arrays', () => {
    for (const word of ['true', 'false', 'null', 'abc1', '1abc', 'Local', '-x', '']) expect(configSetArgs('p', word)).toEqual(['config', 'set', 'p', JSON.stringify(word)]);
    expect(configSetArgs('gateway.port', 18789)).toEqual(['config', 'set', 'gateway.port', '18789']);
    expect(configSetArgs('o', ['a'])).toEqual(['config', 'set', 'o', '["a"]']);
  });

  it('a batch is one --batch-json argument holding every path and value', () => {
    expect(
      configBatchArgs([
        { path: 'gateway.auth.mode', value: 'token' },
        { path: 'gateway.port', value: 18789 },
      ]),
    ).toEqual(['config', 'set', '--batch-json', '[{"path":"gateway.auth.mode","value":"token"},{"path":"gateway.port","value":18789}]']);
  });

  it('knownSecrets: every source that holds a value, none that does not', () => {
    const facts = diagnosisFacts({ sources: [tokenSource('a', 'config', TOKEN_A), tokenSource('none', 'dotenv', null), tokenSource('b', 'dotenv', TOKEN_B)] });
    expect(knownSecrets({ facts }).map((s) => s.reveal())).toEqual([TOKEN_A, TOKEN_B]);
  });
});

describe('failureReason', () => {
  it('the first non-blank stderr line, trimmed; the last one when asked', () => {
    const r = result({ stderr: '   \n  Error: first thing  \nmore\n  last thing \n\n' });
    expect(failureReason(r, [])).toBe('Error: first thing');
    expect(failureReason(r, [], { line: 'first' })).toBe('Error: first thing');
    expect(failureReason(r, [], { line: 'last' })).toBe('last thing');
  });

  it("the runner's own failure wins over stderr; no stderr at all gives the exit code", () => {
    expect(failureReason(result({ stderr: 'x', failure: 'openclaw: not found' }), [])).toBe('openclaw: not found');
    expect(failureReason(result({ exitCode: 3 }), [])).toBe('exit 3');
  });

  it('redacts tokens before cutting to 300 characters (or the given maximum)', () => {
    const long = `token ${TOKEN_A} rejected ${'x'.repeat(400)}`;
    const reason = failureReason(result({ stderr: long }), [TOKEN_A]);
    expect(reason).toHaveLength(300);
    expect(reason.startsWith(`token ${fingerprintOf(TOKEN_A)} rejected x`)).toBe(true);
    expect(reason.endsWith('…')).toBe(true);
    expect(failureReason(result({ stderr: long }), [TOKEN_A], { max: 20 })).toBe(`token ${fingerprintOf(TOKEN_A)}`.slice(0, 19) + '…');
  });
});

describe('runOpenClaw', () => {
  let sb: Sandbox;
  let bin: string;
  beforeEach(async () => {
    sb = await makeSandbox('otw-runoc-');
    bin = join(sb.cwd, 'bin');
    await mkdir(bin, { recursive: true });
    await writeFile(join(bin, 'openclaw'), '#!/bin/sh\necho "on-path $*"; pwd\n');
    await chmod(join(bin, 'openclaw'), 0o755);
  });
  afterEach(async () => {
    await sb.cleanup();
  });

  function ctx(facts: DiagnosisFacts): ActionContext {
    const partial: Partial<ActionContext> = { facts, env: { ...sb.env, PATH: `${bin}:/usr/bin:/bin` }, cwd: sb.cwd };
    return partial as ActionContext;
  }

  it('runs the CLI the diagnosis found, in the working directory', async () => {
    const found = join(sb.cwd, 'found-openclaw');
    await writeFile(found, '#!/bin/sh\necho "found $*"; pwd\n');
    await chmod(found, 0o755);
    const r = await runOpenClaw(ctx(diagnosisFacts({ cli: { found: true, path: found, version: null, versionSource: null, error: null } })), ['config', 'get', 'gateway.mode']);
    expect(r).toMatchObject({ ok: true, stdout: `found config get gateway.mode\n${sb.cwd}` });
  });

  it('runs `openclaw` from PATH when the diagnosis found none', async () => {
    const r = await runOpenClaw(ctx(diagnosisFacts({ cli: null })), ['--version']);
    expect(r).toMatchObject({ ok: true, stdout: `on-path --version\n${sb.cwd}` });
  });
});
