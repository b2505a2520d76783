/**
 * `fix --dry-run --from FILE`: the fix plan of a saved diagnosis, rendered on another machine that
 * is neither read nor changed: no command runs (every tool on PATH is a stub that would log its
 * call) and every file under the sandbox, HOME included, is byte-identical afterwards.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startScenario, type DemoSandbox } from '../../src/demo/scenarios.js';
import type { DiagnosisReport } from '../../src/diagnosis/types.js';
import { cleanupAll, e2eSandbox, runCli, stub } from '../support/e2e.js';
import { filesUnder } from '../support/files.js';
import { expectNoLeak } from '../support/leaks.js';

const demos: DemoSandbox[] = [];
afterEach(async () => {
  while (demos.length) await demos.pop()!.stop();
  await cleanupAll();
});

/** What the user's wizard saw: a diagnose --json of the token-missing demo, saved to a file. */
async function savedDiagnosis(dir: string): Promise<{ file: string; report: DiagnosisReport; tokens: string[] }> {
  const sb = await startScenario('token-missing');
  demos.push(sb);
  const r = await runCli({ env: { ...sb.env, NO_COLOR: '1' }, cwd: sb.cwd, timeoutMs: 40_000 }, ['diagnose', '--json']);
  const file = join(dir, 'ticket.diagnosis.json');
  writeFileSync(file, r.stdout);
  return { file, report: JSON.parse(r.stdout) as DiagnosisReport, tokens: sb.tokens };
}

const TOOLS = ['openclaw', 'docker', 'ss', 'lsof', 'kill', 'nohup', 'systemctl', 'launchctl', 'xdg-open', 'openssl', 'ps'];

describe('fix --dry-run --from FILE', () => {
  it('prints the saved diagnosis’s steps in order with their commands; runs nothing, writes nothing', { timeout: 60_000 }, async () => {
    const sb = await e2eSandbox({ openclaw: false, docker: 'none' });
    const ran = join(sb.root, 'ran.log');
    for (const tool of TOOLS) await stub(sb, tool, `echo "${tool} $*" >> '${ran}'\nexit 1`);
    const saved = await savedDiagnosis(sb.cwd);
    const before = filesUnder(sb.root);

    const r = await runCli(sb, ['fix', '--dry-run', '--from', saved.file]);

    expect(existsSync(ran), existsSync(ran) ? readFileSync(ran, 'utf8') : '').toBe(false);
    expect(filesUnder(sb.root)).toEqual(before);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain(`Saved diagnosis ${saved.file}`);
    expect(r.stdout).toContain('nothing on this machine was read, run or changed');
    // Every step the saved findings name, with the very plan they carry; findings without a step as advice.
    expect(saved.report.findings.map((f) => [f.id, f.step ?? null])).toEqual([
      ['no-token-configured', 'generateToken'],
      ['client-token-missing', null],
    ]);
    const plan = r.stdout.slice(r.stdout.indexOf('Plan (dry run)'));
    expect(plan).toContain('1. Generate a gateway token and save it in the config [no-token-configured]\n');
    expect(plan).not.toContain('2. ');
    for (const c of saved.report.findings[0]!.fix) expect(plan).toContain(`   $ ${c}\n`);
    expect(plan).toContain('By hand (no automatic step):\n• A client tried to connect without a token (gateway token missing)\n   $ openclaw-token-wizard open\n');
    expectNoLeak(r, saved.tokens);
    // The stubs do catch a run: a live diagnose in the same sandbox calls some of them.
    await runCli(sb, ['diagnose']);
    expect(existsSync(ran)).toBe(true);
  });

  it('refuses without --dry-run, and with options that read or change this machine (exit 2, nothing run)', { timeout: 60_000 }, async () => {
    const sb = await e2eSandbox({ openclaw: false, docker: 'none' });
    const ran = join(sb.root, 'ran.log');
    for (const tool of TOOLS) await stub(sb, tool, `echo "${tool} $*" >> '${ran}'\nexit 1`);
    const saved = await savedDiagnosis(sb.cwd);
    const cases: Array<[string[], string]> = [
      [['fix', '--from', saved.file], 'add --dry-run'],
      [['fix', '--dry-run', '--from', saved.file, '--port', '1234'], 'cannot be combined with --port'],
      [['fix', '--dry-run', '--from', saved.file, '--yes'], 'cannot be combined with --yes'],
      [['fix', '--dry-run', '--from', saved.file, '--json'], 'diagnose --from FILE --json'],
      [['setup', '--dry-run', '--from', saved.file], '--from does not apply to setup'],
    ];
    for (const [args, message] of cases) {
      const r = await runCli(sb, args);
      expect(r.exitCode, args.join(' ')).toBe(2);
      expect(r.stderr).toContain(message);
    }
    expect(existsSync(ran)).toBe(false);
  });
});
