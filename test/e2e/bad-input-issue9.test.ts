/**
 * Hostile and unlucky input (D1..D23 and the concurrent-run lock): one case per defect, each
 * running the built CLI against a sandbox HOME and a fake gateway on loopback, asserting what the
 * rule demands, and every CLI run measured (support/measure.ts: under 2 s and 200 MB RSS).
 * D11 and D21 are rows of the bad-arguments table in bad-input.test.ts, measured the same way.
 */
import { execFileSync } from 'node:child_process';
import { chmod, lstat, mkdir, readdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import JSON5 from 'json5';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireRunLock } from '../../src/actions/run-lock.js';
import { probeGateway } from '../../src/gateway/probe.js';
import { fakeGateway, type FakeGateway, type FakeGatewayOptions } from '../support/fake-gateway.js';
import { measured } from '../support/measure.js';
import { fakeToken, freePort } from '../support/sandbox.js';
import { checkOf, cleanupAll, diagnoseJson, e2eSandbox, expectClean, runCli, stub, writeConfig, type CliRun, type E2eSandbox } from '../support/e2e.js';
import type { RunOptions } from '../support/cli.js';
import { canRunAsOtherUid, NO_PASSWD_UID } from '../support/other-uid.js';
import { stubDocker } from '../support/stub-docker.js';

const A = fakeToken('alpha');
const B = fakeToken('bravo');
const R = fakeToken('remote');
const PW = 'pw-secret-0123456789';

afterEach(cleanupAll);

const composeWithEnvToken = 'services:\n  openclaw-gateway:\n    image: x\n    environment:\n      OPENCLAW_GATEWAY_TOKEN: ${OPENCLAW_GATEWAY_TOKEN}\n';

const cli = (sb: E2eSandbox, args: string[], opts: RunOptions = {}) => measured((m) => runCli(sb, args, { ...opts, ...m }));
const diagnose = (sb: E2eSandbox, args: string[] = [], opts: RunOptions = {}) => measured((m) => diagnoseJson(sb, args, { ...opts, ...m }));
const gateway = (sb: E2eSandbox, opts: FakeGatewayOptions = {}): Promise<FakeGateway> => fakeGateway({ logFile: sb.logFile, failedAuthDelayMs: 20, ...opts });

function expectRanCleanly(r: CliRun, secrets: string[] = [A, B]): void {
  expect(r.exitCode === 0 || r.exitCode === 1 || r.exitCode === 3).toBe(true);
  expect(r.stderr).not.toMatch(/internal error|Maximum call stack/);
  expectClean(r, secrets);
}

/** The ambiguous-auth config (token and password, no mode): `fix --yes` sets gateway.auth.mode=token. */
const ambiguousJson5 = (port: number, extra = '') =>
  `// my config\n{\n    gateway: {\n        mode: "local", port: ${port},\n        auth: { token: "${A}", password: "${PW}" }, // both\n    },\n    big: 12345678901234567890,\n    version: 1.10,\n    dup: 1,\n    dup: 2,\n${extra}    meta: { lastTouchedVersion: "2026.9.6" },\n}\n`;

