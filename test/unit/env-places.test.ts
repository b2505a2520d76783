/**
 * Where else OpenClaw 2026.9.6 takes its environment from: `<state>/gateway.systemd.env`, the
 * launchd env wrapper in `<state>/service-env/`, and `~/.config/openclaw/gateway.env`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseSystemdEnvLines } from '../../src/facts/env-lines.js';
import { gatewayEnvPath, readServices } from '../../src/facts/services.js';
import { fakeToken, makeSandbox, type Sandbox } from '../support/sandbox.js';

let sb: Sandbox;
let env: NodeJS.ProcessEnv;
beforeEach(async () => {
  sb = await makeSandbox('otw-envplaces-');
  env = { ...sb.env };
  delete env.XDG_CONFIG_HOME;
  delete env.OPENCLAW_STATE_DIR;
});
afterEach(async () => {
  await sb.cleanup();
});

const read = () => readServices({ home: sb.home, stateDir: sb.stateDir, env, platform: 'linux', timeoutMs: 3000 });

describe('gateway.systemd.env', () => {
  it('is a token source with file and line, decoded the way OpenClaw writes it (systemd quoting)', async () => {
    const token = fakeToken('sysd');
    // OpenClaw's serializer double-quotes values with $ and escapes it: `"...\$..."`.
    await writeFile(join(sb.stateDir, 'gateway.systemd.env'), `# generated\nHOME=/x\nOPENCLAW_GATEWAY_TOKEN="${token.slice(0, 10)}\\$${token.slice(11)}"\n`);
    const facts = await read();
    expect(facts.files).toEqual([{ path: join(sb.stateDir, 'gateway.systemd.env'), kind: 'service-env' }]);
    expect(facts.sources).toHaveLength(1);
    expect(facts.sources[0]).toMatchObject({
      id: 'service:gateway.systemd.env',
      kind: 'service',
      file: join(sb.stateDir, 'gateway.systemd.env'),
      line: 3,
      label: 'gateway.systemd.env line 3 (OPENCLAW_GATEWAY_TOKEN)',
    });
    expect(facts.sources[0]?.value?.reveal()).toBe(`${token.slice(0, 10)}$${token.slice(11)}`);
  });

  it('is reported once when a unit already loads it through EnvironmentFile=', async () => {
    const unitDir = join(sb.home, '.config', 'systemd', 'user');
    await mkdir(unitDir, { recursive: true });
    await writeFile(join(unitDir, 'openclaw-gateway.service'), '[Service]\nEnvironmentFile=-%h/.openclaw/gateway.systemd.env\n');
    await writeFile(join(sb.stateDir, 'gateway.systemd.env'), `OPENCLAW_GATEWAY_TOKEN=${fakeToken('once')}\n`);
    const facts = await read();
    expect(facts.sources.map((s) => s.id)).toEqual(['service:openclaw-gateway.service:gateway.systemd.env']);
  });

  it('systemd syntax: comments with # and ;, single quotes literal, trailing blanks dropped, last one wins', () => {
    const lines = parseSystemdEnvLines('; c\n# c\nA=\'x\\$y\'  \nB=plain value   \nA=two\n  C = "q\\"r"');
    expect(lines.map((l) => [l.name, l.line, l.value, l.quote])).toEqual([
      ['A', 3, 'x\\$y', "'"],
      ['B', 4, 'plain value', null],
      ['A', 5, 'two', null],
      ['C', 6, 'q"r', '"'],
    ]);
  });
});

describe('the launchd env wrapper', () => {
  it('a hand-edited wrapper that exports a token is a token source; the generated one is not', async () => {
    const dir = join(sb.stateDir, 'service-env');
    await mkdir(dir, { recursive: true });
    const generated = '#!/bin/sh\nset -eu\nenv_file="$1"\nshift\n. "$env_file"\nexec "$@"\n';
    await writeFile(join(dir, 'ai.openclaw.gateway-env-wrapper.sh'), generated);
    expect((await read()).sources).toEqual([]);
    const token = fakeToken('wrap');
    await writeFile(join(dir, 'ai.openclaw.gateway-env-wrapper.sh'), generated.replace('set -eu\n', `set -eu\nexport OPENCLAW_GATEWAY_TOKEN='${token}'\n`));
    const facts = await read();
    expect(facts.sources.map((s) => [s.id, s.label, s.line, s.value?.reveal()])).toEqual([
      ['service:ai.openclaw.gateway-env-wrapper.sh', 'ai.openclaw.gateway-env-wrapper.sh line 3 (export OPENCLAW_GATEWAY_TOKEN)', 3, token],
    ]);
  });
});

describe('~/.config/openclaw/gateway.env', () => {
  it('is read for the default state dir, as a dotenv source', async () => {
    const token = fakeToken('gwenv');
    await mkdir(join(sb.home, '.config', 'openclaw'), { recursive: true });
    await writeFile(join(sb.home, '.config', 'openclaw', 'gateway.env'), `\n# fallback\nOPENCLAW_GATEWAY_TOKEN=${token}\n`);
    const facts = await read();
    expect(facts.files).toEqual([{ path: join(sb.home, '.config', 'openclaw', 'gateway.env'), kind: 'gateway-env' }]);
    expect(facts.sources.map((s) => [s.id, s.kind, s.line, s.value?.reveal()])).toEqual([['dotenv:gateway-env', 'dotenv', 3, token]]);
  });

  it('is not read when OPENCLAW_STATE_DIR points elsewhere (OpenClaw skips it then)', () => {
    const opts = { home: sb.home, stateDir: join(sb.home, 'other'), env: { OPENCLAW_STATE_DIR: join(sb.home, 'other') } };
    expect(gatewayEnvPath(opts)).toBeNull();
    expect(gatewayEnvPath({ ...opts, stateDir: sb.stateDir, env: { OPENCLAW_STATE_DIR: sb.stateDir } })).toBe(join(sb.home, '.config', 'openclaw', 'gateway.env'));
    expect(gatewayEnvPath({ ...opts, stateDir: sb.stateDir, env: {} })).toBe(join(sb.home, '.config', 'openclaw', 'gateway.env'));
  });
});
