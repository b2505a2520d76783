/**
 * `--json` for the flows (fix, setup, rotate, support, demo): exactly one document on stdout when
 * the run ends (schema openclaw-token-wizard.run/v1), the human output on stderr; each step with
 * its result, each change with its backup, the journal, the undo command and the exit code.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DemoSandbox } from '../../src/demo/scenarios.js';
import { demoScenario } from '../support/sandbox.js';
import { FLOW_RUN_SCHEMA, type FlowRunDocument } from '../../flows/run-document.js';
import { REPO, parseOneJson, runCli, type CliRun } from '../support/cli.js';
import { scrubbedEnv } from '../support/env.js';
import { filesUnder } from '../support/files.js';
import { expectNoLeak } from '../support/leaks.js';

const scenario = demoScenario;

const run = (sb: DemoSandbox, args: string[], timeoutMs = 80_000) => runCli({ env: { ...sb.env, NO_COLOR: '1' }, cwd: sb.cwd, timeoutMs }, args);

/** stdout is the one document, of this schema, whose exit code is the process's. */
function documentOf(r: CliRun): FlowRunDocument {
  const doc = parseOneJson(r.stdout) as FlowRunDocument;
  expect(doc.schema).toBe(FLOW_RUN_SCHEMA);
  expect(doc.exitCode).toBe(r.exitCode);
  // The person's output went to stderr: no clack margin, no prose on stdout.
  expect(r.stdout).not.toMatch(/[│◇◆└┌]/);
  return doc;
}

const results = (doc: FlowRunDocument) => Object.fromEntries(doc.steps.map((s) => [s.step, s.result]));

/** Files the gateway itself writes while the wizard probes it (not the wizard's doing). */
const gatewayWritten = (sb: DemoSandbox) => new Set([sb.logFile, join(sb.root, 'logs', 'gateway-console.log')]);

