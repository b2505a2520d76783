/**
 * A diagnosis a supporter can replay: `support --report` saves the redacted diagnosis JSON beside
 * the Markdown, and `diagnose --from FILE` renders it (human or --json) without reading the machine.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { expectNoLeak } from '../support/leaks.js';
import { demoScenario, makeSandbox } from '../support/sandbox.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

const scenario = () => demoScenario('token-mismatch');

describe('diagnose --from FILE', () => {
  it('renders a saved diagnosis as it was, human and --json, on a machine with no OpenClaw at all', { timeout: 60_000 }, async () => {
    const sb = await scenario();
    const saved = await runCli({ env: { ...sb.env, NO_COLOR: '1' }, cwd: sb.cwd, timeoutMs: 40_000 }, ['diagnose', '--json']);
    const file = join(sb.root, 'saved.diagnosis.json');
    writeFileSync(file, saved.stdout);
    // Another machine: an empty HOME, no gateway, no openclaw.
    const other = await makeSandbox('otw-from-');
    cleanups.push(() => other.cleanup());
    const json = await runCli({ env: other.env, cwd: other.cwd }, ['diagnose', '--from', file, '--json']);
    expect(JSON.parse(json.stdout)).toEqual(JSON.parse(saved.stdout));
    expect(json.exitCode).toBe(saved.exitCode);
    const human = await runCli({ env: other.env, cwd: other.cwd }, ['diagnose', '--from', file]);
    expect(human.stdout).toContain(`Saved diagnosis ${file}`);
    expect(human.stdout).toContain(`ws://127.0.0.1:${sb.port}`);
    for (const f of (JSON.parse(saved.stdout) as { findings: Array<{ title: string }> }).findings) expect(human.stdout).toContain(f.title);
    expect(human.exitCode).toBe(saved.exitCode);
    expect(existsSync(join(other.stateDir, 'otw-journal'))).toBe(false);
  });

  it('refuses what is not a saved diagnosis, and options that would read this machine (exit 2)', { timeout: 30_000 }, async () => {
    const sb = await makeSandbox('otw-from-');
    cleanups.push(() => sb.cleanup());
    const bad = join(sb.cwd, 'bad.json');
    writeFileSync(bad, JSON.stringify({ schema: 'something/else' }));
    const r = await runCli({ env: sb.env, cwd: sb.cwd }, ['diagnose', '--from', bad]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('is not a openclaw-token-wizard.diagnosis/v1 document');
    const clash = await runCli({ env: sb.env, cwd: sb.cwd }, ['diagnose', '--from', bad, '--port', '1234']);
    expect(clash.exitCode).toBe(2);
    expect(clash.stderr).toContain('cannot be combined with --port');
    const missing = await runCli({ env: sb.env, cwd: sb.cwd }, ['diagnose', '--from', join(sb.cwd, 'nope.json')]);
    expect(missing.exitCode).toBe(2);
  });
});

describe('support --report saves the diagnosis beside the Markdown', () => {
  it('ticket.md and ticket.diagnosis.json, redacted, and the JSON replays with diagnose --from', { timeout: 120_000 }, async () => {
    const sb = await scenario();
    const report = join(sb.root, 'ticket.md');
    const r = await runCli({ env: { ...sb.env, NO_COLOR: '1' }, cwd: sb.cwd, timeoutMs: 90_000 }, ['support', '--yes', '--report', report]);
    const jsonPath = join(sb.root, 'ticket.diagnosis.json');
    expect(r.stdout).toContain(`and the diagnosis to ${jsonPath}`);
    const text = readFileSync(jsonPath, 'utf8');
    expect(JSON.parse(text)).toMatchObject({ schema: 'openclaw-token-wizard.diagnosis/v1' });
    expectNoLeak(text + readFileSync(report, 'utf8'), sb.tokens);
    const replay = await runCli({ env: sb.env, cwd: sb.cwd }, ['diagnose', '--from', jsonPath, '--json']);
    expect(JSON.parse(replay.stdout)).toEqual(JSON.parse(text));
  });
});
