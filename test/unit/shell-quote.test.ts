import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { shellCommand, shellQuote } from '../../src/text/shell-quote.js';
import { configSetCommand } from '../../src/actions/openclaw-cli.js';

/** What `sh -c` prints for `printf %s <quoted>`: the exact word the shell received. */
function shellEcho(quoted: string): string {
  return execFileSync('sh', ['-c', `printf %s ${quoted}`], { encoding: 'utf8', env: { PATH: process.env.PATH } });
}

// Characters a shell gives a meaning to, plus plain ones; no NUL (argv cannot carry it).
const hostile = fc.string({
  unit: fc.constantFrom(...[...`'"\`$\\ \n\t!*?[]{}()<>|;&~#=%,:@/-._aZ09é${'\u{1F600}'}`]),
  maxLength: 40,
});

describe('D3 shell quoting', () => {
  it('D3: sh -c gets back the exact string for random values with quotes, $, backticks, newlines', () => {
    // Batched into one sh per run of 40 values: one process per value would dominate the time.
    fc.assert(
      fc.property(fc.array(hostile, { minLength: 1, maxLength: 40 }), (values) => {
        const script = values.map((v) => `printf '%s\\0' ${shellQuote(v)}`).join('\n');
        const out = execFileSync('sh', ['-c', script], { encoding: 'utf8', env: { PATH: process.env.PATH } });
        expect(out.split('\0').slice(0, -1)).toEqual(values);
      }),
      { numRuns: 50 },
    );
  });

  it('D3: the origin from the issue cannot run code when the printed command is pasted', () => {
    const origin = "http://evil'$(touch${IFS}pwned)'";
    const cmd = configSetCommand('gateway.controlUi.allowedOrigins', [origin]);
    expect(cmd).toBe(`openclaw config set gateway.controlUi.allowedOrigins '["http://evil'\\''$(touch\${IFS}pwned)'\\''"]'`);
    // Replace the program by printf: the shell must hand over the JSON as one literal word.
    const args = execFileSync('sh', ['-c', cmd.replace(/^openclaw /, "printf '%s\\n' ")], { encoding: 'utf8' }).split('\n');
    expect(args.slice(0, 4)).toEqual(['config', 'set', 'gateway.controlUi.allowedOrigins', JSON.stringify([origin])]);
  });

  it('leaves plain words bare and quotes the empty string', () => {
    expect(shellCommand(['openclaw', 'config', 'set', 'gateway.mode', 'local'])).toBe('openclaw config set gateway.mode local');
    expect(shellQuote('')).toBe("''");
    expect(shellEcho(shellQuote(''))).toBe('');
    expect(shellQuote('a b')).toBe("'a b'");
  });

  it("configSetCommand keeps the CLI's value rule: plain words bare, everything else JSON", () => {
    expect(configSetCommand('gateway.auth.mode', 'token')).toBe('openclaw config set gateway.auth.mode token');
    expect(configSetCommand('gateway.auth.token', '0123')).toBe(`openclaw config set gateway.auth.token '"0123"'`);
    expect(configSetCommand('gateway.port', 18789)).toBe('openclaw config set gateway.port 18789');
    expect(configSetCommand('x', 'true')).toBe(`openclaw config set x '"true"'`);
  });
});