describe('issue 9: hostile and unlucky input, one case per defect', () => {
  it('D1: a config nested 5000 levels deep is never replaced by a fresh object', async () => {
    const sb = await e2eSandbox({ openclaw: false });
    const gw = await gateway(sb, { token: A });
    const deep = '{"a":'.repeat(5000) + '1' + '}'.repeat(5000);
    const before = ambiguousJson5(gw.port, `    deep: ${deep},\n`);
    await writeFile(sb.configPath, before);
    const d = await diagnose(sb);
    expectRanCleanly(d);
    const r = await cli(sb, ['fix', '--yes']);
    expectRanCleanly(r);
    const after = await readFile(sb.configPath, 'utf8');
    // Either refused (unchanged) or edited in place: the deep value and every other byte stay.
    expect(after.includes(`    deep: ${deep},\n`)).toBe(true);
    expect(after.length).toBeGreaterThanOrEqual(before.length);
  });

  it('D2: /dev/zero and a FIFO where a compose file, env_file or .env is expected end quickly as per-file errors', async () => {
    const sb = await e2eSandbox();
    const gw = await gateway(sb, { token: A });
    await writeConfig(sb, { gateway: { mode: 'local', port: gw.port, auth: { mode: 'token', token: A } } });
    await symlink('/dev/zero', join(sb.stateDir, '.env'));
    const fifo = join(sb.root, 'fifo');
    execFileSync('mkfifo', [fifo]);
    await writeFile(join(sb.cwd, 'compose.yaml'), `services:\n  openclaw-gateway:\n    image: x\n    env_file: [/dev/zero, ${fifo}]\n`);
    const j = await diagnose(sb);
    expectRanCleanly(j);
    expect(checkOf(j.report, 'dotenv').note).toMatch(/\.env: .*(device|not a regular file)/);
    expect(checkOf(j.report, 'compose').note).toMatch(/\/dev\/zero/);
    const viaFlag = await diagnose(sb, ['--compose-file', '/dev/zero']);
    expectRanCleanly(viaFlag);
    expect(checkOf(viaFlag.report, 'compose').note).toMatch(/\/dev\/zero/);
    const viaFifo = await diagnose(sb, ['--compose-file', fifo]);
    expectRanCleanly(viaFifo);
  });

  it('D3: an origin from the log that carries shell code is quoted so the printed fix runs no code', async () => {
    const sb = await e2eSandbox();
    const gw = await gateway(sb, { token: A, allowedOrigins: ['http://127.0.0.1:1'] });
    await writeConfig(sb, { gateway: { mode: 'local', port: gw.port, auth: { mode: 'token', token: A } } });
    const evil = "http://evil'$(touch${IFS}pwned)'";
    await probeGateway({ url: gw.url, token: A, timeoutMs: 3000, clientId: 'openclaw-control-ui', clientMode: 'webchat', origin: evil });
    const r = await cli(sb, ['diagnose']);
    expectRanCleanly(r);
    const line = r.stdout.split('\n').find((l) => l.includes('allowedOrigins') && l.includes('config set'));
    expect(line, r.stdout).toBeDefined();
    const command = line!.replace(/^[\s│$]*/, '').replace(/[\s│]*$/, '');
    // Paste it into a shell whose `openclaw` prints its arguments: the origin arrives whole, nothing runs.
    await stub(sb, 'openclaw', 'for a in "$@"; do printf "%s\\n" "$a"; done');
    const out = execFileSync('/bin/sh', ['-c', command], { cwd: sb.root, env: { PATH: sb.path }, encoding: 'utf8' });
    expect(existsSync(join(sb.root, 'pwned'))).toBe(false);
    expect(JSON.parse(out.trim().split('\n').at(-1)!)).toContain(evil);
  });

  it('D4+D5: the no-CLI edit changes only the bytes it sets, through a symlink, keeping the mode', async () => {
    const sb = await e2eSandbox({ openclaw: false });
    const gw = await gateway(sb, { token: A });
    const real = join(sb.root, 'dotfiles', 'openclaw.json');
    await mkdir(join(sb.root, 'dotfiles'));
    const before = ambiguousJson5(gw.port);
    await writeFile(real, before, { mode: 0o640 });
    await chmod(real, 0o640);
    await symlink(real, sb.configPath);
    const r = await cli(sb, ['fix', '--yes']);
    expectRanCleanly(r, [A, B, PW]);
    expect((await lstat(sb.configPath)).isSymbolicLink()).toBe(true);
    expect((await stat(real)).mode & 0o777).toBe(0o640);
    const after = await readFile(real, 'utf8');
    expect(JSON5.parse<{ gateway: { auth: { mode: string } } }>(after).gateway.auth.mode).toBe('token');
    // Removing the one inserted member gives back the original bytes.
    const inserted = after.length - before.length;
    expect(inserted).toBeGreaterThan(0);
    let i = 0;
    while (after[i] === before[i]) i++;
    expect(after.slice(0, i) + after.slice(i + inserted)).toBe(before);
    for (const kept of ['12345678901234567890', '1.10', 'dup: 1,', 'dup: 2,', '// my config', '// both']) expect(after).toContain(kept);
  });

  it('D6: in remote mode gateway.remote.token goes first; neither the local token nor the password is sent', async () => {
    const sb = await e2eSandbox();
    const gw = await gateway(sb, { token: R });
    await writeConfig(sb, { gateway: { mode: 'remote', remote: { url: gw.url, token: R }, auth: { mode: 'token', token: A, password: PW } } });
    const j = await diagnose(sb);
    expectRanCleanly(j, [A, R, PW]);
    expect(gw.connections.length).toBe(1);
    expect(gw.connections[0]).toMatchObject({ outcome: 'hello-ok', presentedCorrectToken: true });
  });

  it('D7: fix --yes against a remote gateway sends at most 3 failing attempts for the whole run', async () => {
    const sb = await e2eSandbox();
    const gw = await gateway(sb, { token: B });
    await writeConfig(sb, { gateway: { mode: 'local', port: gw.port, auth: { mode: 'token', token: A } } });
    await writeFile(join(sb.stateDir, '.env'), `OPENCLAW_GATEWAY_TOKEN=${fakeToken('stale1')}\n`);
    await writeFile(join(sb.cwd, '.env'), `OPENCLAW_GATEWAY_TOKEN=${fakeToken('stale2')}\n`);
    // 0.0.0.0 is not loopback (so the remote cap applies) yet reaches the fake gateway on this host.
    const r = await cli(sb, ['fix', '--yes', '--url', `ws://0.0.0.0:${gw.port}`, '--allow-insecure-ws']);
    expectRanCleanly(r);
    const failing = gw.connections.filter((c) => c.outcome !== 'hello-ok');
    expect(failing.length).toBeGreaterThan(0);
    expect(failing.length).toBeLessThanOrEqual(3);
  });

  it('D8: a .env of 100 000 lines is read whole, its last line included', async () => {
    const sb = await e2eSandbox();
    const gw = await gateway(sb, { token: A });
    await writeConfig(sb, { gateway: { mode: 'local', port: gw.port, auth: { mode: 'token', token: A } } });
    // Short lines: 100 000 of them stay under the 1 MB OpenClaw reads.
    const lines = Array.from({ length: 100_000 }, (_, i) => `K${i % 10}=v`);
    await writeFile(join(sb.cwd, '.env'), [...lines, `OPENCLAW_GATEWAY_TOKEN=${B}`].join('\n') + '\n');
    const j = await diagnose(sb);
    expectRanCleanly(j);
    expect(j.report.sources.map((s) => s.label)).toContain(`${join(sb.cwd, '.env')} line 100001 (OPENCLAW_GATEWAY_TOKEN)`);
  });

  it('D8: a .env with a long run of blank lines before a line that is no assignment is read and edited within the limits', async () => {
    // dotenv's own parse() rescans such a run from each of its lines: 50 000 took it 4.8 s, once
    // per read. The gateway's ${VAR} environment and the edit's read-back went through it.
    const sb = await e2eSandbox();
    const gw = await gateway(sb, { token: A });
    await writeConfig(sb, { gateway: { mode: 'local', port: gw.port, auth: { mode: 'token', token: A } } });
    const stateEnv = join(sb.stateDir, '.env');
    await writeFile(stateEnv, `not an assignment\n${'\n'.repeat(50_000)}also not one\nOPENCLAW_GATEWAY_TOKEN=${B}\n`);
    const j = await diagnose(sb);
    expectRanCleanly(j);
    expect(j.report.sources.map((s) => s.label)).toContain(`~/.openclaw/.env line 50003 (OPENCLAW_GATEWAY_TOKEN)`);
    const r = await cli(sb, ['fix', '--yes']);
    expectRanCleanly(r);
    expect((await readFile(stateEnv, 'utf8')).split('\n')[50_002]).toMatch(/^# OPENCLAW_GATEWAY_TOKEN=/);
  });

  it('D9: a compose file with << merge keys nested seven levels deep is read through, bounded', async () => {
    const sb = await e2eSandbox();
    const gw = await gateway(sb, { token: A });
    await writeConfig(sb, { gateway: { mode: 'local', port: gw.port, auth: { mode: 'token', token: A } } });
    let y = `x-l0: &l0\n  OPENCLAW_GATEWAY_TOKEN: ${B}\n`;
    for (let l = 1; l <= 7; l++) y += `x-l${l}: &l${l}\n  <<: [${Array.from({ length: 8 }, () => `*l${l - 1}`).join(', ')}]\n  K${l}: v\n`;
    await writeFile(join(sb.cwd, 'compose.yaml'), `${y}services:\n  openclaw-gateway:\n    image: x\n    environment:\n      <<: *l7\n`);
    const j = await diagnose(sb);
    expectRanCleanly(j);
    expect(j.report.sources.map((s) => s.label)).toContain('compose.yaml line 2 (openclaw-gateway OPENCLAW_GATEWAY_TOKEN)');
  });

  it('D10: fix --dry-run writes nothing at all, so --resume has nothing to skip', async () => {
    const sb = await e2eSandbox({ openclaw: false });
    const gw = await gateway(sb, { token: A });
    await writeFile(sb.configPath, ambiguousJson5(gw.port));
    const list = async () => (await readdir(sb.root, { recursive: true })).sort();
    const before = await list();
    const configBefore = await readFile(sb.configPath, 'utf8');
    const dry = await cli(sb, ['fix', '--dry-run']);
    expectRanCleanly(dry, [A, B, PW]);
    expect(await list()).toEqual(before);
    expect(await readFile(sb.configPath, 'utf8')).toBe(configBefore);
    const resumed = await cli(sb, ['fix', '--yes', '--resume']);
    expectRanCleanly(resumed, [A, B, PW]);
    expect(JSON5.parse<{ gateway: { auth: { mode?: string } } }>(await readFile(sb.configPath, 'utf8')).gateway.auth.mode).toBe('token');
  });

  it('D12: a token with # is written to the Docker .env quoted, and dotenv reads all of it back', async () => {
    const sb = await e2eSandbox({ docker: 'none' });
    const hashToken = `test-token-has#hash-${'x'.repeat(28)}`;
    const gw = await gateway(sb, { token: hashToken });
    await writeConfig(sb, { gateway: { mode: 'local', port: gw.port, auth: { mode: 'token', token: hashToken } } });
    await writeFile(join(sb.cwd, '.env'), `OPENCLAW_GATEWAY_TOKEN=${B}\n`);
    await writeFile(join(sb.cwd, 'compose.yaml'), composeWithEnvToken);
    // The project in the working directory runs the gateway, so --yes may recreate it (D22).
    await stubDocker(sb, { container: { port: gw.port, projectDir: sb.cwd } });
    const r = await cli(sb, ['fix', '--yes']);
    expectRanCleanly(r, [hashToken, B]);
    expect(parseDotenv(await readFile(join(sb.cwd, '.env'), 'utf8')).OPENCLAW_GATEWAY_TOKEN).toBe(hashToken);
  });

  it('D13: a failing openclaw config set that echoes its argument shows no piece of the token', async () => {
    const sb = await e2eSandbox();
    const gw = await gateway(sb, { token: A });
    // A config that spreads over $include files is changed through `openclaw config set` (the only path that runs the CLI).
    await writeFile(join(sb.stateDir, 'extra.json'), '{}\n');
    await writeFile(sb.configPath, JSON.stringify({ $include: './extra.json', gateway: { mode: 'local', port: gw.port, auth: { token: A, password: PW } }, logging: { file: sb.logFile } }));
    const argv = join(sb.root, 'argv');
    await stub(sb, 'openclaw', `printf '%s\\n' "$@" >> ${argv}\necho "Error: invalid value for $*: $*" >&2\nexit 1`);
    const r = await cli(sb, ['fix', '--yes']);
    expectRanCleanly(r, [A, B, PW]);
    const out = r.stdout + r.stderr;
    for (const secret of [A, PW]) for (let i = 0; i + 8 <= secret.length; i++) expect(out).not.toContain(secret.slice(i, i + 8).replace(/^test-tok/, '\u0000'));
    expect(existsSync(argv)).toBe(true);
  });

  it('D14: escape sequences in log fields never reach the terminal', async () => {
    const sb = await e2eSandbox();
    const gw = await gateway(sb, { token: A });
    await writeConfig(sb, { gateway: { mode: 'local', port: gw.port, auth: { mode: 'token', token: A } } });
    const nasty = '\u001b]52;c;ZXZpbA==\u0007\u001b[2J\u001b]0;pwned\u0007';
    gw.log({
      level: 'WARN',
      subsystem: 'gateway/ws',
      message: `unauthorized conn=1 peer=127.0.0.1:5 remote=127.0.0.1 client=openclaw-control-ui${nasty} webchat v1 role=operator scopes=0 auth=token device=no platform=linux instance=n/a host=n/a origin=http://x${nasty} ua=n/a reason=token_mismatch`,
    });
    for (const args of [['diagnose'], ['diagnose', '--json']]) {
      const r = await cli(sb, args);
      expectRanCleanly(r);
      expect(r.stdout + r.stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    }
  });

  it('D15: --log-file a FIFO and an EnvironmentFile= FIFO: the report is printed and the run exits', async () => {
    const sb = await e2eSandbox();
    const gw = await gateway(sb, { token: A });
    await writeConfig(sb, { gateway: { mode: 'local', port: gw.port, auth: { mode: 'token', token: A } } });
    const fifo = join(sb.root, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const unitDir = join(sb.home, '.config', 'systemd', 'user');
    await mkdir(unitDir, { recursive: true });
    await writeFile(join(unitDir, 'openclaw-gateway.service'), `[Service]\nExecStart=/usr/bin/openclaw gateway run\nEnvironmentFile=${fifo}\n`);
    const r = await cli(sb, ['diagnose', '--log-file', fifo]);
    expectRanCleanly(r);
    expect(r.stdout).toContain(fifo);
  });

  it('D16: --report into a missing directory says so and prints the report; an existing report is not overwritten', async () => {
    const sb = await e2eSandbox();
    const gw = await gateway(sb, { token: A });
    await writeConfig(sb, { gateway: { mode: 'local', port: gw.port, auth: { mode: 'token', token: A } } });
    const missing = join(sb.root, 'no-such-dir', 'report.md');
    const r = await cli(sb, ['support', '--yes', '--report', missing]);
    expect(r.stdout).toContain(`The report was not written: could not write ${missing}: the directory does not exist.`);
    expect(r.stdout).toContain('# OpenClaw gateway token: support report');
    expect(r.stdout).not.toContain('Report written');
    expect(r.exitCode).toBe(1);
    const existing = join(sb.root, 'report.md');
    await writeFile(existing, 'keep me\n');
    const again = await cli(sb, ['support', '--yes', '--report', existing]);
    expect(again.exitCode).toBe(2);
    expect(again.stderr).toContain(`${existing} already exists: add --force to overwrite it`);
    expect(await readFile(existing, 'utf8')).toBe('keep me\n');
  });

  it.runIf(canRunAsOtherUid)('D16: a config directory the run cannot write to: the edit is shown as failed, with the reason', async () => {
    const sb = await e2eSandbox({ openclaw: false });
    const gw = await gateway(sb, { token: A });
    await writeFile(sb.configPath, ambiguousJson5(gw.port));
    // Another uid reads everything but can write nowhere under the state dir.
    for (const d of [sb.root, sb.home, sb.stateDir, sb.cwd, sb.bin]) await chmod(d, 0o755);
    await chmod(sb.configPath, 0o644);
    const before = await readFile(sb.configPath, 'utf8');
    const r = await cli(sb, ['fix', '--yes'], { uid: NO_PASSWD_UID });
    expectRanCleanly(r, [A, B, PW]);
    expect(await readFile(sb.configPath, 'utf8')).toBe(before);
    // Said where it happens, right after the yes, and again among the failures at the end.
    expect(r.stdout).toMatch(/Make token auth explicit\? yes \(--yes\)\n│\n■ {2}failed: EACCES: permission denied, mkdir '[^']*otw-backups'\n/);
    expect(r.stdout).toMatch(/Failed:\n│ {4}• Make token auth explicit: failed: EACCES: permission denied/);
    expect(r.stdout).toContain(`No run lock: ${sb.stateDir} is not writable (permission denied)`);
    expect(r.stdout).not.toContain('Changed:');
  });

  it('D17: a token in the config env block does not stop the stale .env files from being commented out', async () => {
    const sb = await e2eSandbox();
    const gw = await gateway(sb, { token: A });
    await writeConfig(sb, { gateway: { mode: 'local', port: gw.port, auth: { mode: 'token', token: A } }, env: { OPENCLAW_GATEWAY_TOKEN: B } });
    const stateEnv = join(sb.stateDir, '.env');
    const cwdEnv = join(sb.cwd, '.env');
    await writeFile(stateEnv, `OPENCLAW_GATEWAY_TOKEN=${B}\n`);
    await writeFile(cwdEnv, `OPENCLAW_GATEWAY_TOKEN=${B}\n`);
    const r = await cli(sb, ['fix', '--yes']);
    expectRanCleanly(r);
    for (const f of [stateEnv, cwdEnv]) expect(await readFile(f, 'utf8')).toMatch(/^# OPENCLAW_GATEWAY_TOKEN=/);
    expect(r.stdout).toContain('still to do by hand: openclaw config unset env.OPENCLAW_GATEWAY_TOKEN');
  });

  it('D18: a failed docker compose up is listed as failed with its reason, never as changed', async () => {
    const sb = await e2eSandbox({ docker: 'none' });
    const gw = await gateway(sb, { token: A });
    await writeConfig(sb, { gateway: { mode: 'local', port: gw.port, auth: { mode: 'token', token: A } } });
    await writeFile(join(sb.cwd, '.env'), `OPENCLAW_GATEWAY_TOKEN=${B}\n`);
    await writeFile(join(sb.cwd, 'compose.yaml'), composeWithEnvToken);
    const docker = await stubDocker(sb, { container: { port: gw.port, projectDir: sb.cwd }, upFails: 'Error response from daemon: pull access denied for openclaw' });
    const r = await cli(sb, ['fix', '--yes']);
    expectRanCleanly(r);
    expect(await readFile(docker.calls, 'utf8')).toContain(`cwd=${sb.cwd} argv=compose -p proj up -d openclaw-gateway`);
    expect(r.stdout).toMatch(/Failed[\s\S]*• Make Docker pass the same token as the config: .*docker compose -p proj up -d openclaw-gateway failed: .*pull access denied for openclaw/);
    expect(r.stdout).not.toContain('recreated the gateway container');
    expect(r.stdout).not.toContain('the container was recreated');
  });

  it('D18: a failed openclaw gateway install --force is listed as failed with its reason, never as changed', async () => {
    const sb = await e2eSandbox();
    const gw = await gateway(sb, { token: A });
    await writeConfig(sb, { gateway: { mode: 'local', port: gw.port, auth: { mode: 'token', token: A } } });
    const unitDir = join(sb.home, '.config', 'systemd', 'user');
    await mkdir(unitDir, { recursive: true });
    await writeFile(join(unitDir, 'openclaw-gateway.service'), `[Service]\nExecStart=/usr/bin/node /opt/openclaw/dist/index.js gateway --port ${gw.port}\nEnvironment=OPENCLAW_GATEWAY_TOKEN=${B}\n`);
    const argv = join(sb.root, 'openclaw-argv');
    await stub(
      sb,
      'openclaw',
      `echo "$*" >> ${argv}\ncase "$*" in\n  "gateway install --force") echo "Gateway service install failed: systemctl --user unavailable: Failed to connect to bus" >&2; exit 1 ;;\n  *) echo "openclaw stub: $*" >&2; exit 3 ;;\nesac`,
    );
    const r = await cli(sb, ['fix', '--yes']);
    expectRanCleanly(r);
    expect(await readFile(argv, 'utf8')).toContain('gateway install --force');
    expect(r.stdout).toMatch(/Failed[\s\S]*• Reinstall the gateway service so it stops carrying an old token: openclaw gateway install --force failed: .*Failed to connect to bus/);
    expect(r.stdout).not.toContain('ran openclaw gateway install --force');
    expect(r.stdout).not.toContain('service reinstalled');
  });

  it('D19: a .env backup is 0600 and kept under the state dir, whatever the source mode', async () => {
    const sb = await e2eSandbox();
    const gw = await gateway(sb, { token: A });
    await writeConfig(sb, { gateway: { mode: 'local', port: gw.port, auth: { mode: 'token', token: A } } });
    const cwdEnv = join(sb.cwd, '.env');
    await writeFile(cwdEnv, `OPENCLAW_GATEWAY_TOKEN=${B}\n`, { mode: 0o644 });
    await chmod(cwdEnv, 0o644);
    const r = await cli(sb, ['fix', '--yes']);
    expectRanCleanly(r);
    expect(await readFile(cwdEnv, 'utf8')).toMatch(/^# OPENCLAW_GATEWAY_TOKEN=/);
    expect((await readdir(sb.cwd)).sort()).toEqual(['.env']);
    const all = (await readdir(sb.stateDir, { recursive: true })).map((f) => join(sb.stateDir, f));
    const backups: string[] = [];
    for (const f of all) if ((await stat(f)).isFile() && (await readFile(f, 'utf8')) === `OPENCLAW_GATEWAY_TOKEN=${B}\n`) backups.push(f);
    expect(backups.length).toBe(1);
    expect((await stat(backups[0]!)).mode & 0o777).toBe(0o600);
  });

  it('D20: plain ws:// carries a token only to loopback after resolution; --allow-insecure-ws says what it risks', async () => {
    const sb = await e2eSandbox();
    const gw = await gateway(sb, { token: A });
    await writeConfig(sb, { gateway: { mode: 'local', port: gw.port, auth: { mode: 'token', token: A } } });
    const mapped = await diagnose(sb, ['--url', `ws://[::ffff:127.0.0.1]:${gw.port}`]);
    expectRanCleanly(mapped);
    expect(checkOf(mapped.report, 'probe').status).toBe('pass');
    const sent = gw.connections.length;
    const refused = await diagnose(sb, ['--url', `ws://0.0.0.0:${gw.port}`]);
    expectRanCleanly(refused);
    expect(gw.connections.filter((c) => c.presentedCorrectToken).length).toBe(sent);
    expect(checkOf(refused.report, 'probe').note).toMatch(/refusing to send a credential: .*only to loopback.*flag/);
    const allowed = await diagnose(sb, ['--url', `ws://0.0.0.0:${gw.port}`, '--allow-insecure-ws']);
    expectRanCleanly(allowed);
    expect(checkOf(allowed.report, 'probe').status).toBe('pass');
    expect(gw.connections.filter((c) => c.presentedCorrectToken).length).toBe(sent + 1);
  });

  it('D22: a hostile compose file and .env in the working directory: fix --yes recreates no container there', async () => {
    const sb = await e2eSandbox({ docker: 'none' });
    const gw = await gateway(sb, { token: A });
    await writeConfig(sb, { gateway: { mode: 'local', port: gw.port, auth: { mode: 'token', token: A } } });
    await writeFile(join(sb.cwd, '.env'), `OPENCLAW_GATEWAY_TOKEN=${B}\n`);
    await writeFile(join(sb.cwd, 'compose.yaml'), `${composeWithEnvToken}  miner:\n    image: evil/miner\n    privileged: true\n`);
    // No container publishes the gateway's port: this project is not the one running the gateway.
    const docker = await stubDocker(sb, { container: null });
    const r = await cli(sb, ['fix', '--yes']);
    expectRanCleanly(r);
    expect(existsSync(docker.calls) ? await readFile(docker.calls, 'utf8') : '').not.toMatch(/ up /);
    expect(r.stdout).toMatch(/Make Docker pass the same token as the config\? .*not the one running this gateway.* no \(needs an explicit answer in a terminal\)/);
    // Nothing of that project was started, so Docker was never handed the config token either.
    expect(parseDotenv(await readFile(join(sb.cwd, '.env'), 'utf8')).OPENCLAW_GATEWAY_TOKEN).not.toBe(A);
  });

  it('D22: the compose project that runs the gateway is recreated under --yes, from its own directory', async () => {
    const sb = await e2eSandbox({ docker: 'none' });
    const gw = await gateway(sb, { token: A });
    await writeConfig(sb, { gateway: { mode: 'local', port: gw.port, auth: { mode: 'token', token: A } } });
    await writeFile(join(sb.cwd, '.env'), `OPENCLAW_GATEWAY_TOKEN=${B}\n`);
    await writeFile(join(sb.cwd, 'compose.yaml'), composeWithEnvToken);
    const docker = await stubDocker(sb, { container: { port: gw.port, projectDir: sb.cwd } });
    const r = await cli(sb, ['fix', '--yes']);
    expectRanCleanly(r);
    expect(await readFile(docker.calls, 'utf8')).toContain(`cwd=${sb.cwd} argv=compose -p proj up -d openclaw-gateway`);
    expect(parseDotenv(await readFile(join(sb.cwd, '.env'), 'utf8')).OPENCLAW_GATEWAY_TOKEN).toBe(A);
    expect(r.stdout).toContain('recreated the gateway container');
  });

  it('D23: JSON5 config and no CLI: never a placeholder command; the new token is written into the file', async () => {
    const sb = await e2eSandbox({ openclaw: false });
    const port = await freePort();
    await writeFile(sb.configPath, `// json5\n{\n  gateway: { mode: 'local', port: ${port}, auth: { mode: 'token' } },\n}\n`);
    const r = await cli(sb, ['fix', '--yes']);
    // The shown command can be typed as it is: it makes its own token, no placeholder.
    expect(r.stdout + r.stderr).not.toMatch(/<new token/);
    expect(r.stdout).toContain(`$ openclaw config set gateway.auth.token "\\"$(openssl rand -hex 24)\\""`);
    expect(r.stdout).toContain('edited in place: openclaw CLI not found');
    const token = JSON5.parse<{ gateway: { auth: { token?: string } } }>(await readFile(sb.configPath, 'utf8')).gateway.auth.token;
    expect(token?.length ?? 0).toBeGreaterThanOrEqual(32);
    expectRanCleanly(r, [A, B, token!]);
  });

  it('lock: a second fix --yes while another run holds the state dir names the holder and changes nothing', async () => {
    const sb = await e2eSandbox({ openclaw: false });
    const gw = await gateway(sb, { token: A });
    await writeFile(sb.configPath, ambiguousJson5(gw.port));
    const before = await readFile(sb.configPath, 'utf8');
    const held = await acquireRunLock(sb.stateDir, { command: 'openclaw-token-wizard fix' });
    expect('release' in held).toBe(true);
    try {
      const r = await cli(sb, ['fix', '--yes']);
      expect(r.exitCode).toBe(1);
      expect(r.stdout).toContain(`Another openclaw-token-wizard run (pid ${process.pid}, openclaw-token-wizard fix, since `);
      expect(await readFile(sb.configPath, 'utf8')).toBe(before);
    } finally {
      if ('release' in held) await held.release();
    }
    const after = await cli(sb, ['fix', '--yes']);
    expectRanCleanly(after, [A, B, PW]);
    expect(await readFile(sb.configPath, 'utf8')).not.toBe(before);
  });
});
