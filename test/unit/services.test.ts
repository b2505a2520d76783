import { chmod, cp, mkdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseCmdEnv, parsePlistEnv, parseSystemdUnit, readServices, splitSystemdWords } from '../../src/facts/services.js';
import { fakeToken, makeSandbox, type Sandbox } from '../support/sandbox.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/services/', import.meta.url));

let sb: Sandbox;
let env: NodeJS.ProcessEnv;
let unitDir: string;
beforeEach(async () => {
  sb = await makeSandbox('otw-services-');
  env = { ...sb.env };
  // The real user's XDG dir must never be read by a test.
  delete env.XDG_CONFIG_HOME;
  unitDir = join(sb.home, '.config', 'systemd', 'user');
});
afterEach(async () => {
  await sb.cleanup();
});

async function installFixtures(): Promise<void> {
  await mkdir(unitDir, { recursive: true });
  await cp(join(FIXTURES, 'openclaw-gateway.service'), join(unitDir, 'openclaw-gateway.service'));
  await mkdir(join(sb.home, 'Library', 'LaunchAgents'), { recursive: true });
  await cp(join(FIXTURES, 'ai.openclaw.gateway.plist'), join(sb.home, 'Library', 'LaunchAgents', 'ai.openclaw.gateway.plist'));
  await cp(join(FIXTURES, 'gateway.cmd'), join(sb.stateDir, 'gateway.cmd'));
  await cp(join(FIXTURES, 'service-env'), join(sb.stateDir, 'service-env'), { recursive: true });
}

const read = (platform: NodeJS.Platform = 'linux') => readServices({ home: sb.home, stateDir: sb.stateDir, env, platform, timeoutMs: 3000 });

