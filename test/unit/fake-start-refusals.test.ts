/**
 * The fake CLI refuses the starts the real 2026.9.6 gateway refuses (src/demo/fake-start-refusals.ts;
 * the real lines are held to it by test/real/contract-start.test.ts), writes the fatal line where
 * the wizard reads it, and runs password mode from the config.
 */
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runFakeOpenClaw } from '../../src/demo/fake-openclaw.js';
import { AMBIGUOUS_AUTH_MODE_ERROR, startConfigError, startFailedMessage, WEAK_PASSWORD_ERROR, WEAK_TOKEN_ERROR } from '../../src/demo/fake-start-refusals.js';
import { enforcedPassword, readFakeConfig } from '../../src/demo/openclaw-rules.js';
import { readGatewayLog } from '../../src/facts/gateway-log.js';

const T = 'f'.repeat(48);
const P = `pw-${'p'.repeat(40)}`;
const cfg = (auth: Record<string, unknown>, env: NodeJS.ProcessEnv = {}) => readFakeConfig(JSON.stringify({ gateway: { mode: 'local', auth } }), env, '/c/openclaw.json');

describe('which configs the fake start refuses', () => {
  it('a token and a password with no mode; a mode settles it', () => {
    expect(startConfigError(cfg({ token: T, password: P }), {})).toBe(AMBIGUOUS_AUTH_MODE_ERROR);
    expect(startConfigError(cfg({ token: T, password: { source: 'env', id: 'GW_PW' } }), {})).toBe(AMBIGUOUS_AUTH_MODE_ERROR);
    expect(startConfigError(cfg({ mode: 'token', token: T, password: P }), {})).toBeNull();
    expect(startConfigError(cfg({ token: T, password: '  ' }), {})).toBeNull();
  });

  it('a placeholder, blank or undefined/null credential of the mode in force', () => {
    for (const weak of ['change-me-now', 'change-me-to-a-long-random-token', 'undefined', ' null ', '']) {
      expect(startConfigError(cfg({ mode: 'token', token: weak }), {}), JSON.stringify(weak)).toBe(WEAK_TOKEN_ERROR);
    }
    expect(startConfigError(cfg({ token: 'change-me-now' }), {})).toBe(WEAK_TOKEN_ERROR);
    expect(startConfigError(cfg({ mode: 'token' }), { OPENCLAW_GATEWAY_TOKEN: 'change-me-now' })).toBe(WEAK_TOKEN_ERROR);
    expect(startConfigError(cfg({ mode: 'password', password: 'change-me-to-a-strong-password' }), {})).toBe(WEAK_PASSWORD_ERROR);
    // A placeholder of the other mode is not in force.
    expect(startConfigError(cfg({ mode: 'password', password: P, token: 'change-me-now' }), {})).toBeNull();
  });

  it('a missing token is no refusal (the gateway generates a runtime token), nor is a real one', () => {
    expect(startConfigError(cfg({ mode: 'token' }), {})).toBeNull();
    expect(startConfigError(cfg({ mode: 'token', token: T }), {})).toBeNull();
    expect(startConfigError(cfg({ mode: 'token', token: '${GW_TOKEN}' }), {})).toBeNull();
  });

  it('password mode: the config password, else OPENCLAW_GATEWAY_PASSWORD; token mode has none', () => {
    expect(enforcedPassword(cfg({ mode: 'password', password: P }), {})).toBe(P);
    expect(enforcedPassword(cfg({ mode: 'password' }), { OPENCLAW_GATEWAY_PASSWORD: P })).toBe(P);
    expect(enforcedPassword(cfg({ password: P }), {})).toBe(P);
    expect(enforcedPassword(cfg({ mode: 'token', token: T, password: P }), {})).toBeNull();
    expect(enforcedPassword(null, {})).toBeNull();
  });
});

describe('`openclaw gateway run` of the fake CLI on a refused config', () => {
  let root = '';
  afterEach(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('exits 1 after printing the fatal line, which the wizard reads from the log as the start block', async () => {
    root = await mkdtemp(join(tmpdir(), 'otw-fake-refusal-'));
    const home = join(root, 'home');
    const logFile = join(root, 'gateway.log');
    await mkdir(join(home, '.openclaw'), { recursive: true });
    await writeFile(join(home, '.openclaw', 'openclaw.json'), JSON.stringify({ gateway: { mode: 'local', port: 1, auth: { mode: 'token', token: 'change-me-now' } }, logging: { file: logFile } }));
    let stdout = '';
    let stderr = '';
    const code = await runFakeOpenClaw(['gateway', 'run'], {
      stdout: { write: (s: string) => (stdout += s) },
      stderr: { write: (s: string) => (stderr += s) },
      stdinIsTty: false,
      env: { HOME: home, NO_COLOR: '1', PATH: '/usr/bin:/bin' },
      cwd: root,
    });
    expect(code).toBe(1);
    expect(stdout).toMatch(/^\S+ \[gateway\] loading configuration…\n$/);
    expect(stderr).toMatch(/^\S+ Gateway failed to start: Invalid config: gateway auth token is blank, a published example placeholder/);
    expect(stderr.replace(/^\S+ /, '').trim()).toBe(startFailedMessage(WEAK_TOKEN_ERROR));
    // Logged by the console logger, as the real CLI does: no subsystem, the message at "0".
    const fatal = JSON.parse((await readFile(logFile, 'utf8')).trim().split('\n').at(-1)!) as Record<string, unknown>;
    expect(fatal['0']).toBe(startFailedMessage(WEAK_TOKEN_ERROR));
    expect((fatal._meta as { name: string }).name).toBe('openclaw');
    const facts = await readGatewayLog({ candidates: [logFile], port: 1 });
    expect(facts.startBlocked).toBe(startFailedMessage(WEAK_TOKEN_ERROR));
    expect(facts.lastStartAt).toBeNull();
  });
});
