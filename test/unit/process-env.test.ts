import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { readProcessEnv } from '../../src/facts/process-env.js';
import { fakeToken } from '../support/sandbox.js';

describe('readProcessEnv', () => {
  it('finds token, password, port and url', () => {
    const f = readProcessEnv({
      OPENCLAW_GATEWAY_TOKEN: fakeToken('env'),
      OPENCLAW_GATEWAY_PASSWORD: 'test-password-env',
      OPENCLAW_GATEWAY_PORT: '127.0.0.1:18790',
      OPENCLAW_GATEWAY_URL: 'ws://127.0.0.1:18790',
      PATH: '/usr/bin',
    });
    expect(f.sources.map((s) => [s.id, s.kind, s.variable, s.credential])).toEqual([
      ['env', 'process-env', 'OPENCLAW_GATEWAY_TOKEN', 'token'],
      ['env:password', 'process-env', 'OPENCLAW_GATEWAY_PASSWORD', 'password'],
    ]);
    expect(f.sources[0]?.value?.reveal()).toBe(fakeToken('env'));
    expect(f.sources[0]?.label).toBe('environment variable OPENCLAW_GATEWAY_TOKEN');
    expect(f.port).toBe('127.0.0.1:18790');
    expect(f.url).toBe('ws://127.0.0.1:18790');
    expect(f.legacyNames).toEqual([]);
  });

  it('returns nothing for an environment without OpenClaw variables', () => {
    expect(readProcessEnv({ HOME: '/home/ana' })).toEqual({ sources: [], port: null, url: null, legacyNames: [] });
  });

  it('keeps a set-but-empty or padded token with its problems', () => {
    expect(readProcessEnv({ OPENCLAW_GATEWAY_TOKEN: '' }).sources[0]?.problems).toEqual(['empty']);
    expect(readProcessEnv({ OPENCLAW_GATEWAY_TOKEN: `${fakeToken('p')}\n` }).sources[0]?.problems).toEqual(['whitespace']);
    expect(readProcessEnv({ OPENCLAW_GATEWAY_TOKEN: 'undefined' }).sources[0]?.problems).toEqual(['literal-undefined']);
  });

  it('lists legacy CLAWDBOT_*/MOLTBOT_* names, which OpenClaw ignores', () => {
    const f = readProcessEnv({ MOLTBOT_GATEWAY_TOKEN: 'x', CLAWDBOT_GATEWAY_TOKEN: 'y', CLAWDBOTX: 'z' });
    expect(f.legacyNames).toEqual(['CLAWDBOT_GATEWAY_TOKEN', 'MOLTBOT_GATEWAY_TOKEN']);
    expect(f.sources).toEqual([]);
  });

  it('never exposes the raw token', () => {
    const raw = fakeToken('leak');
    const f = readProcessEnv({ OPENCLAW_GATEWAY_TOKEN: raw });
    expect(JSON.stringify(f)).not.toContain(raw);
    expect(inspect(f, { depth: 10 })).not.toContain(raw);
  });
});
