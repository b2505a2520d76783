/**
 * The support report is never lost silently (issue 8, point 12): a report that cannot be written
 * is printed with the reason and a non-zero exit; an existing file is not replaced without
 * --force; the home directory appears as `~`.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DemoSandbox } from '../../src/demo/scenarios.js';
import { demoScenario } from '../support/sandbox.js';
import { runCli } from '../support/cli.js';
import { expectNoLeak } from '../support/leaks.js';

const scenario = () => demoScenario('token-mismatch');

const support = (sb: DemoSandbox, args: string[]) => runCli({ env: { ...sb.env, NO_COLOR: '1' }, cwd: sb.cwd, timeoutMs: 90_000 }, ['support', '--yes', ...args]);

describe('support --report', () => {
  it('a report that cannot be written: the reason, the report on stdout, a non-zero exit', { timeout: 120_000 }, async () => {
    const sb = await scenario();
    const report = join(sb.root, 'missing', 'dir', 'x.md');
    const r = await support(sb, ['--report', report]);
    expect(r.stdout).toContain(`The report was not written: could not write ${report}: the directory does not exist.`);
    expect(r.stdout).toContain('# OpenClaw gateway token: support report');
    expect(r.stdout).toContain('## Findings at the start');
    expect(r.exitCode).not.toBe(0);
    expect(existsSync(join(sb.root, 'missing'))).toBe(false);
    expectNoLeak(r.stdout, sb.tokens);
  });

  it('an existing file is not replaced without --force (refused before the session); --force replaces it', { timeout: 120_000 }, async () => {
    const sb = await scenario();
    const report = join(sb.root, 'ticket.md');
    writeFileSync(report, 'my notes\n');
    const refused = await support(sb, ['--report', report]);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain(`${report} already exists: add --force to overwrite it`);
    expect(readFileSync(report, 'utf8')).toBe('my notes\n');
    const forced = await support(sb, ['--report', report, '--force']);
    expect(forced.stdout).toContain(`Report written to ${report}`);
    expect(readFileSync(report, 'utf8')).toContain('# OpenClaw gateway token: support report');
  });

  it('the diagnosis beside an existing report is not replaced either: nothing is written, the report goes to stdout', { timeout: 120_000 }, async () => {
    const sb = await scenario();
    const report = join(sb.root, 'ticket.md');
    writeFileSync(join(sb.root, 'ticket.diagnosis.json'), '{}\n');
    const r = await support(sb, ['--report', report]);
    expect(r.stdout).toContain(`${join(sb.root, 'ticket.diagnosis.json')} already exists (add --force to overwrite it`);
    expect(existsSync(report)).toBe(false);
    expect(readFileSync(join(sb.root, 'ticket.diagnosis.json'), 'utf8')).toBe('{}\n');
  });

  it('the home directory appears as ~ in the report and the diagnosis beside it, never as its path', { timeout: 120_000 }, async () => {
    const sb = await scenario();
    mkdirSync(join(sb.root, 'out'));
    const report = join(sb.root, 'out', 'ticket.md');
    const r = await support(sb, ['--report', report]);
    expect(r.stdout).toContain(`Report written to ${report}`);
    const md = readFileSync(report, 'utf8');
    const json = readFileSync(join(sb.root, 'out', 'ticket.diagnosis.json'), 'utf8');
    expect(md).toContain('`~/.openclaw/openclaw.json`');
    expect(md).not.toContain(sb.home);
    expect(json).not.toContain(sb.home);
    expect(md).toContain('- What the user saw: not sure which message');
  });
});
