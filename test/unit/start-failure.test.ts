/**
 * A gateway the wizard started is watched while the wizard waits for it: its fatal line (or an
 * exit with a failure code) ends the wait. Only the output written after it started counts: the
 * file also holds the output of earlier starts.
 */
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFailure, type StartedGateway } from '../../src/actions/gateway.js';
import { lastFatalLine } from '../../src/facts/fatal-line.js';

const FATAL = 'Gateway failed to start: Invalid config: gateway auth password is blank, a published example placeholder, or the literal string undefined/null.';
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function output(earlier: string): { file: string; from: number } {
  const dir = mkdtempSync(join(tmpdir(), 'otw-start-failure-'));
  dirs.push(dir);
  const file = join(dir, 'openclaw-token-wizard-gateway.log');
  writeFileSync(file, earlier);
  return { file, from: Buffer.byteLength(earlier) };
}

const started = (o: { file: string; from: number }, exit: ReturnType<StartedGateway['exited']> = null): StartedGateway => ({ outputFile: o.file, outputFrom: o.from, exited: () => exit });

describe('startFailure', () => {
  it('a fatal line written after the start: refused, named without escape sequences or the console time', async () => {
    const o = output('');
    appendFileSync(o.file, `\x1b[90m2026-11-30T12:00:00.000+00:00\x1b[39m [gateway] loading configuration…\n2026-11-30T12:00:01.281+00:00 ${FATAL}\n`);
    expect(await startFailure(started(o))).toEqual({ short: 'the gateway refused to start', full: `the gateway refused to start: ${FATAL}` });
  });

  it("an earlier start's fatal line does not count; nothing yet is no answer (it may still be starting)", async () => {
    const o = output(`2026-11-29T08:00:00.000+00:00 ${FATAL}\n`);
    appendFileSync(o.file, '2026-11-30T12:00:00.000+00:00 [gateway] loading configuration…\n');
    expect(await startFailure(started(o))).toBeNull();
  });

  it('an exit with a failure code and no fatal line names the code and the output file; an exit 0 is not a failure', async () => {
    const o = output('');
    expect(await startFailure(started(o, { code: 1, signal: null }))).toEqual({
      short: 'the gateway exited (code 1)',
      full: `the gateway exited (code 1) before it accepted connections; its output: ${o.file}`,
    });
    expect((await startFailure(started(o, { code: null, signal: 'SIGKILL' })))?.short).toBe('the gateway exited (signal SIGKILL)');
    expect(await startFailure(started(o, { code: 0, signal: null }))).toBeNull();
  });

  it('a missing output file is no answer, not an error', async () => {
    expect(await startFailure(started({ file: join(tmpdir(), 'otw-no-such-dir', 'out.log'), from: 0 }))).toBeNull();
  });
});

describe('lastFatalLine', () => {
  it('the last fatal line wins; other lines are not fatal', () => {
    expect(lastFatalLine(['Gateway start blocked: set gateway.mode=local', 'listening on ws://127.0.0.1:1', `2026-11-30T12:00:01Z ${FATAL}`, 'Automatic triage is preparing'])).toBe(FATAL);
    expect(lastFatalLine(['listening on ws://127.0.0.1:1', 'ready'])).toBeNull();
    // Only OpenClaw's own fatal lines, for a gateway still starting: a line that merely mentions one is not.
    expect(lastFatalLine(['[plugins] Invalid config at plugins.x: ignored'], 'openclaw')).toBeNull();
    expect(lastFatalLine(['[plugins] Invalid config at plugins.x: ignored'])).toBe('[plugins] Invalid config at plugins.x: ignored');
    expect(lastFatalLine([`\x1b[31m2026-11-30T12:00:01.281+00:00 ${FATAL}\x1b[39m`], 'openclaw')).toBe(FATAL);
  });
});
