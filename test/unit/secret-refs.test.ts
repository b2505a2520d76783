import { chmod, link, mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfigText, readConfig } from '../../src/facts/config.js';
import { coerceSecretRef, resolveSecretRef, secretRefGrammarError } from '../../src/facts/secret-refs.js';
import { fakeToken, makeSandbox, type Sandbox } from '../support/sandbox.js';

let sb: Sandbox;
beforeEach(async () => {
  sb = await makeSandbox();
});
afterEach(async () => {
  await sb.cleanup();
});

const TOKEN = fakeToken('ref');
const cfgWith = (token: unknown, secrets: unknown = undefined) => JSON.stringify({ gateway: { auth: { mode: 'token', token } }, ...(secrets ? { secrets } : {}) });
const parse = (text: string, env: NodeJS.ProcessEnv = sb.env) => parseConfigText(text, env, sb.configPath, { home: sb.home });
const tokenOf = (c: ReturnType<typeof parse>) => c.sources.find((s) => s.id === 'config');

async function secretFile(name: string, content: string, mode = 0o600): Promise<string> {
  const p = join(sb.stateDir, name);
  await writeFile(p, content);
  await chmod(p, mode);
  return p;
}

describe('coerceSecretRef and grammar (src/secrets/ref-contract.ts)', () => {
  it('canonical, provider-less (source default alias) and $NAME forms', () => {
    expect(coerceSecretRef({ source: 'env', provider: 'default', id: 'X' }, {})).toEqual({ source: 'env', provider: 'default', id: 'X' });
    expect(coerceSecretRef({ source: 'file', id: '/a' }, { secrets: { defaults: { file: 'main' } } })).toEqual({ source: 'file', provider: 'main', id: '/a' });
    expect(coerceSecretRef('$MY_TOKEN', { secrets: { defaults: { env: 'shell' } } })).toEqual({ source: 'env', provider: 'shell', id: 'MY_TOKEN' });
    expect(coerceSecretRef({ source: 'env', provider: 'default', id: 'X', extra: 1 }, {})).toBeNull();
    expect(coerceSecretRef('${MY_TOKEN}', {})).toBeNull(); // plain substitution, handled on read
  });

  it('rejects what OpenClaw rejects', () => {
    expect(secretRefGrammarError({ source: 'env', provider: 'default', id: 'lower' })).toMatch(/env id/);
    expect(secretRefGrammarError({ source: 'file', provider: 'f', id: 'relative' })).toMatch(/JSON pointer/);
    expect(secretRefGrammarError({ source: 'exec', provider: 'v', id: 'a/../b' })).toMatch(/exec id/);
    expect(secretRefGrammarError({ source: 'env', provider: 'Bad', id: 'X' })).toMatch(/provider/);
    expect(secretRefGrammarError({ source: 'file', provider: 'f', id: '/a~1b/c' })).toBeNull();
  });
});

describe('env SecretRefs', () => {
  it('resolve from the environment and count as a usable token', () => {
    const c = parse(cfgWith({ source: 'env', provider: 'default', id: 'OTW_REF_TOKEN' }), { ...sb.env, OTW_REF_TOKEN: TOKEN });
    expect(tokenOf(c)?.value?.reveal()).toBe(TOKEN);
    expect(c.secretRefs[0]).toMatchObject({ configPath: 'gateway.auth.token', status: 'resolved', via: 'OTW_REF_TOKEN from the environment' });
  });

  it('a missing variable is unresolved, with the reason', () => {
    const c = parse(cfgWith({ source: 'env', provider: 'default', id: 'OTW_REF_ABSENT' }));
    expect(tokenOf(c)).toMatchObject({ value: null, problems: ['secret-ref'] });
    expect(c.secretRefs[0]).toMatchObject({ status: 'unresolved', reason: expect.stringMatching(/OTW_REF_ABSENT is missing or empty/) });
  });

  it('an explicit env provider enforces its allowlist; an unknown alias is not configured', () => {
    const allow = parse(cfgWith({ source: 'env', provider: 'shell', id: 'OTW_REF_TOKEN' }, { providers: { shell: { source: 'env', allowlist: ['OTHER'] } } }), { OTW_REF_TOKEN: TOKEN });
    expect(allow.secretRefs[0]?.reason).toMatch(/allowlist/);
    const unknown = parse(cfgWith({ source: 'env', provider: 'nosuch', id: 'OTW_REF_TOKEN' }), { OTW_REF_TOKEN: TOKEN });
    expect(unknown.secretRefs[0]?.reason).toMatch(/"nosuch" is not configured/);
    const mismatch = parse(cfgWith({ source: 'file', provider: 'p', id: '/t' }, { providers: { p: { source: 'env' } } }));
    expect(mismatch.secretRefs[0]?.reason).toMatch(/has source "env" but the ref asks for "file"/);
  });

  it('resolve from a variable the state-dir .env supplies (readConfig with gatewayEnv)', async () => {
    await writeFile(sb.configPath, cfgWith({ source: 'env', provider: 'default', id: 'OTW_REF_TOKEN' }));
    await writeFile(join(sb.stateDir, '.env'), `OTW_REF_TOKEN=${TOKEN}\n`);
    const c = await readConfig(sb.configPath, sb.env, { gatewayEnv: { cwd: null, stateDir: sb.stateDir, home: sb.home } });
    expect(c.secretRefs[0]).toMatchObject({ status: 'resolved', via: 'OTW_REF_TOKEN from ~/.openclaw/.env' });
  });
});

