import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_DOTENV_BYTES, parseDotenvText, readDotenvFile } from '../../src/facts/dotenv.js';
import { fakeToken, makeSandbox, type Sandbox } from '../support/sandbox.js';

const FIX = join(import.meta.dirname, '../fixtures/dotenv');
const parseFixture = async (name: string, id = 'dotenv:cwd') => parseDotenvText(await readFile(join(FIX, name), 'utf8'), join(FIX, name), id, `fixtures/${name}`);
const isRoot = process.getuid?.() === 0;

describe('parseDotenvText', () => {
  it('reads a quoted token cleanly, with its line and label', async () => {
    const r = await parseFixture('quoted.env');
    expect(r.sources).toHaveLength(1);
    const s = r.sources[0];
    expect(s).toMatchObject({
      id: 'dotenv:cwd',
      kind: 'dotenv',
      variable: 'OPENCLAW_GATEWAY_TOKEN',
      credential: 'token',
      line: 1,
      label: 'fixtures/quoted.env line 1 (OPENCLAW_GATEWAY_TOKEN)',
      problems: [],
    });
    expect(s?.value?.reveal()).toBe('test-token-quoted-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx');
  });

  it('flags quotes that survive dotenv (nested pair)', async () => {
    const r = await parseFixture('nested-quotes.env');
    expect(r.sources[0]).toMatchObject({ line: 2, problems: ['quoted'] });
    expect(r.sources[0]?.value?.reveal()).toBe('"test-token-nested"');
  });

  it('flags a stray quote from mismatched quotes', async () => {
    const r = await parseFixture('mismatched-quotes.env');
    expect(r.sources[0]).toMatchObject({ line: 2, problems: ['quoted'] });
    expect(r.sources[0]?.notes?.join(' ')).toMatch(/stray quote/);
  });

  it('flags spaces kept inside quotes; unquoted spaces are trimmed by dotenv and harmless', async () => {
    const r = await parseFixture('whitespace.env');
    const tok = r.sources.find((s) => s.id === 'dotenv:cwd');
    const pw = r.sources.find((s) => s.id === 'dotenv:cwd:password');
    expect(tok).toMatchObject({ line: 3, problems: ['whitespace'] });
    expect(pw).toMatchObject({ line: 4, credential: 'password', variable: 'OPENCLAW_GATEWAY_PASSWORD', problems: [] });
    expect(pw?.value?.reveal()).toBe('test-password-unquoted-spaces');
  });

  it('lists legacy CLAWDBOT_*/MOLTBOT_* names without making them sources', async () => {
    const r = await parseFixture('legacy.env', 'dotenv:state');
    expect(r.legacyNames).toEqual(['CLAWDBOT_GATEWAY_TOKEN', 'MOLTBOT_GATEWAY_PASSWORD']);
    expect(r.sources.map((s) => s.id)).toEqual(['dotenv:state:password']);
    expect(r.sources[0]).toMatchObject({ line: 3 });
  });

  it('uses the last assignment, counts lines across multi-line values, and notes a # cut', async () => {
    const r = await parseFixture('repeated.env');
    const s = r.sources[0];
    expect(s?.value?.reveal()).toBe('test-token-third');
    expect(s?.line).toBe(6);
    expect(s?.notes?.join(' | ')).toMatch(/assigned 3 times \(lines 1, 3, 6\)/);
    expect(s?.notes?.join(' | ')).toMatch(/ends at "#"/);
  });

  it('handles CRLF line endings', () => {
    const r = parseDotenvText(`A=1\r\nOPENCLAW_GATEWAY_TOKEN=${fakeToken('crlf')}\r\n`, '/x/.env', 'dotenv:cwd', '/x/.env');
    expect(r.sources[0]).toMatchObject({ line: 2, problems: [] });
    expect(r.sources[0]?.value?.reveal()).toBe(fakeToken('crlf'));
  });

  it('an ordinary comment after a space is not a cut', () => {
    const r = parseDotenvText(`OPENCLAW_GATEWAY_TOKEN=${fakeToken('c')} # set by setup.sh\n`, '/x', 'd', '/x');
    expect(r.sources[0]?.notes).toBeUndefined();
  });

  it('reports an empty assignment and placeholder values', () => {
    expect(parseDotenvText('OPENCLAW_GATEWAY_TOKEN=\n', '/x', 'd', '/x').sources[0]?.problems).toEqual(['empty']);
    expect(parseDotenvText('OPENCLAW_GATEWAY_TOKEN=change-me-now\n', '/x', 'd', '/x').sources[0]?.problems).toEqual(['placeholder']);
  });

  it('never exposes the raw token', async () => {
    const r = await parseFixture('quoted.env');
    const raw = 'test-token-quoted-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx';
    expect(JSON.stringify(r)).not.toContain(raw);
    expect(inspect(r, { depth: 10 })).not.toContain(raw);
  });
});

