import { chmod, lstat, mkdir, readFile, readdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyConfig, configCommands } from '../../src/actions/config-edit.js';
import type { ActionContext, Change } from '../../src/actions/types.js';
import { fingerprintOf, Secret } from '../../src/secret.js';
import { fakeToken, makeSandbox, type Sandbox } from '../support/sandbox.js';

let sb: Sandbox;
let changes: Change[];
beforeEach(async () => {
  sb = await makeSandbox('otw-cfgedit-');
  changes = [];
});
afterEach(async () => {
  await sb.cleanup();
});

/** Just what applyConfig reads: where the config is, whether a CLI is there, the known tokens. */
function ctx(opts: { cli?: string; tokens?: string[] } = {}): ActionContext {
  const facts = {
    config: { path: sb.configPath, exists: true },
    paths: { configPath: sb.configPath, stateDir: sb.stateDir },
    cli: opts.cli ? { found: true, path: opts.cli } : { found: false, path: null },
    sources: (opts.tokens ?? []).map((t, i) => ({ id: `t${i}`, value: new Secret(t) })),
  };
  return { env: sb.env, cwd: sb.cwd, dryRun: false, facts, record: (c: Change) => changes.push(c), remember: () => undefined } as unknown as ActionContext;
}

const JSON5_CONFIG = `{
  // hand-kept
  meta: { lastTouchedVersion: '2026.9.6' },
  limits: { big: 12345678901234567890, ratio: 1.10 },
  gateway: { auth: { mode: 'token', token: 'old' } },
}
`;

describe('applyConfig without the CLI', () => {
  it('D4: edits only the token bytes of a JSON5 config (comments, numbers, meta kept) after a 0600 backup', async () => {
    await writeFile(sb.configPath, JSON5_CONFIG);
    const token = fakeToken('d4');
    const r = await applyConfig(ctx(), 'set the token', [{ path: 'gateway.auth.token', value: token }]);
    expect(r.ok).toBe(true);
    expect(await readFile(sb.configPath, 'utf8')).toBe(JSON5_CONFIG.replace("token: 'old'", `token: '${token}'`));
    const backup = changes[0]!.backups[0]!;
    expect(await readFile(backup, 'utf8')).toBe(JSON5_CONFIG);
    expect((await lstat(backup)).mode & 0o777).toBe(0o600);
  });

  it('D1: a config that cannot be parsed (deep nesting, garbage) is never rewritten and gets no fresh object', async () => {
    const deep = `{"gateway": ${'{"a":'.repeat(20000)}1${'}'.repeat(20000)}}`;
    for (const text of [deep, '{ gateway: { auth: ', 'not json at all']) {
      await writeFile(sb.configPath, text);
      const r = await applyConfig(ctx(), 'rotate', [{ path: 'gateway.auth.token', value: fakeToken('d1') }]);
      expect(r.ok).toBe(false);
      expect(r.message).toMatch(/cannot be edited safely .*left unchanged; run these by hand: openclaw config set gateway\.auth\.token/);
      expect(await readFile(sb.configPath, 'utf8')).toBe(text);
    }
    expect(changes).toEqual([]);
  });

  it('D5: a symlinked config keeps its link; the target gets the change and keeps its mode', async () => {
    const real = join(sb.home, 'dotfiles', 'openclaw.json');
    await mkdir(join(sb.home, 'dotfiles'));
    await writeFile(real, '{\n  "gateway": {\n    "port": 18789\n  }\n}\n');
    await chmod(real, 0o640);
    await symlink(real, sb.configPath);
    const r = await applyConfig(ctx(), 'set mode', [{ path: 'gateway.auth.mode', value: 'token' }]);
    expect(r.ok).toBe(true);
    expect((await lstat(sb.configPath)).isSymbolicLink()).toBe(true);
    expect(await readFile(real, 'utf8')).toBe('{\n  "gateway": {\n    "port": 18789,\n    "auth": {\n      "mode": "token"\n    }\n  }\n}\n');
    expect((await lstat(real)).mode & 0o777).toBe(0o640);
    expect(changes[0]!.files).toEqual([real]);
  });

  it('creates a missing config (0600) with just the values set', async () => {
    const r = await applyConfig(ctx(), 'set', [{ path: 'gateway.mode', value: 'local' }]);
    expect(r.ok).toBe(true);
    expect(JSON.parse(await readFile(sb.configPath, 'utf8'))).toEqual({ gateway: { mode: 'local' } });
    expect((await lstat(sb.configPath)).mode & 0o777).toBe(0o600);
  });
});