describe('file SecretRefs', () => {
  const provider = (path: string, extra: Record<string, unknown> = {}) => ({ providers: { vault: { source: 'file', path, ...extra } } });

  it('json mode: a JSON pointer into a private file', async () => {
    const p = await secretFile('secrets.json', JSON.stringify({ gateway: { 'a/b': TOKEN } }));
    const c = parse(cfgWith({ source: 'file', provider: 'vault', id: '/gateway/a~1b' }, provider(p)));
    expect(tokenOf(c)?.value?.reveal()).toBe(TOKEN);
    expect(c.secretRefs[0]).toMatchObject({ status: 'resolved', via: `${p} /gateway/a~1b` });
  });

  it('singleValue mode, ~ in the path, trailing newline stripped', async () => {
    await secretFile('token.txt', `${TOKEN}\n`);
    const c = parse(cfgWith({ source: 'file', provider: 'vault', id: 'value' }, provider('~/.openclaw/token.txt', { mode: 'singleValue' })));
    expect(tokenOf(c)?.value?.reveal()).toBe(TOKEN);
  });

  it('a missing pointer, a non-string value, a bad singleValue id', async () => {
    const p = await secretFile('secrets.json', JSON.stringify({ n: 5 }));
    expect(parse(cfgWith({ source: 'file', provider: 'vault', id: '/nope' }, provider(p))).secretRefs[0]?.reason).toMatch(/"nope" does not exist/);
    expect(parse(cfgWith({ source: 'file', provider: 'vault', id: '/n' }, provider(p))).secretRefs[0]?.reason).toMatch(/non-string/);
    expect(parse(cfgWith({ source: 'file', provider: 'vault', id: '/x' }, provider(p, { mode: 'singleValue' }))).secretRefs[0]?.reason).toMatch(/expects ref id "value"/);
  });

  it("refuses what OpenClaw's secure read refuses: open permissions, symlinks, hard links", async () => {
    const open = await secretFile('open.json', JSON.stringify({ t: TOKEN }), 0o644);
    expect(parse(cfgWith({ source: 'file', provider: 'vault', id: '/t' }, provider(open))).secretRefs[0]?.reason).toMatch(/too open/);
    const good = await secretFile('good.json', JSON.stringify({ t: TOKEN }));
    await symlink(good, join(sb.stateDir, 'link.json'));
    expect(parse(cfgWith({ source: 'file', provider: 'vault', id: '/t' }, provider(join(sb.stateDir, 'link.json')))).secretRefs[0]?.reason).toMatch(/symlink/);
    await link(good, join(sb.stateDir, 'hard.json'));
    expect(parse(cfgWith({ source: 'file', provider: 'vault', id: '/t' }, provider(good))).secretRefs[0]?.reason).toMatch(/hardlinked/);
  });

  it('a directory or a too-large file is refused without reading it', async () => {
    await mkdir(join(sb.stateDir, 'dir.json'));
    expect(parse(cfgWith({ source: 'file', provider: 'vault', id: '/t' }, provider(join(sb.stateDir, 'dir.json')))).secretRefs[0]?.reason).toMatch(/not a regular file/);
    const big = await secretFile('big.json', JSON.stringify({ t: 'x'.repeat(200) }));
    expect(parse(cfgWith({ source: 'file', provider: 'vault', id: '/t' }, provider(big, { maxBytes: 100 }))).secretRefs[0]?.reason).toMatch(/too large/);
  });
});

describe('exec and store SecretRefs are never run or opened', () => {
  it('exec: recorded as not run, with the reason; the command is not executed', async () => {
    const marker = join(sb.home, 'ran');
    const script = await secretFile('resolver.sh', `#!/bin/sh\ntouch ${marker}\n`, 0o700);
    const c = parse(cfgWith({ source: 'exec', provider: 'vault', id: 'gw/token' }, { providers: { vault: { source: 'exec', command: script } } }));
    expect(c.secretRefs[0]).toMatchObject({ status: 'not-run', reason: expect.stringMatching(/never runs commands/) });
    expect(tokenOf(c)).toMatchObject({ value: null, problems: ['secret-ref'] });
    const r = resolveSecretRef(
      { source: 'exec', provider: 'vault', id: 'gw/token' },
      { config: { secrets: { providers: { vault: { source: 'exec', command: script } } } }, env: {}, home: sb.home, uid: null },
    );
    expect(r.value).toBeNull();
    await expect(import('node:fs/promises').then((fs) => fs.access(marker))).rejects.toThrow();
  });

  it('store: recorded as not read', () => {
    const c = parse(cfgWith({ source: 'store', provider: 'default', id: 'GW_TOKEN' }));
    expect(c.secretRefs[0]).toMatchObject({ status: 'not-read' });
  });

  it('an object that looks like a ref but is malformed is reported as unresolved', () => {
    const c = parse(cfgWith({ source: 'vault', id: 'x' }));
    expect(c.secretRefs[0]).toMatchObject({ status: 'unresolved', reason: expect.stringMatching(/not a valid SecretRef/) });
  });
});
