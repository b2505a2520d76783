/**
 * The demo's own reading of OpenClaw's rules (src/demo/openclaw-rules.ts), and where it must agree
 * with the wizard's: two implementations that share no code, so agreement here is a finding, not
 * a construction.
 */
import { describe, expect, it } from 'vitest';
import { enforcedToken, readFakeConfig, usableCredential } from '../../src/demo/openclaw-rules.js';
import { FATAL_PROBLEMS, tokenProblems } from '../../src/hygiene.js';
import { parseConfigText } from '../../src/facts/config.js';

const T = 'f'.repeat(48);
const E = 'e'.repeat(48);
const cfg = (doc: unknown, env: NodeJS.ProcessEnv = {}) => readFakeConfig(JSON.stringify(doc), env, '/c/openclaw.json');

describe("the demo gateway's token rules", () => {
  it('the config token wins over OPENCLAW_GATEWAY_TOKEN; the env fills in when the config has none', () => {
    expect(enforcedToken(cfg({ gateway: { auth: { token: T } } }), { OPENCLAW_GATEWAY_TOKEN: E })).toBe(T);
    expect(enforcedToken(cfg({ gateway: { auth: { mode: 'token' } } }), { OPENCLAW_GATEWAY_TOKEN: E })).toBe(E);
    expect(enforcedToken(cfg({ env: { vars: { OPENCLAW_GATEWAY_TOKEN: E } } }), {})).toBe(E);
    expect(enforcedToken(null, {})).toBeNull();
  });

  it('values are trimmed; weak values and a leftover ${VAR} count as unset, so the next source decides', () => {
    expect(enforcedToken(cfg({ gateway: { auth: { token: ` ${T}\n` } } }), {})).toBe(T);
    for (const weak of ['', '  ', 'undefined', 'null', 'change-me-now', '__OPENCLAW_REDACTED__', '${OPENCLAW_GATEWAY_TOKEN}']) {
      expect(enforcedToken(cfg({ gateway: { auth: { token: weak } } }), { OPENCLAW_GATEWAY_TOKEN: E }), weak).toBe(E);
    }
    expect(usableCredential(12345)).toBeNull();
  });

  it('${VAR} in the config is filled from the environment, then from the env block; $${VAR} stays literal', () => {
    expect(enforcedToken(cfg({ gateway: { auth: { token: '${MY_TOKEN}' } } }, { MY_TOKEN: T }), {})).toBe(T);
    expect(enforcedToken(cfg({ env: { OPENCLAW_GATEWAY_TOKEN: E }, gateway: { auth: { token: '${OPENCLAW_GATEWAY_TOKEN}' } } }), {})).toBe(E);
    expect(cfg({ gateway: { auth: { token: '$${X}' } } }).authToken).toBe('${X}');
    expect(enforcedToken(cfg({ gateway: { auth: { token: { source: 'env', provider: 'default', id: 'REF_TOKEN' } } } }, { REF_TOKEN: T }), {})).toBe(T);
  });

  it('reads mode, auth mode, port, bind and log file; an unparseable file is an error, not an empty config', () => {
    const c = cfg({ gateway: { mode: 'local', port: 19999, bind: 'loopback', auth: { mode: 'password' } }, logging: { file: '/l/gw.log' } });
    expect([c.mode, c.authMode, c.port, c.bind, c.logFile, c.error]).toEqual(['local', 'password', 19999, 'loopback', '/l/gw.log', null]);
    expect(readFakeConfig('{ gateway: ', {}, '/c').error).toMatch(/invalid end of input/);
    expect(readFakeConfig('[1]', {}, '/c').error).toBe('the config is not an object');
  });
});

describe('the wizard and the demo agree on the documented values', () => {
  // OpenClaw's known-weak list (openclaw-gateway.md, "Token comparison"), plus ordinary tokens.
  const documented = ['', ' ', 'undefined', 'null', 'change-me-to-a-long-random-token', 'change-me-now', '__OPENCLAW_REDACTED__', '${OPENCLAW_GATEWAY_TOKEN}', T, ` ${T} `, 'a1b2c3d4'];
  it.each(documented)('%j: usable for both, or for neither', (value) => {
    const wizardUsable = !tokenProblems(value).some((p) => FATAL_PROBLEMS.has(p));
    expect(wizardUsable).toBe(usableCredential(value) !== null);
  });

  it('both read the same enforced token from the same config and environment', () => {
    const text = JSON.stringify({ env: { vars: { OPENCLAW_GATEWAY_TOKEN: E } }, gateway: { mode: 'local', auth: { mode: 'token', token: '${MY_TOKEN}' } } });
    const env = { MY_TOKEN: ` ${T} ` };
    const wizard = parseConfigText(text, env, '/c/openclaw.json').sources.find((s) => s.id === 'config');
    expect(wizard?.value?.reveal().trim()).toBe(enforcedToken(readFakeConfig(text, env, '/c/openclaw.json'), env));
  });
});
