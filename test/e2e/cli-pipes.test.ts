/**
 * A closed pipe ends any command quietly: `graph | head -1` and friends exit 0 with nothing on
 * stderr (before, an EPIPE stack trace). The reader here is `true`, which exits before the wizard
 * has written anything, so every write meets a closed pipe.
 */
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, cleanupAll, e2eSandbox } from '../support/e2e.js';
import { shellQuote as q } from '../../src/text/shell-quote.js';

afterEach(cleanupAll);

describe('stdout closed by the reader', () => {
  it.each([['graph'], ['--help'], ['completion', 'bash'], ['diagnose', '--timeout', '300']])('%s | true: exit 0, nothing on stderr', async (...args) => {
    const sb = await e2eSandbox();
    const r = await execa('/bin/bash', ['-c', `${q(process.execPath)} ${q(BIN)} ${args.map(q).join(' ')} 2>${q(sb.root)}/err | true; echo "\${PIPESTATUS[0]}"; cat ${q(sb.root)}/err`], {
      env: { ...sb.env, PATH: `${sb.path}:/usr/bin:/bin` },
      extendEnv: false,
      cwd: sb.cwd,
    });
    expect(String(r.stdout)).toBe('0');
  });

  it('graph | head -1 prints the first line and ends quietly', async () => {
    const sb = await e2eSandbox();
    const r = await execa('/bin/bash', ['-c', `set -o pipefail; '${process.execPath}' '${BIN}' graph | head -1`], {
      env: { ...sb.env, PATH: `${sb.path}:/usr/bin:/bin` },
      extendEnv: false,
      cwd: sb.cwd,
      reject: false,
    });
    expect(r.exitCode).toBe(0);
    expect(String(r.stdout)).toBe('## recovery');
    expect(String(r.stderr)).toBe('');
  });
});
