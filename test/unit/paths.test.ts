import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  encodeLogProfileSegment,
  fnv1a32,
  parseGatewayPortEnv,
  profilePort,
  resolveGatewayPort,
  resolveLogFile,
  resolveOpenClawPaths,
  UsageError,
  validateProfileName,
} from '../../src/facts/paths.js';
import { tildify } from '../../src/paths-display.js';
import { makeSandbox, type Sandbox } from '../support/sandbox.js';

const H = '/home/ana';
/** A fake filesystem: only the listed paths exist. */
const fs = (...paths: string[]) => {
  const set = new Set(paths);
  return (p: string) => set.has(p);
};
const noOsHome = () => null;

describe('resolveOpenClawPaths: home', () => {
  it('prefers OPENCLAW_HOME over HOME and USERPROFILE', () => {
    const p = resolveOpenClawPaths({ env: { OPENCLAW_HOME: '/srv/oc', HOME: H, USERPROFILE: '/u' }, exists: fs() });
    expect(p.home).toBe('/srv/oc');
    expect(p.homeSource).toBe('OPENCLAW_HOME');
    expect(p.configPath).toBe('/srv/oc/.openclaw/openclaw.json');
  });

  it('expands ~ in OPENCLAW_HOME against HOME', () => {
    const p = resolveOpenClawPaths({ env: { OPENCLAW_HOME: '~/alt', HOME: H }, exists: fs() });
    expect(p.home).toBe('/home/ana/alt');
  });

  it('falls back HOME → USERPROFILE → os.homedir, and treats "undefined"/blank as unset', () => {
    expect(resolveOpenClawPaths({ env: { HOME: H }, exists: fs() }).homeSource).toBe('HOME');
    const up = resolveOpenClawPaths({ env: { HOME: '  ', USERPROFILE: '/users/ana' }, exists: fs() });
    expect([up.home, up.homeSource]).toEqual(['/users/ana', 'USERPROFILE']);
    const os = resolveOpenClawPaths({ env: { HOME: 'undefined' }, exists: fs(), osHomedir: () => '/from/os' });
    expect([os.home, os.homeSource]).toEqual(['/from/os', 'os.homedir']);
  });

  it('reports a missing home and, like OpenClaw, falls back to the working directory for paths', () => {
    const p = resolveOpenClawPaths({ env: {}, exists: fs(), osHomedir: noOsHome, cwd: '/work/dir' });
    expect(p.home).toBeNull();
    expect(p.homeSource).toBe('missing');
    expect(p.stateDir).toBe('/work/dir/.openclaw');
    expect(p.configPath).toBe('/work/dir/.openclaw/openclaw.json');
  });

  it('does not throw when os.homedir() throws', () => {
    const p = resolveOpenClawPaths({
      env: {},
      exists: fs(),
      osHomedir: () => {
        throw new Error('no passwd entry');
      },
      cwd: '/x',
    });
    expect(p.homeSource).toBe('missing');
  });
});