describe('readDotenvFile', () => {
  let sb: Sandbox;
  let envPath: string;
  beforeEach(async () => {
    sb = await makeSandbox();
    envPath = join(sb.stateDir, '.env');
  });
  afterEach(async () => {
    await sb.cleanup();
  });

  it('a missing file is exists:false, no error', async () => {
    expect(await readDotenvFile(envPath, 'dotenv:state')).toEqual({ path: envPath, exists: false, error: null, sources: [], legacyNames: [] });
  });

  it('reads a file and shortens the home to ~ in labels', async () => {
    await writeFile(envPath, `OPENCLAW_GATEWAY_TOKEN=${fakeToken('state')}\n`);
    const d = await readDotenvFile(envPath, 'dotenv:state', { home: sb.home });
    expect(d).toMatchObject({ exists: true, error: null });
    expect(d.sources[0]?.label).toBe('~/.openclaw/.env line 1 (OPENCLAW_GATEWAY_TOKEN)');
    expect(d.sources[0]?.file).toBe(envPath);
  });

  it('notes that OpenClaw ignores OPENCLAW_* in a working-directory .env', async () => {
    const p = join(sb.cwd, '.env');
    await writeFile(p, `OPENCLAW_GATEWAY_TOKEN=${fakeToken('cwd')}\n`);
    const d = await readDotenvFile(p, 'dotenv:cwd', { workspace: true });
    expect(d.sources[0]?.notes?.join(' ')).toMatch(/ignores OPENCLAW_\*/);
  });

  it('a binary file is an error', async () => {
    await writeFile(envPath, Buffer.from([0x4f, 0x3d, 0x31, 0x0a, 0x00, 0xff, 0xfe]));
    const d = await readDotenvFile(envPath, 'dotenv:state');
    expect(d).toMatchObject({ exists: true, sources: [] });
    expect(d.error).toMatch(/binary/);
  });

  it('a file over 1 MiB is an error on a file that exists', async () => {
    await writeFile(envPath, `OPENCLAW_GATEWAY_TOKEN=${fakeToken('big')}\n# ${'x'.repeat(MAX_DOTENV_BYTES)}\n`);
    const d = await readDotenvFile(envPath, 'dotenv:state');
    expect(d.error).toMatch(/limit/);
    expect(d).toMatchObject({ exists: true, sources: [] });
  });

  it('a file of only legacy names, or of only other names, is read for what it holds', async () => {
    await writeFile(envPath, `${'OTHER=1\n'.repeat(3)}MOLTBOT_X=1\n`);
    expect(await readDotenvFile(envPath, 'dotenv:state')).toMatchObject({ sources: [], legacyNames: ['MOLTBOT_X'] });
    await writeFile(envPath, 'OTHER=1\nOPENCLAW_GATEWAY=not-a-credential-name\n');
    expect(await readDotenvFile(envPath, 'dotenv:state')).toMatchObject({ exists: true, error: null, sources: [], legacyNames: [] });
  });

  it('a directory is an error', async () => {
    await mkdir(envPath);
    expect((await readDotenvFile(envPath, 'dotenv:state')).error).toMatch(/directory/);
  });

  it.skipIf(isRoot)('an unreadable file (chmod 000) is an error (skipped as root: root reads any file)', async () => {
    await writeFile(envPath, 'A=1\n');
    await chmod(envPath, 0o000);
    expect((await readDotenvFile(envPath, 'dotenv:state')).error).toMatch(/permission denied/);
  });
});

describe('readDotenvFile: labels, notes and refusals, exactly', () => {
  let sb: Sandbox;
  let envPath: string;
  beforeEach(async () => {
    sb = await makeSandbox('otw-dotenv-exact-');
    envPath = join(sb.stateDir, '.env');
  });
  afterEach(async () => {
    await sb.cleanup();
  });

  it('with home null, labels show the full path (nothing is shortened to ~)', async () => {
    await writeFile(envPath, `OPENCLAW_GATEWAY_TOKEN=${fakeToken('state')}\n`);
    expect((await readDotenvFile(envPath, 'dotenv:state', { home: null })).sources[0]?.label).toBe(`${envPath} line 1 (OPENCLAW_GATEWAY_TOKEN)`);
  });

  it('adds exactly the notes given (none: no notes at all)', async () => {
    await writeFile(envPath, `OPENCLAW_GATEWAY_TOKEN=${fakeToken('state')}\n`);
    expect((await readDotenvFile(envPath, 'dotenv:state')).sources[0]?.notes).toBeUndefined();
    expect((await readDotenvFile(envPath, 'dotenv:state', { notes: ['from the service unit'] })).sources[0]?.notes).toEqual(['from the service unit']);
  });

  it('a file over 1 MiB names its size and the limit', async () => {
    const text = `OPENCLAW_GATEWAY_TOKEN=x\n# ${'x'.repeat(MAX_DOTENV_BYTES)}\n`;
    await writeFile(envPath, text);
    expect((await readDotenvFile(envPath, 'dotenv:state')).error).toBe(`is ${Buffer.byteLength(text)} bytes, over the 1048576-byte limit OpenClaw reads`);
  });

  it('a directory is named as one, not as unreadable', async () => {
    await mkdir(envPath);
    expect((await readDotenvFile(envPath, 'dotenv:state')).error).toBe('is a directory');
  });
});

describe('stray quotes', () => {
  it('a quote at either end of the value (after trimming) is flagged; one inside it is not', () => {
    const problems = (value: string) => parseDotenvText(`OPENCLAW_GATEWAY_TOKEN=${value}\n`, '/x/.env', 'dotenv:cwd', '.env').sources[0]?.problems;
    expect(problems(`"  'abc123xyz"`)).toEqual(['whitespace', 'quoted']);
    expect(problems(`abc123xyz'`)).toEqual(['quoted']);
    expect(problems(`ab'c123xyz`)).toEqual([]);
  });
});
