import { chmod, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { keyLines, MAX_CONFIG_BYTES, MAX_CONFIG_DEPTH, parseConfigText, readConfig, substituteEnvVars } from '../../src/facts/config.js';
import type { ConfigFacts } from '../../src/facts/types.js';
import { fakeToken, makeSandbox, type Sandbox } from '../support/sandbox.js';

const FIX = join(import.meta.dirname, '../fixtures/config');
const fixture = (name: string) => readFile(join(FIX, name), 'utf8');
const parseFixture = async (name: string, env: NodeJS.ProcessEnv = {}) => parseConfigText(await fixture(name), env, join(FIX, name));
const source = (c: ConfigFacts, id: string) => c.sources.find((s) => s.id === id);
const isRoot = process.getuid?.() === 0;

describe('parseConfigText', () => {
  it('reads JSON5 with comments and trailing commas', async () => {
    const c = await parseFixture('json5-comments.json5');
    expect(c.error).toBeNull();
    expect(c.exists).toBe(true);
    expect(c.isPlainJson).toBe(false);
    expect(c.gateway).toMatchObject({
      mode: 'local',
      bind: 'loopback',
      port: 18789,
      authMode: 'token',
      hasToken: true,
      basePath: '/ui',
      allowedOrigins: ['http://127.0.0.1:18789', 'http://localhost:18789'],
      misplacedAgentsGateway: false,
    });
    expect(c.logFile).toBe('/var/tmp/openclaw-test/gateway.log');
    const tok = source(c, 'config');
    expect(tok).toMatchObject({ kind: 'config', variable: 'gateway.auth.token', credential: 'token', line: 11, problems: [] });
    expect(tok?.value?.reveal()).toBe('test-token-json5-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx');
    expect(tok?.label).toMatch(/json5-comments\.json5 line 11 \(gateway\.auth\.token\)$/);
  });

  it('reports malformed JSON5 with line and column', async () => {
    const c = await parseFixture('malformed.json5');
    expect(c.exists).toBe(true);
    expect(c.error).toMatchObject({ line: 4, column: 44 });
    expect(c.error?.message).toMatch(/invalid character ','/);
    expect(c.sources).toEqual([]);
  });

  it('reports an empty file and a non-object top level', () => {
    expect(parseConfigText('  \n', {}, '/x').error?.message).toMatch(/empty/);
    expect(parseConfigText('[1,2]', {}, '/x').error?.message).toMatch(/an array/);
    expect(parseConfigText('null', {}, '/x').error?.message).toMatch(/null/);
  });

  it('flags plain JSON as editable and strips a BOM', () => {
    const c = parseConfigText('\ufeff{"gateway":{"mode":"local"}}', {}, '/x/openclaw.json');
    expect(c.error).toBeNull();
    expect(c.isPlainJson).toBe(true);
    expect(c.gateway.mode).toBe('local');
  });

  it('records a SecretRef without resolving it', async () => {
    const c = await parseFixture('secret-ref.json5');
    expect(c.gateway.tokenSecretRef).toEqual({ source: 'exec', provider: 'vault', id: 'gateway/token' });
    expect(c.gateway.hasToken).toBe(true);
    const tok = source(c, 'config');
    expect(tok).toMatchObject({ value: null, problems: ['secret-ref'] });
    expect(tok?.notes?.join(' ')).toMatch(/source=exec provider=vault id=gateway\/token/);
    const pw = source(c, 'config:password');
    expect(pw).toMatchObject({ credential: 'password', variable: 'gateway.auth.password', value: null, problems: ['secret-ref'] });
  });

  it('reads the $NAME shorthand as an env SecretRef and resolves it from the environment', () => {
    const c = parseConfigText('{gateway:{auth:{token:"$OPENCLAW_GATEWAY_TOKEN"}}}', { OPENCLAW_GATEWAY_TOKEN: fakeToken('x') }, '/x');
    expect(c.gateway.tokenSecretRef).toEqual({ source: 'env', provider: 'default', id: 'OPENCLAW_GATEWAY_TOKEN' });
    expect(source(c, 'config')?.value?.reveal()).toBe(fakeToken('x'));
    expect(source(c, 'config')?.problems).toEqual(['secret-ref']);
    expect(c.secretRefs).toEqual([
      { configPath: 'gateway.auth.token', source: 'env', provider: 'default', id: 'OPENCLAW_GATEWAY_TOKEN', status: 'resolved', reason: null, via: 'OPENCLAW_GATEWAY_TOKEN from the environment' },
    ]);
  });

  it('substitutes ${VAR}, keeps $${VAR} literal, and reports unresolved vars', async () => {
    const t = fakeToken('subst');
    const c = await parseFixture('env-var.json5', { OTW_TEST_GATEWAY_TOKEN: t });
    const tok = source(c, 'config');
    expect(tok?.value?.reveal()).toBe(t);
    expect(tok?.problems).toEqual([]);
    expect(tok?.notes).toEqual(['substituted from ${OTW_TEST_GATEWAY_TOKEN}']);
    const remote = source(c, 'config-remote');
    expect(remote).toMatchObject({ kind: 'config-remote', value: null, problems: ['unresolved-var'] });
    expect(c.unresolvedVars).toEqual(['OTW_TEST_MISSING_VAR']);
    expect(c.gateway.basePath).toBe('/${NOT_A_REF}');
    expect(c.gateway.remoteUrl).toBe('wss://gw.example.test:18789');
  });

  it('treats an empty env var as missing, like OpenClaw', async () => {
    const c = await parseFixture('env-var.json5', { OTW_TEST_GATEWAY_TOKEN: '' });
    expect(source(c, 'config')).toMatchObject({ value: null, problems: ['unresolved-var'] });
    expect(c.unresolvedVars).toEqual(['OTW_TEST_GATEWAY_TOKEN', 'OTW_TEST_MISSING_VAR']);
  });

  it('flags an all-digit number token as not-a-string', async () => {
    const c = await parseFixture('numeric-token.json5');
    const tok = source(c, 'config');
    expect(tok?.problems).toEqual(['not-a-string', 'all-digits']);
    expect(tok?.value?.reveal()).toBe('4426');
    expect(tok?.line).toBe(4);
  });

  it('finds the misplaced agents.gateway block and its token', async () => {
    const c = await parseFixture('misplaced.json5');
    expect(c.gateway.misplacedAgentsGateway).toBe(true);
    expect(c.gateway.misplacedHasToken).toBe(true);
    expect(c.gateway.hasToken).toBe(false);
    expect(source(c, 'config')).toBeUndefined();
    const mis = source(c, 'config:misplaced');
    expect(mis).toMatchObject({ kind: 'config', variable: 'agents.gateway.auth.token', line: 6 });
    expect(mis?.notes?.join(' ')).toMatch(/top-level gateway\.auth\.token/);
  });

  it('flags the redaction sentinel', async () => {
    const c = await parseFixture('redaction-sentinel.json');
    expect(c.isPlainJson).toBe(true);
    expect(source(c, 'config')).toMatchObject({ problems: ['redaction-sentinel'], line: 6 });
  });

  it('reads remote mode', async () => {
    const c = await parseFixture('remote-mode.json5');
    expect(c.gateway).toMatchObject({ mode: 'remote', remoteUrl: 'wss://gateway.example.test', hasRemoteToken: true, hasToken: false });
    expect(source(c, 'config-remote')).toMatchObject({ kind: 'config-remote', variable: 'gateway.remote.token', line: 6, problems: [] });
  });

  it('reads both shapes of the env block', async () => {
    const c = await parseFixture('env-block.json5');
    expect(c.envBlockNames).toEqual(['OPENCLAW_GATEWAY_PASSWORD', 'OPENCLAW_GATEWAY_TOKEN', 'OTHER_VAR', 'SOME_PROVIDER_KEY']);
    expect(source(c, 'config-env')).toMatchObject({ kind: 'config-env', variable: 'OPENCLAW_GATEWAY_TOKEN', credential: 'token', line: 3 });
    expect(source(c, 'config-env:password')).toMatchObject({ kind: 'config-env', credential: 'password', line: 6 });
  });

  it('a direct env entry wins over env.vars, as in OpenClaw', () => {
    const c = parseConfigText(`{env:{vars:{OPENCLAW_GATEWAY_TOKEN:"${fakeToken('vars')}"}, OPENCLAW_GATEWAY_TOKEN:"${fakeToken('direct')}"}}`, {}, '/x');
    expect(source(c, 'config-env')?.value?.reveal()).toBe(fakeToken('direct'));
  });

  it('reads bind, tls, custom host, password mode and a ~ log file', async () => {
    const c = await parseFixture('full.json');
    expect(c.gateway).toMatchObject({
      bind: 'custom',
      customBindHost: '192.0.2.10',
      port: 19555,
      tlsEnabled: true,
      authMode: 'password',
      hasPassword: true,
      hasToken: false,
      allowedOrigins: ['https://gw.example.test'],
    });
    expect(source(c, 'config:password')).toMatchObject({ credential: 'password', problems: [] });
    expect(c.logFile).toBe('~/logs/openclaw.log');
  });

  it('runs token hygiene on string tokens', () => {
    const c = parseConfigText(`{gateway:{auth:{token:" ${fakeToken('ws')} "}}}`, {}, '/x');
    expect(source(c, 'config')?.problems).toEqual(['whitespace']);
    expect(source(parseConfigText('{gateway:{auth:{token:""}}}', {}, '/x'), 'config')?.problems).toEqual(['empty']);
    expect(source(parseConfigText('{gateway:{auth:{token:null}}}', {}, '/x'), 'config')?.problems).toEqual(['not-a-string', 'literal-null']);
    expect(source(parseConfigText('{gateway:{auth:{token:["a"]}}}', {}, '/x'), 'config')?.problems).toEqual(['not-a-string']);
  });

  it('labels use ~ for the home directory', () => {
    const c = parseConfigText('{gateway:{auth:{token:"abcd-efgh-ijkl"}}}', { HOME: '/home/ana' }, '/home/ana/.openclaw/openclaw.json');
    expect(source(c, 'config')?.label).toBe('~/.openclaw/openclaw.json line 1 (gateway.auth.token)');
  });

  it('never exposes a raw token through JSON, inspect or labels', async () => {
    const c = await parseFixture('json5-comments.json5');
    const raw = 'test-token-json5-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx';
    expect(JSON.stringify(c)).not.toContain(raw);
    expect(inspect(c, { depth: 10 })).not.toContain(raw);
    expect(JSON.stringify(c)).toContain('sha256:');
  });
});

describe('keyLines', () => {
  it('tracks nested keys, quoted keys, comments, strings with braces and duplicates', () => {
    const text = [
      '{', // 1
      '  // gateway: { not a key }', // 2
      '  "gateway": {', // 3
      "    note: 'a { b: c }',", // 4
      '    /* auth: {} */ auth: {', // 5
      '      token: "x",', // 6
      '    },', // 7
      '    list: [{ token: 1 }],', // 8
      '  },', // 9
      '  gateway: { auth: { token: "y" } },', // 10
      '}',
    ].join('\n');
    const lines = keyLines(text);
    expect(lines.get('gateway.auth.token')).toBe(10);
    expect(lines.get('gateway.note')).toBe(4);
    expect(lines.get('gateway.list.[].token')).toBe(8);
    expect(lines.has('gateway.note.b')).toBe(false);
  });
});

describe('substituteEnvVars', () => {
  it('only substitutes uppercase names', () => {
    expect(substituteEnvVars('${lower}-${UP}', { lower: 'no', UP: 'yes' }).value).toBe('${lower}-yes');
    expect(substituteEnvVars('a$b${', {}).value).toBe('a$b${');
    expect(substituteEnvVars('$${A}${A}', { A: '1' })).toEqual({ value: '${A}1', missing: [], used: ['A'] });
  });
});

describe('readConfig', () => {
  let sb: Sandbox;
  beforeEach(async () => {
    sb = await makeSandbox();
  });
  afterEach(async () => {
    await sb.cleanup();
  });

  it('a missing file is exists:false with no error', async () => {
    const c = await readConfig(sb.configPath, sb.env);
    expect(c).toMatchObject({ exists: false, error: null, sources: [] });
  });

  it('reads and parses a real file', async () => {
    await writeFile(sb.configPath, `{gateway:{mode:"local",auth:{token:"${fakeToken('file')}"}}}`);
    const c = await readConfig(sb.configPath, sb.env);
    expect(c.error).toBeNull();
    expect(c.sources[0]?.value?.reveal()).toBe(fakeToken('file'));
    expect(c.sources[0]?.label).toBe('~/.openclaw/openclaw.json line 1 (gateway.auth.token)');
  });

  it('a directory in place of the file is an error', async () => {
    await mkdir(sb.configPath);
    const c = await readConfig(sb.configPath, sb.env);
    expect(c.exists).toBe(true);
    expect(c.error?.message).toMatch(/is a directory/);
  });

  it('a file over 5 MB is an error', async () => {
    await writeFile(sb.configPath, `{a:"${'x'.repeat(MAX_CONFIG_BYTES)}"}`);
    const c = await readConfig(sb.configPath, sb.env);
    expect(c.error?.message).toMatch(/limit/);
  });

  it('a binary file is an error with the line of the NUL byte', async () => {
    await writeFile(sb.configPath, Buffer.from('{\n  a: 1,\n\u0000\u0001\u0002}'));
    const c = await readConfig(sb.configPath, sb.env);
    expect(c.error).toMatchObject({ line: 3 });
    expect(c.error?.message).toMatch(/binary/);
  });

  it('a symlink loop is an error, not a throw (works as root)', async () => {
    await symlink(sb.configPath, sb.configPath);
    const c = await readConfig(sb.configPath, sb.env);
    expect(c.error?.message).toMatch(/symbolic links/);
  });

  it('a path below a file is an error', async () => {
    await writeFile(join(sb.stateDir, 'file'), 'x');
    const c = await readConfig(join(sb.stateDir, 'file', 'openclaw.json'), sb.env);
    expect(c.error?.message).toMatch(/not a directory/);
  });

  // root reads files whatever their mode, so chmod 000 cannot make a file unreadable there.
  it.skipIf(isRoot)('an unreadable file (chmod 000) is an error (skipped as root: root reads any file)', async () => {
    await writeFile(sb.configPath, '{}');
    await chmod(sb.configPath, 0o000);
    const c = await readConfig(sb.configPath, sb.env);
    expect(c.error?.message).toMatch(/permission denied/);
  });
});

describe('D1: a deeply nested config is read, never a crash', () => {
  const deepObject = (levels: number, leaf: string) => `{"a":${'{"a":'.repeat(levels)}${leaf}${'}'.repeat(levels)}, gateway: {auth: {token: "\${OTW_D1_TOKEN}"}}}`;

  it('5000 levels of objects: substitution still works and the token is found', () => {
    const c = parseConfigText(deepObject(5000, '"${OTW_D1_DEEP}"'), { OTW_D1_TOKEN: fakeToken('d1') }, '/x/openclaw.json');
    expect(c.error).toBeNull();
    expect(source(c, 'config')?.value?.reveal()).toBe(fakeToken('d1'));
    // A reference far below the tracked depth is still reported, by name.
    expect(c.unresolvedVars).toEqual(['OTW_D1_DEEP']);
  });

  it('5000 levels of arrays under the gateway block', () => {
    const text = `{gateway: {auth: {token: "t-${'x'.repeat(40)}"}, extra: ${'['.repeat(5000)}1${']'.repeat(5000)}}}`;
    const c = parseConfigText(text, {}, '/x/openclaw.json');
    expect(c.error).toBeNull();
    expect(source(c, 'config')?.value).not.toBeNull();
  });

  it('nesting beyond the limit is a clear error on the file', () => {
    const c = parseConfigText(deepObject(MAX_CONFIG_DEPTH + 10, '1'), {}, '/x/openclaw.json');
    expect(c.error?.message).toMatch(/nested more than \d+ levels deep/);
    expect(c.sources).toEqual([]);
  });

  it('a deep, unterminated config is a JSON5 parse error with a position', () => {
    const c = parseConfigText(`{a:${'{a:'.repeat(5000)}1`, {}, '/x/openclaw.json');
    expect(c.error?.message).toMatch(/not valid JSON5/);
    expect(c.error?.line).toBe(1);
  });

  it('through readConfig too', async () => {
    const sb = await makeSandbox();
    try {
      await writeFile(sb.configPath, deepObject(5000, '1'));
      const c = await readConfig(sb.configPath, { ...sb.env, OTW_D1_TOKEN: fakeToken('d1') });
      expect(c.error).toBeNull();
      expect(source(c, 'config')?.value?.reveal()).toBe(fakeToken('d1'));
    } finally {
      await sb.cleanup();
    }
  });

  it('keyLines stays linear on deep input and still labels shallow keys', () => {
    const lines = keyLines(`{\n gateway: {auth: {token: "x"}},\n deep: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n}`);
    expect(lines.get('gateway.auth.token')).toBe(2);
  });
});

describe('substituteTree', () => {
  it('keeps a `__proto__` key as data (no prototype change) and the key order', async () => {
    const { substituteTree } = await import('../../src/facts/env-substitution.js');
    const JSON5 = (await import('json5')).default;
    const parsed = JSON5.parse('{b: "${X}", "__proto__": {polluted: "${X}"}, a: ["${X}", 1]}');
    const r = substituteTree(parsed, { X: 'v' });
    const out = r.value as Record<string, unknown>;
    expect(Object.keys(out)).toEqual(['b', '__proto__', 'a']);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect((out as { polluted?: unknown }).polluted).toBeUndefined();
    expect(Object.getOwnPropertyDescriptor(out, '__proto__')?.value).toEqual({ polluted: 'v' });
    expect(out.a).toEqual(['v', 1]);
    expect([...r.used.keys()].sort()).toEqual(['__proto__.polluted', 'a[0]', 'b']);
  });
});