describe('resolveOpenClawPaths: config candidates', () => {
  it('defaults to ~/.openclaw/openclaw.json when nothing exists', () => {
    const p = resolveOpenClawPaths({ env: { HOME: H }, exists: fs() });
    expect(p).toMatchObject({
      stateDir: `${H}/.openclaw`,
      stateDirSource: 'default',
      configPath: `${H}/.openclaw/openclaw.json`,
      configPathSource: 'default',
      profile: null,
      profileSource: null,
      legacy: false,
    });
  });

  it('OPENCLAW_CONFIG_PATH is exclusive even when the file is missing and others exist', () => {
    const p = resolveOpenClawPaths({
      env: { HOME: H, OPENCLAW_CONFIG_PATH: '~/cfg/oc.json' },
      exists: fs(`${H}/.openclaw/openclaw.json`),
    });
    expect(p.configPath).toBe(`${H}/cfg/oc.json`);
    expect(p.configPathSource).toBe('OPENCLAW_CONFIG_PATH');
  });

  it('the wizard --config flag beats OPENCLAW_CONFIG_PATH', () => {
    const p = resolveOpenClawPaths({ env: { HOME: H, OPENCLAW_CONFIG_PATH: '/a.json' }, configFlag: '/b.json', exists: fs() });
    expect([p.configPath, p.configPathSource]).toEqual(['/b.json', '--config']);
  });

  it('OPENCLAW_STATE_DIR: openclaw.json, then clawdbot.json, then canonical', () => {
    const env = { HOME: H, OPENCLAW_STATE_DIR: '/srv/state' };
    expect(resolveOpenClawPaths({ env, exists: fs('/srv/state/clawdbot.json') })).toMatchObject({
      stateDir: '/srv/state',
      stateDirSource: 'OPENCLAW_STATE_DIR',
      configPath: '/srv/state/clawdbot.json',
      configPathSource: 'state-dir',
      legacy: true,
    });
    expect(resolveOpenClawPaths({ env, exists: fs('/srv/state/clawdbot.json', '/srv/state/openclaw.json') }).configPath).toBe('/srv/state/openclaw.json');
    expect(resolveOpenClawPaths({ env, exists: fs() })).toMatchObject({ configPath: '/srv/state/openclaw.json', configPathSource: 'state-dir' });
  });

  it('with OPENCLAW_STATE_DIR set but empty, an existing ~/.openclaw/openclaw.json still wins (as in OpenClaw)', () => {
    const p = resolveOpenClawPaths({ env: { HOME: H, OPENCLAW_STATE_DIR: '/srv/state' }, exists: fs(`${H}/.openclaw/openclaw.json`) });
    expect(p.stateDir).toBe('/srv/state');
    expect([p.configPath, p.configPathSource]).toEqual([`${H}/.openclaw/openclaw.json`, 'default']);
  });

  it('uses the legacy ~/.clawdbot dir only if it exists and ~/.openclaw does not', () => {
    const legacyOnly = resolveOpenClawPaths({ env: { HOME: H }, exists: fs(`${H}/.clawdbot`, `${H}/.clawdbot/clawdbot.json`) });
    expect(legacyOnly).toMatchObject({
      stateDir: `${H}/.clawdbot`,
      stateDirSource: 'legacy',
      configPath: `${H}/.clawdbot/clawdbot.json`,
      configPathSource: 'legacy',
      legacy: true,
    });
    const both = resolveOpenClawPaths({ env: { HOME: H }, exists: fs(`${H}/.openclaw`, `${H}/.clawdbot`) });
    expect(both).toMatchObject({ stateDir: `${H}/.openclaw`, configPath: `${H}/.openclaw/openclaw.json`, legacy: false });
    const emptyLegacyDir = resolveOpenClawPaths({ env: { HOME: H }, exists: fs(`${H}/.clawdbot`) });
    expect(emptyLegacyDir).toMatchObject({ configPath: `${H}/.clawdbot/openclaw.json`, configPathSource: 'legacy', legacy: true });
  });

  it('picks ~/.openclaw/clawdbot.json before the legacy dir', () => {
    const p = resolveOpenClawPaths({ env: { HOME: H }, exists: fs(`${H}/.openclaw/clawdbot.json`, `${H}/.clawdbot/openclaw.json`) });
    expect(p.configPath).toBe(`${H}/.openclaw/clawdbot.json`);
    expect(p.legacy).toBe(true);
  });
});