describe('flow --json: one document at the end', () => {
  it('demo token-missing --yes --json: steps verified, the change with its backup, the undo command, exit 3', { timeout: 90_000 }, async () => {
    const r = await runCli({ env: { ...scrubbedEnv(), NO_COLOR: '1' }, cwd: REPO, timeoutMs: 80_000 }, ['demo', 'token-missing', '--yes', '--json']);
    const doc = documentOf(r);
    expect(doc).toMatchObject({ flow: 'recovery', dryRun: false, outcome: 'ui-not-connected', exitCode: 3, undo: 'openclaw-token-wizard undo', error: null });
    expect(results(doc)).toEqual({ generateToken: 'verified', restartGateway: 'verified', putTokenIntoControlUi: 'not-confirmed' });
    expect(doc.steps.find((s) => s.step === 'putTokenIntoControlUi')!.observed).toContain('no Control UI connection');
    expect(doc.steps.find((s) => s.step === 'generateToken')!.commands).toContain('openclaw config set gateway.auth.mode token');
    expect(doc.changes[0]!.files[0]!.backup).toMatch(/otw-backups/);
    expect(doc.journal).toMatch(/otw-journal\/.+\.json$/);
    expect(doc.remaining.map((f) => f.id)).toEqual(['client-token-missing']);
    // The run diagnosed after its last change: the list is current, and says when it was made.
    expect(doc.remainingStale).toBe(false);
    expect(Date.parse(doc.remainingAsOf!)).toBeGreaterThanOrEqual(Date.parse(doc.changes.at(-1)!.at));
    // The sandbox banner and the whole run went to stderr.
    expect(r.stderr).toContain('Demo "token-missing": sandbox');
    expect(r.stderr).toContain('Gateway ready; the Control UI has not connected yet.');
    // Fingerprints only: no 48-hex token anywhere in the document.
    expect(r.stdout).not.toMatch(/[0-9a-f]{48}/);
    // The README documents this very shape: its example has every field, at every level, and no other.
    const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
    const example = JSON.parse(/### The run as JSON[\s\S]*?```json\n([\s\S]*?)```/.exec(readme)![1]!.replace(/"…"/g, '""')) as FlowRunDocument;
    expect(Object.keys(example).sort()).toEqual(Object.keys(doc).sort());
    expect(Object.keys(example.steps[0]!).sort()).toEqual(Object.keys(doc.steps[0]!).sort());
    expect(Object.keys(example.changes[0]!).sort()).toEqual(Object.keys(doc.changes[0]!).sort());
    expect(example.schema).toBe(FLOW_RUN_SCHEMA);
  });

  it('fix --yes --json: each backup named in the document holds the config as it was, 0600; the journal is there', { timeout: 90_000 }, async () => {
    const sb = await scenario('token-missing');
    const before = readFileSync(sb.configPath);
    const r = await run(sb, ['fix', '--yes', '--json']);
    const doc = documentOf(r);
    const token = (JSON.parse(readFileSync(sb.configPath, 'utf8')) as { gateway: { auth: { token: string } } }).gateway.auth.token;
    expect(doc.outcome).toBe('ui-not-connected');
    const file = doc.changes.flatMap((c) => c.files).find((f) => f.path === sb.configPath)!;
    expect(file.backup).not.toBeNull();
    expect(readFileSync(file.backup!).equals(before)).toBe(true);
    expect(statSync(file.backup!).mode & 0o777).toBe(0o600);
    expect(existsSync(doc.journal!)).toBe(true);
    expect(doc.gateway).toEqual({ url: `ws://127.0.0.1:${sb.port}`, acceptedSource: 'config' });
    expectNoLeak(r, [token, ...sb.tokens]);
  });

  it('fix --dry-run --json: every step planned, the plan in order, no change, no journal, no undo; nothing written', { timeout: 90_000 }, async () => {
    const sb = await scenario('token-missing');
    const untouched = filesUnder(sb.root, gatewayWritten(sb));
    const r = await run(sb, ['fix', '--dry-run', '--json']);
    const doc = documentOf(r);
    expect(filesUnder(sb.root, gatewayWritten(sb))).toEqual(untouched);
    expect(doc).toMatchObject({ flow: 'recovery', dryRun: true, changes: [], journal: null, undo: null, exitCode: 1 });
    expect(doc.steps.length).toBeGreaterThan(0);
    for (const s of doc.steps) expect(s.result, s.step).toBe('planned');
    expect(doc.plan[0]).toBe('openclaw config set gateway.auth.mode token');
    expect(doc.plan).toEqual(doc.steps.flatMap((s) => s.commands));
    expect(r.stderr).toContain('Plan (dry run: nothing was changed)');
  });

  it('--json without a terminal and without --yes or --dry-run is a usage error (exit 2, an error document), and nothing runs', async () => {
    const sb = await scenario('token-missing');
    const untouched = filesUnder(sb.root, gatewayWritten(sb));
    for (const command of ['fix', 'setup', 'rotate', 'support']) {
      const r = await run(sb, [command, '--json']);
      expect(r.exitCode, command).toBe(2);
      expect(parseOneJson(r.stdout)).toMatchObject({ schema: 'openclaw-token-wizard.error/v1', usage: true });
      expect(r.stderr).toContain('--json without a terminal cannot ask before it changes anything: add --yes to apply the automatic fixes, or --dry-run for the plan');
    }
    expect(filesUnder(sb.root, gatewayWritten(sb))).toEqual(untouched);
  });

  it('setup and rotate --dry-run --json name their flow; support --yes --json names the report and the diagnosis it wrote', { timeout: 120_000 }, async () => {
    const sb = await scenario('healthy');
    const setup = documentOf(await run(sb, ['setup', '--dry-run', '--json']));
    expect(setup).toMatchObject({ flow: 'setup', dryRun: true, changes: [] });
    const rotate = documentOf(await run(sb, ['rotate', '--dry-run', '--json']));
    expect(rotate).toMatchObject({ flow: 'rotate', dryRun: true, changes: [] });
    expect(results(rotate).rotateToken).toBe('planned');
    const report = join(sb.root, 'ticket.md');
    const support = documentOf(await run(sb, ['support', '--yes', '--json', '--report', report], 100_000));
    expect(support).toMatchObject({ flow: 'support', report: { markdown: report, diagnosis: join(sb.root, 'ticket.diagnosis.json') } });
    expect(existsSync(report) && existsSync(support.report!.diagnosis!)).toBe(true);
    expectNoLeak([JSON.stringify(setup), JSON.stringify(rotate), JSON.stringify(support)], sb.tokens);
  });
});