/** A config that spreads over $include files: which file holds a value is OpenClaw's call, so its CLI edits it. */
const WITH_INCLUDE = '{\n  "$include": "./gateway.json5"\n}\n';

/** A stand-in `openclaw` that succeeds and writes each run's arguments to `calls`, a line a run. */
async function recordingCli(): Promise<{ cli: string; calls: string }> {
  const cli = join(sb.cwd, 'openclaw');
  const calls = join(sb.cwd, 'calls.log');
  await writeFile(cli, `#!/bin/sh\nprintf '%s\\n' "$*" >> '${calls}'\nexit 0\n`);
  await chmod(cli, 0o755);
  return { cli, calls };
}

describe('applyConfig with the CLI', () => {
  it('edits a plain config in place, without starting the CLI (each run is a whole OpenClaw start-up)', async () => {
    const { cli, calls } = await recordingCli();
    await writeFile(sb.configPath, JSON5_CONFIG);
    const token = fakeToken('in-place');
    const r = await applyConfig(ctx({ cli }), 'set the token', [{ path: 'gateway.auth.token', value: token }]);
    expect(r).toEqual({ ok: true, message: `set the token (${sb.configPath}, edited in place)` });
    expect(await readFile(sb.configPath, 'utf8')).toBe(JSON5_CONFIG.replace("token: 'old'", `token: '${token}'`));
    await expect(readFile(calls, 'utf8')).rejects.toThrow(/ENOENT/);
    expect(changes.at(-1)?.backups).toHaveLength(1);
  });

  it('D13: a failing config set that echoes its argument shows no piece of the token', async () => {
    const cli = join(sb.cwd, 'openclaw');
    // Echo the value back, long enough that a 300-character cut used to fall inside the token.
    await writeFile(cli, `#!/bin/sh\nprintf 'Error: %0260d invalid value %s\\n' 0 "$4" >&2\nexit 1\n`);
    await chmod(cli, 0o755);
    await writeFile(sb.configPath, WITH_INCLUDE);
    const token = 'd13+token/with=url-encoding-differences-abcdef';
    const r = await applyConfig(ctx({ cli }), 'rotate', [{ path: 'gateway.auth.token', value: token }]);
    expect(r.ok).toBe(false);
    expect(r.message).toContain('openclaw config set gateway.auth.token failed: Error: 0000');
    for (let i = 0; i + 8 <= token.length; i++) expect(r.message).not.toContain(token.slice(i, i + 8));
    expect(r.message).toContain(fingerprintOf(token).slice(0, 10));
    // The backup taken before the CLI ran is reported, under the state dir.
    expect(await readdir(join(sb.stateDir, 'otw-backups'))).toHaveLength(1);
  });

  it('a config with $include goes to the CLI: several values in one `openclaw config set --batch-json` run', async () => {
    const { cli, calls } = await recordingCli();
    await writeFile(sb.configPath, WITH_INCLUDE);
    const token = fakeToken('batch');
    const set = [
      { path: 'gateway.auth.mode', value: 'token' },
      { path: 'gateway.auth.token', value: token },
    ];
    const r = await applyConfig(ctx({ cli }), 'new token', set);
    expect(r.ok).toBe(true);
    const lines = (await readFile(calls, 'utf8')).trim().split('\n');
    expect(lines).toEqual([
      `config set --batch-json ${JSON.stringify([
        { path: 'gateway.auth.mode', value: 'token' },
        { path: 'gateway.auth.token', value: token },
      ])}`,
    ]);
    // What is recorded for the person stays the commands they were shown, one per value.
    expect(changes.at(-1)?.commands).toEqual(configCommands(set));
  });

  it('D3: printed commands are quoted for a POSIX shell', () => {
    expect(configCommands([{ path: 'gateway.controlUi.allowedOrigins', value: ["http://e'$(x)"] }])).toEqual([`openclaw config set gateway.controlUi.allowedOrigins '["http://e'\\''$(x)"]'`]);
  });
});