describe('resolveOpenClawPaths: profiles', () => {
  it('--profile NAME moves state and config to ~/.openclaw-NAME', () => {
    const p = resolveOpenClawPaths({ env: { HOME: H }, profile: 'work', exists: fs(`${H}/.openclaw/openclaw.json`) });
    expect(p).toMatchObject({
      stateDir: `${H}/.openclaw-work`,
      stateDirSource: 'profile',
      configPath: `${H}/.openclaw-work/openclaw.json`,
      configPathSource: 'profile',
      profile: 'work',
      profileSource: 'flag',
    });
  });

  it('--dev is the dev profile', () => {
    const p = resolveOpenClawPaths({ env: { HOME: H }, dev: true, exists: fs() });
    expect([p.stateDir, p.profile, p.profileSource]).toEqual([`${H}/.openclaw-dev`, 'dev', 'flag']);
  });

  it('the flag beats OPENCLAW_PROFILE in the environment', () => {
    const p = resolveOpenClawPaths({ env: { HOME: H, OPENCLAW_PROFILE: 'home' }, profile: 'work', exists: fs() });
    expect([p.stateDir, p.profile]).toEqual([`${H}/.openclaw-work`, 'work']);
  });

  it('OPENCLAW_PROFILE alone names the profile but does not move the state dir', () => {
    const p = resolveOpenClawPaths({ env: { HOME: H, OPENCLAW_PROFILE: 'work' }, exists: fs() });
    expect(p).toMatchObject({ stateDir: `${H}/.openclaw`, configPath: `${H}/.openclaw/openclaw.json`, profile: 'work', profileSource: 'env' });
  });

  it('the flag keeps a user-set OPENCLAW_STATE_DIR and OPENCLAW_CONFIG_PATH (applyCliProfileEnv)', () => {
    const p = resolveOpenClawPaths({ env: { HOME: H, OPENCLAW_STATE_DIR: '/srv/s' }, profile: 'work', exists: fs() });
    expect(p).toMatchObject({ stateDir: '/srv/s', stateDirSource: 'OPENCLAW_STATE_DIR', configPath: '/srv/s/openclaw.json', configPathSource: 'profile' });
    const q = resolveOpenClawPaths({ env: { HOME: H, OPENCLAW_CONFIG_PATH: '/c.json' }, profile: 'work', exists: fs() });
    expect([q.stateDir, q.configPath, q.configPathSource]).toEqual([`${H}/.openclaw-work`, '/c.json', 'OPENCLAW_CONFIG_PATH']);
  });

  it('the flag replaces a state dir and config that point at the previous profile', () => {
    const p = resolveOpenClawPaths({
      env: { HOME: H, OPENCLAW_PROFILE: 'home', OPENCLAW_STATE_DIR: `${H}/.openclaw-home`, OPENCLAW_CONFIG_PATH: '~/.openclaw-home/openclaw.json' },
      profile: 'work',
      exists: fs(),
    });
    expect([p.stateDir, p.configPath]).toEqual([`${H}/.openclaw-work`, `${H}/.openclaw-work/openclaw.json`]);
  });

  it('refuses an invalid profile name instead of building a path from it', () => {
    expect(() => resolveOpenClawPaths({ env: { HOME: H }, profile: '../evil', exists: fs() })).toThrow(UsageError);
  });

  it('D11: --profile work.prod is a UsageError, never the default profile', () => {
    let err: unknown;
    try {
      resolveOpenClawPaths({ env: { HOME: H }, profile: 'work.prod', exists: fs() });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toMatch(/invalid --profile "work\.prod": use letters, digits/);
  });

  it('validateProfileName follows OpenClaw: [A-Za-z0-9][A-Za-z0-9_-]{0,63}, untrimmed', () => {
    for (const ok of ['work', 'Work_2', 'a', 'dev', 'default', '9-x', 'x'.repeat(64)]) expect(validateProfileName(ok)).toBeNull();
    for (const bad of ['work.prod', '../x', ' work', 'work ', '-x', '_x', 'a/b', 'x'.repeat(65), 'wörk']) {
      expect(validateProfileName(bad), bad).toMatch(/invalid --profile/);
    }
    expect(validateProfileName('')).toMatch(/requires a value/);
  });

  it('--dev with another --profile is a UsageError; --dev --profile dev names one profile', () => {
    expect(() => resolveOpenClawPaths({ env: { HOME: H }, dev: true, profile: 'work', exists: fs() })).toThrow(/cannot be combined/);
    expect(resolveOpenClawPaths({ env: { HOME: H }, dev: true, profile: 'dev', exists: fs() }).stateDir).toBe(`${H}/.openclaw-dev`);
  });

  it('an invalid OPENCLAW_PROFILE in the environment is ignored, as OpenClaw does', () => {
    const p = resolveOpenClawPaths({ env: { HOME: H, OPENCLAW_PROFILE: 'work.prod' }, exists: fs() });
    expect([p.stateDir, p.profile]).toEqual([`${H}/.openclaw`, null]);
  });

  it('--profile default is the default profile', () => {
    const p = resolveOpenClawPaths({ env: { HOME: H }, profile: 'default', exists: fs() });
    expect([p.stateDir, p.profile]).toEqual([`${H}/.openclaw`, null]);
  });
});

describe('resolveOpenClawPaths on a real filesystem', () => {
  let sb: Sandbox | undefined;
  afterEach(async () => {
    await sb?.cleanup();
    sb = undefined;
  });

  it('finds an existing legacy clawdbot.json in the sandbox state dir', async () => {
    sb = await makeSandbox();
    await writeFile(join(sb.stateDir, 'clawdbot.json'), '{}');
    const p = resolveOpenClawPaths({ env: sb.env });
    expect(p.configPath).toBe(join(sb.stateDir, 'clawdbot.json'));
    expect(p.home).toBe(sb.home);
  });

  it('chooses ~/.clawdbot when only it exists', async () => {
    sb = await makeSandbox();
    const legacy = join(sb.home, '.clawdbot');
    await mkdir(legacy);
    const { rm } = await import('node:fs/promises');
    await rm(sb.stateDir, { recursive: true });
    const p = resolveOpenClawPaths({ env: sb.env });
    expect([p.stateDir, p.stateDirSource]).toEqual([legacy, 'legacy']);
  });
});

describe('resolveGatewayPort', () => {
  it('implements FNV-1a 32 (published test vectors)', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
    expect(profilePort('a')).toBe(22220);
    expect(profilePort('foobar')).toBe(35720);
  });

  it('hashes UTF-8 bytes, not UTF-16 code units', () => {
    // "é" is two UTF-8 bytes (c3 a9).
    const manual = Math.imul((Math.imul(0x811c9dc5 ^ 0xc3, 16777619) >>> 0) ^ 0xa9, 16777619) >>> 0;
    expect(fnv1a32('é')).toBe(manual);
  });

  it('follows flag > env > dev > config > profile > default', () => {
    const env = { OPENCLAW_GATEWAY_PORT: '20001' };
    expect(resolveGatewayPort({ flag: 1234, env, configPort: 555, profile: null })).toEqual({ port: 1234, source: 'flag' });
    expect(resolveGatewayPort({ env, configPort: 555, profile: 'dev' })).toEqual({ port: 20001, source: 'env' });
    expect(resolveGatewayPort({ env: {}, configPort: 555, profile: 'dev' })).toEqual({ port: 19001, source: 'dev' });
    expect(resolveGatewayPort({ env: {}, configPort: 555, profile: 'work' })).toEqual({ port: 555, source: 'config' });
    expect(resolveGatewayPort({ env: {}, configPort: null, profile: 'foobar' })).toEqual({ port: 35720, source: 'profile' });
    expect(resolveGatewayPort({ env: {}, configPort: null, profile: null })).toEqual({ port: 18789, source: 'default' });
    expect(resolveGatewayPort({ env: {}, configPort: 0, profile: 'default' })).toEqual({ port: 18789, source: 'default' });
  });

  it('a dev profile from the environment only is hashed like any profile, after gateway.port', () => {
    expect(resolveGatewayPort({ env: {}, configPort: 555, profile: 'dev', profileSource: 'env' })).toEqual({ port: 555, source: 'config' });
    expect(resolveGatewayPort({ env: {}, configPort: null, profile: 'dev', profileSource: 'env' })).toEqual({
      port: profilePort('dev'),
      source: 'profile',
    });
  });

  it('reads OPENCLAW_PROFILE from env when no profile is given', () => {
    expect(resolveGatewayPort({ env: { OPENCLAW_PROFILE: 'a' }, configPort: null, profile: null })).toEqual({ port: 22220, source: 'profile' });
  });

  it('accepts the OPENCLAW_GATEWAY_PORT forms OpenClaw accepts', () => {
    expect(parseGatewayPortEnv('18790')).toBe(18790);
    expect(parseGatewayPortEnv(' 127.0.0.1:18791 ')).toBe(18791);
    expect(parseGatewayPortEnv('[::1]:18792')).toBe(18792);
    expect(parseGatewayPortEnv('localhost:abc')).toBeNull();
    expect(parseGatewayPortEnv('::1:18792')).toBeNull();
    expect(parseGatewayPortEnv('70000')).toBeNull();
    expect(parseGatewayPortEnv('0')).toBeNull();
    expect(parseGatewayPortEnv('')).toBeNull();
    // An unparsable env value falls through to the next rule.
    expect(resolveGatewayPort({ env: { OPENCLAW_GATEWAY_PORT: 'nope' }, configPort: 555, profile: null }).source).toBe('config');
  });
});