describe('readServices', () => {
  it('finds nothing in an empty home', async () => {
    expect(await read()).toEqual({ files: [], sources: [], errors: [] });
  });

  it('reads the systemd unit, service-env, LaunchAgent plist and gateway.cmd', async () => {
    await installFixtures();
    const facts = await read();
    expect(facts.errors).toEqual([]);
    expect(facts.files).toEqual([
      { path: join(unitDir, 'openclaw-gateway.service'), kind: 'systemd' },
      { path: join(sb.stateDir, 'service-env', 'ai.openclaw.gateway.env'), kind: 'service-env' },
      { path: join(sb.home, 'Library', 'LaunchAgents', 'ai.openclaw.gateway.plist'), kind: 'launchd' },
      { path: join(sb.stateDir, 'gateway.cmd'), kind: 'windows-cmd' },
    ]);
    expect(facts.sources.map((s) => [s.id, s.kind, s.line, s.value?.reveal() ?? null, s.problems])).toEqual([
      ['service:openclaw-gateway.service', 'service', 8, fakeToken('unit'), []],
      ['service:ai.openclaw.gateway.env', 'service', 3, fakeToken('svcenv'), []],
      ['service:ai.openclaw.gateway.plist', 'service', 18, 'test-token-plist-&-xxxxxxxxxxxxxxxxxxxxxxxxxxxxx', []],
      ['service:ai.openclaw.gateway.plist:password', 'service', 20, '', ['empty']],
      ['service:gateway.cmd', 'service', 5, fakeToken('cmd'), []],
    ]);
    expect(facts.sources[0]).toMatchObject({
      label: 'openclaw-gateway.service line 8 (Environment= OPENCLAW_GATEWAY_TOKEN)',
      file: join(unitDir, 'openclaw-gateway.service'),
      variable: 'OPENCLAW_GATEWAY_TOKEN',
      credential: 'token',
    });
    expect(facts.sources[2]!.label).toBe('ai.openclaw.gateway.plist line 18 (EnvironmentVariables OPENCLAW_GATEWAY_TOKEN)');
    expect(facts.sources[3]!.credential).toBe('password');
    expect(facts.sources[4]!.label).toBe('gateway.cmd line 5 (set OPENCLAW_GATEWAY_TOKEN)');
    const shown = JSON.stringify(facts);
    for (const raw of [fakeToken('unit'), fakeToken('svcenv'), fakeToken('cmd')]) expect(shown).not.toContain(raw);
  });

  it('follows EnvironmentFile= and drop-ins, with EnvironmentFile winning as in systemd', async () => {
    await mkdir(join(unitDir, 'openclaw-gateway-work.service.d'), { recursive: true });
    await mkdir(join(sb.stateDir, 'service-env'), { recursive: true });
    await writeFile(join(unitDir, 'openclaw-gateway-work.service'), '[Service]\nEnvironmentFile=%h/.openclaw/service-env/work.env\nExecStart=/bin/true\n');
    await writeFile(join(unitDir, 'openclaw-gateway-work.service.d', 'override.conf'), `[Service]\nEnvironment=OPENCLAW_GATEWAY_TOKEN=${fakeToken('dropin')}\n`);
    await writeFile(join(sb.stateDir, 'service-env', 'work.env'), `OPENCLAW_GATEWAY_TOKEN=${fakeToken('envf')}\n`);
    // Not ours: must be ignored.
    await writeFile(join(unitDir, 'other.service'), `[Service]\nEnvironment=OPENCLAW_GATEWAY_TOKEN=${fakeToken('other')}\n`);

    const facts = await read();
    expect(facts.errors).toEqual([]);
    expect(facts.files.map((f) => f.kind)).toEqual(['systemd', 'systemd', 'service-env']);
    expect(facts.sources.map((s) => s.id)).toEqual(['service:openclaw-gateway-work.service:work.env', 'service:openclaw-gateway-work.service']);
    const [fromFile, fromDropIn] = facts.sources;
    expect(fromFile!.value?.reveal()).toBe(fakeToken('envf'));
    expect(fromFile!.label).toBe('work.env line 1 (EnvironmentFile of openclaw-gateway-work.service, OPENCLAW_GATEWAY_TOKEN)');
    expect(fromDropIn!.file).toBe(join(unitDir, 'openclaw-gateway-work.service.d', 'override.conf'));
    expect(fromDropIn!.notes).toContain('shadowed: systemd uses OPENCLAW_GATEWAY_TOKEN from EnvironmentFile work.env instead');
  });

  it('reports a missing required EnvironmentFile but not an optional one', async () => {
    await mkdir(unitDir, { recursive: true });
    await writeFile(join(unitDir, 'clawdbot-gateway.service'), '[Service]\nEnvironmentFile=/nonexistent/otw/gateway.env\nEnvironmentFile=-/nonexistent/otw/optional.env\n');
    const facts = await read();
    expect(facts.errors).toEqual([
      {
        file: join(unitDir, 'clawdbot-gateway.service'),
        message: 'EnvironmentFile /nonexistent/otw/gateway.env (line 2) not found; systemd would refuse to start the unit',
      },
    ]);
  });

  it('reports a binary plist as an error instead of guessing', async () => {
    await mkdir(join(sb.home, 'Library', 'LaunchAgents'), { recursive: true });
    await writeFile(join(sb.home, 'Library', 'LaunchAgents', 'ai.openclaw.gateway.plist'), 'bplist00\u0000\u0001garbage');
    const facts = await read();
    expect(facts.sources).toEqual([]);
    expect(facts.errors[0]!.message).toMatch(/binary property list/);
  });

  it('asks launchctl on macOS only', async () => {
    const bin = join(sb.cwd, 'bin');
    await mkdir(bin);
    const marker = join(sb.cwd, 'launchctl-ran');
    await writeFile(join(bin, 'launchctl'), `#!/bin/sh\ntouch '${marker}'\n[ "$2" = OPENCLAW_GATEWAY_TOKEN ] && echo '${fakeToken('launchctl')}'\nexit 0\n`);
    await chmod(join(bin, 'launchctl'), 0o755);
    env.PATH = `${bin}:/usr/bin:/bin`;

    const linux = await read('linux');
    expect(linux.sources).toEqual([]);
    expect(existsSync(marker)).toBe(false);

    const mac = await read('darwin');
    expect(mac.errors).toEqual([]);
    expect(mac.sources).toHaveLength(1);
    expect(mac.sources[0]).toMatchObject({
      id: 'launchctl:OPENCLAW_GATEWAY_TOKEN',
      kind: 'launchctl',
      label: 'launchctl getenv OPENCLAW_GATEWAY_TOKEN',
      problems: [],
    });
    expect(mac.sources[0]!.value?.reveal()).toBe(fakeToken('launchctl'));
  });

  it('reports launchctl missing on macOS as an error entry', async () => {
    env.PATH = join(sb.cwd, 'empty-bin');
    const facts = await read('darwin');
    expect(facts.errors.map((e) => e.file)).toEqual(['launchctl', 'launchctl']);
    expect(facts.errors[0]!.message).toMatch(/^launchctl getenv OPENCLAW_GATEWAY_TOKEN: launchctl: not found/);
  });
});

