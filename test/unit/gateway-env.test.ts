import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readConfig } from '../../src/facts/config.js';
import { gatewayDotenvPaths, loadGatewayEnv } from '../../src/facts/gateway-env.js';
import { fakeToken, makeSandbox, type Sandbox } from '../support/sandbox.js';

let sb: Sandbox;
beforeEach(async () => {
  sb = await makeSandbox();
});
afterEach(async () => {
  await sb.cleanup();
});

const opts = () => ({ cwd: sb.cwd, stateDir: sb.stateDir, home: sb.home });

describe('loadGatewayEnv: the dotenv files OpenClaw loads before it substitutes ${VAR}', () => {
  it('order: the working directory, the state dir, then ~/.config/openclaw/gateway.env for the default state dir only', () => {
    expect(gatewayDotenvPaths(opts()).map((p) => p.kind)).toEqual(['workspace', 'state', 'gateway-env']);
    expect(gatewayDotenvPaths({ ...opts(), stateDir: join(sb.home, '.openclaw-work') }).map((p) => p.kind)).toEqual(['workspace', 'state']);
    expect(gatewayDotenvPaths({ ...opts(), cwd: null }).map((p) => p.kind)).toEqual(['state', 'gateway-env']);
  });

  it('an existing variable wins over every file; the first file to set a name wins', async () => {
    await writeFile(join(sb.cwd, '.env'), 'A=from-cwd\nB=from-cwd\n');
    await writeFile(join(sb.stateDir, '.env'), 'A=from-state\nB=from-state\nC=from-state\n');
    await mkdir(join(sb.home, '.config', 'openclaw'), { recursive: true });
    await writeFile(join(sb.home, '.config', 'openclaw', 'gateway.env'), 'C=from-gateway-env\nD=from-gateway-env\n');
    const g = await loadGatewayEnv({ A: 'from-process' }, opts());
    expect([g.env.A, g.env.B, g.env.C, g.env.D]).toEqual(['from-process', 'from-cwd', 'from-state', 'from-gateway-env']);
    expect(g.origin.get('A')).toBeUndefined();
    expect(g.origin.get('B')).toBe(join(sb.cwd, '.env'));
  });

  it('a working-directory .env may not set OPENCLAW_* (or other blocked names); the state-dir .env may', async () => {
    await writeFile(join(sb.cwd, '.env'), `OPENCLAW_GATEWAY_TOKEN=${fakeToken('cwd')}\nMY_SKIP_AUTH=1\nMY_TOKEN=ok\n`);
    const g = await loadGatewayEnv({}, opts());
    expect(g.env.OPENCLAW_GATEWAY_TOKEN).toBeUndefined();
    expect(g.env.MY_SKIP_AUTH).toBeUndefined();
    expect(g.env.MY_TOKEN).toBe('ok');
    expect(g.files[0]?.blocked).toEqual(['OPENCLAW_GATEWAY_TOKEN', 'MY_SKIP_AUTH']);
    await writeFile(join(sb.stateDir, '.env'), `OPENCLAW_GATEWAY_TOKEN=${fakeToken('state')}\n`);
    expect((await loadGatewayEnv({}, opts())).env.OPENCLAW_GATEWAY_TOKEN).toBe(fakeToken('state'));
  });

  it('a dotenv that is a directory or a FIFO-like non-file is an error on that file, not a hang', async () => {
    await mkdir(join(sb.stateDir, '.env'));
    const g = await loadGatewayEnv({}, opts());
    expect(g.files.find((f) => f.kind === 'state')?.error).toMatch(/directory/);
  });
});

describe('loadGatewayEnv with the names the caller will look up', () => {
  it('a file that spells none of them is not parsed; with no name to look up no file is read', async () => {
    await writeFile(join(sb.cwd, '.env'), 'A=from-cwd\nB=from-cwd\n');
    await writeFile(join(sb.stateDir, '.env'), 'C=from-state\n');
    const some = await loadGatewayEnv({}, opts(), new Set(['C']));
    expect([some.env.A, some.env.B, some.env.C]).toEqual([undefined, undefined, 'from-state']);
    expect(some.files.map((f) => f.applied)).toEqual([[], ['C']]);
    await mkdir(join(sb.stateDir, 'dir.env'));
    const none = await loadGatewayEnv({}, { ...opts(), stateDir: join(sb.stateDir, 'dir.env') }, new Set());
    expect(none.files).toEqual([]);
    expect((await loadGatewayEnv({}, { ...opts(), stateDir: join(sb.stateDir, 'dir.env') })).files.some((f) => f.error)).toBe(false);
  });
});

