import { chmod, lstat, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'dotenv';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setEnvLine } from '../../src/actions/env-line-edit.js';
import { makeSandbox, type Sandbox } from '../support/sandbox.js';

const NAME = 'OPENCLAW_GATEWAY_TOKEN';
let sb: Sandbox;
let env: string;
beforeEach(async () => {
  sb = await makeSandbox('otw-envline-');
  env = join(sb.cwd, '.env');
});
afterEach(async () => {
  await sb.cleanup();
});

describe('D12 .env edits', () => {
  it('D12: a token containing # is quoted so dotenv reads all of it; only that line changes', async () => {
    await writeFile(env, `# compose settings\nFOO=bar\nexport ${NAME}=old-token\nBAZ="q"\n`);
    await chmod(env, 0o644);
    const token = 'abc#def ghi';
    const r = await setEnvLine(env, 3, NAME, token, { stateDir: sb.stateDir });
    expect(r).toMatchObject({ ok: true, line: 3 });
    expect(await readFile(env, 'utf8')).toBe(`# compose settings\nFOO=bar\nexport ${NAME}='abc#def ghi'\nBAZ="q"\n`);
    expect(parse(await readFile(env, 'utf8'))[NAME]).toBe(token);
    expect((await lstat(env)).mode & 0o777).toBe(0o644);
    if (r.ok) {
      expect((await lstat(r.backup)).mode & 0o777).toBe(0o600);
      expect(r.backup.startsWith(join(sb.stateDir, 'otw-backups'))).toBe(true);
    }
  });

  it('D12: picks the quote style dotenv reads back exactly (quotes, newlines, CRLF files)', async () => {
    await writeFile(env, `${NAME}=x\r\nOTHER=1\r\n`);
    expect((await setEnvLine(env, 1, NAME, `it's "x"`, { stateDir: sb.stateDir })).ok).toBe(true);
    expect(await readFile(env, 'utf8')).toBe(`${NAME}=\`it's "x"\`\r\nOTHER=1\r\n`);
    expect(parse(await readFile(env, 'utf8'))[NAME]).toBe(`it's "x"`);
    expect((await setEnvLine(env, 1, NAME, 'p$HOME', { stateDir: sb.stateDir })).ok).toBe(true);
    expect(await readFile(env, 'utf8')).toBe(`${NAME}='p$HOME'\r\nOTHER=1\r\n`);
    expect((await setEnvLine(env, 1, NAME, 'a\nb', { stateDir: sb.stateDir })).ok).toBe(true);
    expect(await readFile(env, 'utf8')).toBe(`${NAME}="a\\nb"\r\nOTHER=1\r\n`);
  });

  it('D12: refuses (writing nothing) when the line changed, a later line wins, or no quoting reads back', async () => {
    const text = `${NAME}=a\nOTHER=${NAME}\n${NAME}="multi\nline"\n`;
    await writeFile(env, text);
    expect(await setEnvLine(env, 2, NAME, 'x', { stateDir: sb.stateDir })).toMatchObject({ ok: false, message: expect.stringMatching(/line 2 no longer sets/) });
    expect(await setEnvLine(env, 1, NAME, 'x', { stateDir: sb.stateDir })).toMatchObject({ ok: false, message: expect.stringMatching(/sets OPENCLAW_GATEWAY_TOKEN again after line 1/) });
    expect(await setEnvLine(env, 3, NAME, 'x', { stateDir: sb.stateDir })).toMatchObject({ ok: false, message: expect.stringMatching(/spans several lines/) });
    await writeFile(env, `${NAME}=a\n`);
    expect(await setEnvLine(env, 1, NAME, `'"\`\\n\n`, { stateDir: sb.stateDir })).toMatchObject({ ok: false, message: expect.stringMatching(/reads back exactly/) });
    expect(await readFile(env, 'utf8')).toBe(`${NAME}=a\n`);
  });

  it('D12: null comments the line out with a note; dotenv no longer reads it', async () => {
    await writeFile(env, `A=1\n  ${NAME} = stale\n`);
    const r = await setEnvLine(env, 2, NAME, null, { stateDir: sb.stateDir, note: 'the config token is the one source of truth', now: new Date('2026-10-01T00:00:00Z') });
    expect(r.ok).toBe(true);
    expect(await readFile(env, 'utf8')).toBe(`A=1\n# ${NAME} = stale   # disabled by openclaw-token-wizard 2026-10-01: the config token is the one source of truth\n`);
    expect(parse(await readFile(env, 'utf8'))[NAME]).toBeUndefined();
  });

  it('D12 property: every value written reads back exactly; only values with a quote or newline may be refused', async () => {
    const value = fc.string({ unit: fc.constantFrom(...[...`abc019 #'"\`\\$=\t\n\r-_+/.`]), maxLength: 24 });
    await fc.assert(
      fc.asyncProperty(value, async (v) => {
        await writeFile(env, `BEFORE=1\n${NAME}=old\nAFTER='2'\n`);
        const r = await setEnvLine(env, 2, NAME, v, { stateDir: sb.stateDir });
        const after = parse(await readFile(env, 'utf8'));
        if (r.ok) {
          expect(after).toEqual({ BEFORE: '1', [NAME]: v, AFTER: '2' });
          expect((await readFile(env, 'utf8')).split('\n')).toHaveLength(4);
        } else {
          // Refused: nothing changed, and the value holds what single quotes cannot carry.
          expect(after[NAME]).toBe('old');
          expect(/['\n\r]/.test(v)).toBe(true);
        }
      }),
      { numRuns: 80 },
    );
  });
});

describe('.env edits: which line, which quoting', () => {
  it('writes a plain token bare, the way a person types it', async () => {
    await writeFile(env, `${NAME}=old\n`);
    expect((await setEnvLine(env, 1, NAME, 'tok_en-1.2:3@x/y+z=', { stateDir: sb.stateDir })).ok).toBe(true);
    expect(await readFile(env, 'utf8')).toBe(`${NAME}=tok_en-1.2:3@x/y+z=\n`);
  });

  it('double-quotes a value with a single quote, with \\r and \\n escaped, before trying backticks', async () => {
    await writeFile(env, `${NAME}=old\n`);
    expect((await setEnvLine(env, 1, NAME, "it's", { stateDir: sb.stateDir })).ok).toBe(true);
    expect(await readFile(env, 'utf8')).toBe(`${NAME}="it's"\n`);
    expect((await setEnvLine(env, 1, NAME, "it's\r\nx", { stateDir: sb.stateDir })).ok).toBe(true);
    expect(await readFile(env, 'utf8')).toBe(`${NAME}="it's\\r\\nx"\n`);
    expect(parse(await readFile(env, 'utf8'))[NAME]).toBe("it's\r\nx");
  });

  it('still writes a value holding all three quote characters when one quoting reads back', async () => {
    await writeFile(env, `${NAME}=old\n`);
    const value = 'a\'b"c`d';
    expect((await setEnvLine(env, 1, NAME, value, { stateDir: sb.stateDir })).ok).toBe(true);
    expect(await readFile(env, 'utf8')).toBe(`${NAME}='a'b"c\`d'\n`);
    expect(parse(await readFile(env, 'utf8'))[NAME]).toBe(value);
  });

  it('matches the variable name literally (a dot in the name is not a wildcard)', async () => {
    await writeFile(env, `APP.TOKEN=old\nAPPXTOKEN=other\n`);
    expect((await setEnvLine(env, 1, 'APP.TOKEN', 'new', { stateDir: sb.stateDir })).ok).toBe(true);
    expect(await setEnvLine(env, 2, 'APP.TOKEN', 'new', { stateDir: sb.stateDir })).toMatchObject({ ok: false, message: expect.stringMatching(/line 2 no longer sets APP\.TOKEN/) });
    expect(await readFile(env, 'utf8')).toBe(`APP.TOKEN=new\nAPPXTOKEN=other\n`);
  });

  it('replaces an unquoted value that merely contains a quote (it is not an open multi-line value)', async () => {
    await writeFile(env, `${NAME}=it's\n`);
    expect(await setEnvLine(env, 1, NAME, 'new', { stateDir: sb.stateDir })).toMatchObject({ ok: true, line: 1 });
    expect(await readFile(env, 'utf8')).toBe(`${NAME}=new\n`);
  });

  it('refuses a missing file or a line past its end, writing nothing', async () => {
    expect(await setEnvLine(join(sb.cwd, 'absent.env'), 1, NAME, 'x', { stateDir: sb.stateDir })).toMatchObject({ ok: false, message: expect.stringMatching(/^cannot read .*absent\.env: /) });
    await writeFile(env, `${NAME}=a\n`);
    expect(await setEnvLine(env, 9, NAME, 'x', { stateDir: sb.stateDir })).toMatchObject({ ok: false, message: expect.stringMatching(/line 9 no longer sets/) });
    expect(await readFile(env, 'utf8')).toBe(`${NAME}=a\n`);
  });

  it('comments out without a note, and flattens a note with line breaks onto the one line', async () => {
    const now = new Date('2026-10-01T00:00:00Z');
    await writeFile(env, `${NAME}=a\nB=1\n`);
    expect((await setEnvLine(env, 1, NAME, null, { stateDir: sb.stateDir, now })).ok).toBe(true);
    expect(await readFile(env, 'utf8')).toBe(`# ${NAME}=a   # disabled by openclaw-token-wizard 2026-10-01\nB=1\n`);
    await writeFile(env, `${NAME}=a\n`);
    expect((await setEnvLine(env, 1, NAME, null, { stateDir: sb.stateDir, now, note: 'one\r\n\r\ntwo\nthree' })).ok).toBe(true);
    expect(await readFile(env, 'utf8')).toBe(`# ${NAME}=a   # disabled by openclaw-token-wizard 2026-10-01: one two three\n`);
  });

  it('commenting out the later of two assignments succeeds: the earlier one is in force again', async () => {
    await writeFile(env, `${NAME}=early\nA=1\n${NAME}=stale\n`);
    const r = await setEnvLine(env, 3, NAME, null, { stateDir: sb.stateDir, now: new Date('2026-10-01T00:00:00Z') });
    expect(r).toMatchObject({ ok: true, line: 3 });
    expect(parse(await readFile(env, 'utf8'))).toEqual({ [NAME]: 'early', A: '1' });
  });
});
