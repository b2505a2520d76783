/** `--debug` / OTW_DEBUG=1: a redacted log with each check's timing, in a file the wizard names. */
import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startScenario, type DemoSandbox } from '../../src/demo/scenarios.js';
import { runCli } from '../support/cli.js';
import { expectNoLeak } from '../support/leaks.js';

const sandboxes: DemoSandbox[] = [];
afterEach(async () => {
  while (sandboxes.length) await sandboxes.pop()!.stop();
});

function logPathIn(stderr: string): string {
  // Said once, at the end: a second copy of the line is noise (with stdout redirected, the two sat together).
  expect(stderr.match(/^Debug log: /gm), stderr).toHaveLength(1);
  expect(stderr.trimEnd().split('\n').at(-1), stderr).toMatch(/^Debug log: /);
  const m = /^Debug log: (.+)$/m.exec(stderr);
  expect(m, stderr).not.toBeNull();
  return m![1]!;
}

describe('the debug log', () => {
  it.for([
    ['--debug', ['diagnose', '--debug'], {}],
    ['OTW_DEBUG=1', ['diagnose'], { OTW_DEBUG: '1' }],
  ] as const)('%s: every check with its status and time, in <state dir>/otw-logs, 0600, no token', { timeout: 60_000 }, async ([, args, extra]) => {
    const sb = await startScenario('token-mismatch');
    sandboxes.push(sb);
    const r = await runCli({ env: { ...sb.env, NO_COLOR: '1', ...extra }, cwd: sb.cwd, timeoutMs: 40_000 }, [...args, '--json']);
    const path = logPathIn(r.stderr);
    expect(dirname(path)).toBe(join(sb.stateDir, 'otw-logs'));
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const log = readFileSync(path, 'utf8');
    const report = JSON.parse(r.stdout) as { checks: Array<{ id: string; status: string; ms: number }>; findings: Array<{ id: string }> };
    for (const c of report.checks) expect(log).toMatch(new RegExp(`check +${c.id} +${c.status} +\\d+ ms`));
    for (const f of report.findings) expect(log).toContain(f.id);
    expect(log).toMatch(/diagnose +diagnose: \d+ ms/);
    expect(log).toMatch(/exit +1$/m);
    expectNoLeak(log, sb.tokens);
  });

  it('without --debug there is no log and no mention of one', { timeout: 60_000 }, async () => {
    const sb = await startScenario('healthy');
    sandboxes.push(sb);
    const r = await runCli({ env: { ...sb.env, NO_COLOR: '1' }, cwd: sb.cwd, timeoutMs: 40_000 }, ['diagnose']);
    expect(r.stderr).not.toContain('Debug log');
  });

  it('support --debug attaches the log to the report, collapsed, with what to do next', { timeout: 120_000 }, async () => {
    const sb = await startScenario('token-mismatch');
    sandboxes.push(sb);
    const report = join(sb.root, 'ticket.md');
    const r = await runCli({ env: { ...sb.env, NO_COLOR: '1' }, cwd: sb.cwd, timeoutMs: 90_000 }, ['support', '--yes', '--debug', '--report', report]);
    const path = logPathIn(r.stderr);
    const md = readFileSync(report, 'utf8');
    // The report shows the home directory as ~ (it goes into public tickets).
    expect(md).toContain(`## Debug log\n\n<details><summary>${path.replace(sb.home, '~')}</summary>`);
    expect(md).toMatch(/check +probe +\w+ +\d+ ms/);
    expect(md).toContain('## Session transcript\n\n<details><summary>');
    expect(md).toMatch(/^- Next: /m);
    expectNoLeak(md, sb.tokens);
  });
});