describe('readConfig with gatewayEnv: a token that arrives through a .env is valid', () => {
  it('${OPENCLAW_GATEWAY_TOKEN} filled from $STATE_DIR/.env is a usable token, not an unresolved reference', async () => {
    await writeFile(sb.configPath, '{gateway: {auth: {mode: "token", token: "${OPENCLAW_GATEWAY_TOKEN}"}}}');
    await writeFile(join(sb.stateDir, '.env'), `OPENCLAW_GATEWAY_TOKEN=${fakeToken('dotenv')}\n`);
    const env = { ...sb.env };
    delete env.OPENCLAW_GATEWAY_TOKEN;
    const without = await readConfig(sb.configPath, env);
    expect(without.sources[0]?.problems).toContain('unresolved-var');
    const c = await readConfig(sb.configPath, env, { gatewayEnv: opts() });
    const tok = c.sources.find((s) => s.id === 'config');
    expect(tok?.value?.reveal()).toBe(fakeToken('dotenv'));
    expect(tok?.problems).toEqual([]);
    expect(c.unresolvedVars).toEqual([]);
    expect(tok?.notes?.join(' ')).toMatch(/\$\{OPENCLAW_GATEWAY_TOKEN\} \(set in ~\/\.openclaw\/\.env\)/);
  });

  it('the process environment beats the .env file', async () => {
    await writeFile(sb.configPath, '{gateway: {auth: {token: "${OTW_TOK}"}}}');
    await writeFile(join(sb.stateDir, '.env'), `OTW_TOK=${fakeToken('file')}\n`);
    const c = await readConfig(sb.configPath, { ...sb.env, OTW_TOK: fakeToken('shell') }, { gatewayEnv: opts() });
    expect(c.sources[0]?.value?.reveal()).toBe(fakeToken('shell'));
  });

  it('OPENCLAW_GATEWAY_TOKEN in the working directory .env does not fill ${OPENCLAW_GATEWAY_TOKEN}', async () => {
    await writeFile(sb.configPath, '{gateway: {auth: {token: "${OPENCLAW_GATEWAY_TOKEN}"}}}');
    await writeFile(join(sb.cwd, '.env'), `OPENCLAW_GATEWAY_TOKEN=${fakeToken('cwd')}\n`);
    const c = await readConfig(sb.configPath, sb.env, { gatewayEnv: opts() });
    expect(c.unresolvedVars).toEqual(['OPENCLAW_GATEWAY_TOKEN']);
  });

  it('the .env files are parsed for the names the config uses: ${NAME}, an env SecretRef id and the $NAME shorthand, beside 10 000 it does not use', async () => {
    const unused = Array.from({ length: 10_000 }, (_, i) => `UNUSED_${i}=v`).join('\n');
    await writeFile(join(sb.stateDir, '.env'), `${unused}\nOTW_SUB=${fakeToken('sub')}\nOTW_REF=${fakeToken('ref')}\nOTW_SHORT=${fakeToken('short')}\n`);
    const tokenIn = async (token: unknown) => {
      await writeFile(sb.configPath, JSON.stringify({ gateway: { auth: { mode: 'token', token } } }));
      return (await readConfig(sb.configPath, sb.env, { gatewayEnv: opts() })).sources.find((s) => s.id === 'config')?.value?.reveal();
    };
    expect(await tokenIn('${OTW_SUB}')).toBe(fakeToken('sub'));
    expect(await tokenIn({ source: 'env', provider: 'default', id: 'OTW_REF' })).toBe(fakeToken('ref'));
    expect(await tokenIn('$OTW_SHORT')).toBe(fakeToken('short'));
  });

  it('the config env block fills a name nothing else set', async () => {
    await writeFile(sb.configPath, `{env: {OTW_BLOCK: "${fakeToken('block')}"}, gateway: {auth: {token: "\${OTW_BLOCK}"}}}`);
    const c = await readConfig(sb.configPath, sb.env);
    expect(c.sources.find((s) => s.id === 'config')?.value?.reveal()).toBe(fakeToken('block'));
  });
});