describe('parseSystemdUnit', () => {
  it('handles quoting, several assignments per line, resets, continuations and sections', () => {
    const unit = [
      '[Unit]',
      'Environment=OPENCLAW_GATEWAY_TOKEN=ignored-not-in-service',
      '[Service]',
      'Environment=A=1 OPENCLAW_GATEWAY_TOKEN=first',
      'Environment=',
      'Environment="B=two words" \\',
      '  OPENCLAW_GATEWAY_TOKEN=tok\\x',
      '# Environment=OPENCLAW_GATEWAY_TOKEN=commented',
      "Environment='C=%h/x' D=100%%",
    ].join('\n');
    const u = parseSystemdUnit(unit, '/home/u');
    expect(u.environment).toEqual([
      { name: 'B', value: 'two words', line: 6 },
      { name: 'OPENCLAW_GATEWAY_TOKEN', value: 'tokx', line: 6 },
      { name: 'C', value: '/home/u/x', line: 9 },
      { name: 'D', value: '100%', line: 9 },
    ]);
  });

  it('splits words like systemd', () => {
    expect(splitSystemdWords('A=1 "B=2 3"  C="4 5"')).toEqual(['A=1', 'B=2 3', 'C=4 5']);
  });
});

describe('parsePlistEnv', () => {
  it('decodes entities and CDATA, skips comments and other keys', () => {
    const xml = `<plist><dict>
<key>EnvironmentVariables</key>
<dict>
  <key>X</key><string><![CDATA[a<b]]></string>
  <key>Y</key><string>1&lt;2 &#x41;</string>
  <key>N</key><integer>3</integer>
</dict>
<key>Other</key><dict><key>Z</key><string>no</string></dict>
</dict></plist>`;
    expect(parsePlistEnv(xml)).toEqual({
      entries: [
        { name: 'X', value: 'a<b', line: 4 },
        { name: 'Y', value: '1<2 A', line: 5 },
        { name: 'N', value: null, line: 6 },
      ],
      error: null,
    });
    expect(parsePlistEnv('<plist><dict><key>Label</key><string>x</string></dict></plist>')).toEqual({ entries: [], error: null });
    expect(parsePlistEnv('<key>EnvironmentVariables</key><string>x</string>').error).toMatch(/not a <dict>/);
  });
});

describe('parseCmdEnv', () => {
  it('reads set lines, quoted or not, keeping trailing spaces', () => {
    expect(parseCmdEnv('@echo off\r\nSET openclaw_gateway_token=abc \r\nset "B=x y"\r\nrem set C=1\r\n')).toEqual([
      { name: 'OPENCLAW_GATEWAY_TOKEN', value: 'abc ', line: 2 },
      { name: 'B', value: 'x y', line: 3 },
    ]);
  });
});