describe('resolveLogFile', () => {
  const date = new Date(2026, 8, 6, 23, 30); // local time: 2026-09-06

  it('uses logging.file alone when configured', () => {
    expect(resolveLogFile({ configLogFile: '/var/log/gw.log', profile: 'work', date })).toEqual(['/var/log/gw.log']);
    expect(resolveLogFile({ configLogFile: '~/gw.log', profile: null, date, home: H })).toEqual([`${H}/gw.log`]);
  });

  it('rolls a configured legacy default-shaped name to the date', () => {
    expect(resolveLogFile({ configLogFile: '/x/openclaw-2026-01-01.log', profile: null, date })).toEqual(['/x/openclaw-2026-09-06.log']);
    expect(resolveLogFile({ configLogFile: '/x/openclaw-YYYY-MM-DD.log', profile: null, date })).toEqual(['/x/openclaw-2026-09-06.log']);
  });

  it('defaults to /tmp/openclaw then tmpdir/openclaw-<uid>', () => {
    expect(resolveLogFile({ configLogFile: null, profile: null, date, tmpdir: '/var/tmp', uid: 501 })).toEqual([
      '/tmp/openclaw/openclaw-2026-09-06.log',
      '/var/tmp/openclaw-501/openclaw-2026-09-06.log',
    ]);
  });

  it('names profile logs with the encoded profile', () => {
    expect(resolveLogFile({ configLogFile: null, profile: 'dev', date, tmpdir: '/t', uid: 0 })[0]).toBe('/tmp/openclaw/openclaw-dev-2026-09-06.log');
    expect(resolveLogFile({ configLogFile: null, profile: 'default', date, tmpdir: '/t', uid: 0 })[0]).toBe('/tmp/openclaw/openclaw-2026-09-06.log');
    expect(encodeLogProfileSegment('My_pro-1')).toBe('-1my-0pro--1');
  });
});

describe('tildify', () => {
  it('shortens only a whole home prefix', () => {
    expect(tildify('/home/ana/.openclaw/.env', '/home/ana')).toBe('~/.openclaw/.env');
    expect(tildify('/home/ana', '/home/ana/')).toBe('~');
    expect(tildify('/home/anabel/x', '/home/ana')).toBe('/home/anabel/x');
    expect(tildify('/etc/x', null)).toBe('/etc/x');
  });
});
