/**
 * Bad input never crashes `diagnose`: each case ends as a check row or a finding with a reason,
 * exit 0 or 1, and no stack trace. Bad arguments end with exit 2 and one clear line (one JSON
 * error document with --json). Runs the built CLI: `npx tsc -p .` first. Every run is measured
 * (support/measure.ts), the D11 and D21 rows of issue 9 included.
 */
import { chmod, copyFile, mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeGateway, type FakeGateway, type FakeGatewayOptions } from '../support/fake-gateway.js';
import { measured } from '../support/measure.js';
import type { RunOptions } from '../support/cli.js';
import { fakeToken, freePort } from '../support/sandbox.js';
import {
  REPO,
  canRunAsOtherUid,
  NO_PASSWD_UID,
  checkOf,
  cleanupAll,
  diagnoseJson,
  e2eSandbox,
  expectClean,
  findingOf,
  parseOneJson,
  runCli,
  startHttpServerProcess,
  startSilentTcpProcess,
  stub,
  writeConfig,
  type CliRun,
  type E2eSandbox,
} from '../support/e2e.js';

const A = fakeToken('alpha');
const B = fakeToken('bravo');

afterEach(cleanupAll);

/** Every CLI run here is measured as in the issue-9 suite (support/measure.ts: under 2 s and 200 MB RSS). */
const cli = (sb: E2eSandbox, args: string[], opts: RunOptions = {}) => measured((m) => runCli(sb, args, { ...opts, ...m }));
const diagnose = (sb: E2eSandbox, args: string[] = [], opts: RunOptions = {}) => measured((m) => diagnoseJson(sb, args, { ...opts, ...m }));

const gateway = (sb: E2eSandbox, opts: FakeGatewayOptions = {}): Promise<FakeGateway> => fakeGateway({ logFile: sb.logFile, failedAuthDelayMs: 50, ...opts });

const localConfig = (port: number) => ({ gateway: { mode: 'local', port, auth: { mode: 'token', token: A } } });

/** Ran to the end: exit 0/1 (never 2 = internal error), no stack trace, no raw token. */
function expectRanCleanly(r: CliRun): void {
  expect([0, 1]).toContain(r.exitCode);
  expect(r.stderr).not.toMatch(/internal error/);
  expectClean(r, [A, B]);
}

/**
 * Let another uid walk into the sandbox (mkdtemp makes it 0700) and read the config. The wizard
 * itself runs from the checkout, or from a world-readable copy of it when the checkout sits in a
 * directory other users cannot enter (support/cli.ts).
 */
async function openUp(sb: E2eSandbox): Promise<void> {
  for (const d of [sb.root, sb.home, sb.stateDir, sb.cwd, sb.bin]) await chmod(d, 0o755);
  await chmod(sb.configPath, 0o644).catch(() => undefined);
}

describe('bad files and environments become check rows or findings', () => {
  it('malformed JSON5: config-unreadable names line and column, in the human report too', async () => {
    const sb = await e2eSandbox();
    await writeFile(sb.configPath, '{\n  // comment\n  gateway: { mode: "local" auth: {} }\n}\n');
    const port = String(await freePort());
    const r = await cli(sb, ['diagnose', '--port', port]);
    expectRanCleanly(r);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/■ config +\d+ ms {2}.*openclaw\.json: not valid JSON5: invalid character 'a' \(line 3, column 28\)\n/);
    expect(r.stdout).toContain(`${sb.configPath} at line 3, column 28: not valid JSON5: invalid character 'a'. OpenClaw cannot read it either`);
    expect(r.stdout).toContain('The OpenClaw config cannot be read [config-unreadable]');
    expect(r.stdout).toContain(`$ $EDITOR ${sb.configPath}   # line 3, column`);
  });

  it('an unreadable config (a symlink loop)', async () => {
    const sb = await e2eSandbox();
    await symlink(sb.configPath, sb.configPath);
    const j = await diagnose(sb, ['--port', String(await freePort())]);
    expectRanCleanly(j);
    expect(checkOf(j.report, 'config')).toMatchObject({ status: 'fail', note: `${sb.configPath}: cannot be read: too many symbolic links (a symlink loop)` });
    expect(findingOf(j.report, 'config-unreadable').evidence).toContain('error: cannot be read: too many symbolic links (a symlink loop)');
  });

  it.runIf(canRunAsOtherUid)('an unreadable config (permission denied, run as another uid)', async () => {
    const sb = await e2eSandbox();
    await writeConfig(sb, localConfig(await freePort()));
    await openUp(sb);
    await chmod(sb.configPath, 0o000);
    const j = await diagnose(sb, [], { uid: NO_PASSWD_UID });
    expectRanCleanly(j);
    expect(checkOf(j.report, 'config')).toMatchObject({ status: 'fail', note: `${sb.configPath}: cannot be read: permission denied` });
    expect(findingOf(j.report, 'config-unreadable').severity).toBe('error');
  });

  it.runIf(canRunAsOtherUid)('an unreadable .env (permission denied, run as another uid)', async () => {
    const sb = await e2eSandbox();
    await writeConfig(sb, localConfig(await freePort()));
    await openUp(sb);
    const envFile = join(sb.stateDir, '.env');
    await writeFile(envFile, `OPENCLAW_GATEWAY_TOKEN=${B}\n`);
    await chmod(envFile, 0o000);
    const j = await diagnose(sb, [], { uid: NO_PASSWD_UID });
    expectRanCleanly(j);
    const note = checkOf(j.report, 'dotenv');
    expect(note.status).toBe('warn');
    expect(note.note).toContain(`${envFile}: cannot be read: permission denied`);
    // What it could not read is no token source: the config token stays the only one.
    expect(j.report.sources.map((s) => s.id)).toEqual(['config']);
  });

  it.runIf(canRunAsOtherUid)('no HOME at all (no HOME variable, a uid without a passwd entry)', async () => {
    const sb = await e2eSandbox();
    await openUp(sb);
    const env = { ...sb.env };
    delete env.HOME;
    const j = await diagnose(sb, ['--port', String(await freePort())], { env, uid: NO_PASSWD_UID });
    expectRanCleanly(j);
    // OpenClaw itself falls back to the working directory; so does the wizard.
    expect(j.report.gateway.configPath).toBe(join(sb.cwd, '.openclaw', 'openclaw.json'));
    expect(checkOf(j.report, 'config')).toMatchObject({ status: 'warn', note: `${join(sb.cwd, '.openclaw', 'openclaw.json')} does not exist` });
    expect(checkOf(j.report, 'services')).toMatchObject({ status: 'skip', note: 'no home directory' });
    expect(findingOf(j.report, 'gateway-not-running').severity).toBe('error');
  });

  it('a config that is a directory', async () => {
    const sb = await e2eSandbox();
    await mkdir(sb.configPath);
    const j = await diagnose(sb, ['--port', String(await freePort())]);
    expectRanCleanly(j);
    expect(j.exitCode).toBe(1);
    expect(checkOf(j.report, 'config')).toMatchObject({ status: 'fail', note: `${sb.configPath}: is a directory, not a file` });
    expect(findingOf(j.report, 'config-unreadable').detail).toBe(`${sb.configPath}: is a directory, not a file. OpenClaw cannot read it either, so the gateway will not start with it.`);
  });

  it('a binary ~/.openclaw/.env and a huge working-directory .env', async () => {
    const sb = await e2eSandbox();
    const gw = await gateway(sb, { token: A });
    await writeConfig(sb, localConfig(gw.port));
    await writeFile(join(sb.stateDir, '.env'), Buffer.from([0x4f, 0x50, 0x00, 0xff, 0xfe, 0x0a]));
    const huge = `OPENCLAW_GATEWAY_TOKEN=${B}\n` + '#'.repeat(1024 * 1024 + 10) + '\n';
    await writeFile(join(sb.cwd, '.env'), huge);
    const j = await diagnose(sb);
    expectRanCleanly(j);
    expect(j.exitCode).toBe(0);
    const note = checkOf(j.report, 'dotenv');
    expect(note.status).toBe('warn');
    expect(note.note).toContain(`${join(sb.cwd, '.env')}: is ${huge.length} bytes, over the 1048576-byte limit OpenClaw reads`);
    expect(note.note).toContain(`${join(sb.stateDir, '.env')}: is a binary file (contains a NUL byte), not a .env file`);
    expect(j.report.sources.map((s) => s.id)).toEqual(['config']);
  });

  it('a compose file that is not YAML', async () => {
    const sb = await e2eSandbox();
    const gw = await gateway(sb, { token: A });
    await writeConfig(sb, localConfig(gw.port));
    await copyFile(join(REPO, 'test/fixtures/compose/not-yaml/docker-compose.yml'), join(sb.cwd, 'docker-compose.yml'));
    const j = await diagnose(sb);
    expectRanCleanly(j);
    expect(j.exitCode).toBe(0);
    const c = checkOf(j.report, 'compose');
    expect(c.status).toBe('warn');
    expect(c.note.startsWith(`${join(sb.cwd, 'docker-compose.yml')}: `)).toBe(true);
    expect(c.note).toMatch(/line \d+/);
  });

  it('docker missing from PATH', async () => {
    const sb = await e2eSandbox({ docker: 'none' });
    const gw = await gateway(sb, { token: A });
    await writeConfig(sb, localConfig(gw.port));
    const j = await diagnose(sb);
    expectRanCleanly(j);
    expect(j.exitCode).toBe(0);
    expect(checkOf(j.report, 'docker')).toMatchObject({ status: 'skip', note: 'docker not found on PATH' });
  });

  it('docker whose daemon is down', async () => {
    const sb = await e2eSandbox({
      docker: { script: 'echo "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?" >&2\nexit 1' },
    });
    const gw = await gateway(sb, { token: A });
    await writeConfig(sb, localConfig(gw.port));
    const j = await diagnose(sb);
    expectRanCleanly(j);
    expect(j.exitCode).toBe(0);
    expect(checkOf(j.report, 'docker')).toMatchObject({
      status: 'skip',
      note: 'Docker daemon not reachable: Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?',
    });
  });

  it('ss and lsof unusable: the listeners check falls back to /proc', async () => {
    // The wizard also looks in /usr/sbin, /sbin, /usr/bin and /bin (ss often lives outside a
    // user's PATH), so a PATH without them does not hide the real ones; stubs that fail like a
    // missing command do.
    const sb = await e2eSandbox();
    await stub(sb, 'ss', 'echo "ss: command not found" >&2\nexit 127');
    await stub(sb, 'lsof', 'echo "lsof: command not found" >&2\nexit 127');
    const gw = await gateway(sb, { token: A });
    await writeConfig(sb, localConfig(gw.port));
    const j = await diagnose(sb);
    expectRanCleanly(j);
    expect(j.exitCode).toBe(0);
    const c = checkOf(j.report, 'listeners');
    expect(c.note).toMatch(new RegExp(`^127\\.0\\.0\\.1:${gw.port} pid ${process.pid} \\S+ \\(proc\\)$`));
  });

  it('a port held by a plain HTTP server', async () => {
    const sb = await e2eSandbox();
    const srv = await startHttpServerProcess(sb, await freePort());
    await writeConfig(sb, localConfig(srv.port));
    const j = await diagnose(sb);
    expectRanCleanly(j);
    expect(j.exitCode).toBe(1);
    expect(findingOf(j.report, 'port-occupied-by-other').detail).toBe(`Port ${srv.port} is held by pid ${srv.pid} (node), which answers HTTP but is not a gateway.`);
    expect(checkOf(j.report, 'probe')).toMatchObject({ status: 'fail' });
    expect(checkOf(j.report, 'healthz').status).toBe('warn');
  });

  it('a listener that accepts TCP and never speaks', async () => {
    const sb = await e2eSandbox();
    const srv = await startSilentTcpProcess(sb, await freePort());
    await writeConfig(sb, localConfig(srv.port));
    const j = await diagnose(sb, ['--timeout', '1000']);
    expectRanCleanly(j);
    expect(j.exitCode).toBe(1);
    const f = findingOf(j.report, 'port-occupied-by-other');
    expect(f.detail).toBe(`Port ${srv.port} is held by pid ${srv.pid} (node), which accepts connections but never speaks the gateway protocol.`);
    expect(f.evidence[0]).toMatch(/^probe ws:\/\/127\.0\.0\.1:\d+: no-answer/);
    expect(checkOf(j.report, 'probe').note).toMatch(/no-answer/);
  });

  it('a gateway that closes with an unknown code', async () => {
    const sb = await e2eSandbox();
    const gw = await gateway(sb, { token: A, scenario: 'unknown-close' });
    await writeConfig(sb, localConfig(gw.port));
    const j = await diagnose(sb);
    expectRanCleanly(j);
    expect(j.exitCode).toBe(1);
    expect(checkOf(j.report, 'probe')).toMatchObject({ status: 'fail', note: `ws://127.0.0.1:${gw.port}: closed-unknown (closed 4999: weird)` });
    const f = findingOf(j.report, 'port-occupied-by-other');
    expect(f.detail).toContain('ended the handshake in a way no OpenClaw gateway does (closed with code 4999 (weird))');
    expect(j.report.findings.map((x) => x.id)).not.toContain('gateway-not-running');
    expect(j.report.sources[0]).toMatchObject({ id: 'config', accepted: null });
  });
});

describe('bad arguments: exit 2, one line, one JSON error document with --json', () => {
  const cases: Array<[string, string[], RegExp]> = [
    ['unknown flag', ['diagnose', '--frobnicate'], /^openclaw-token-wizard: Unknown option '--frobnicate'. Run `openclaw-token-wizard diagnose --help` for its options.$/],
    ['--port abc', ['diagnose', '--port', 'abc'], /^openclaw-token-wizard: --port takes a whole number, got "abc". Run `openclaw-token-wizard diagnose --help` for its options.$/],
    ['--port 0', ['diagnose', '--port', '0'], /^openclaw-token-wizard: --port must be between 1 and 65535, got 0. Run `openclaw-token-wizard diagnose --help` for its options.$/],
    [
      '--timeout -1',
      ['diagnose', '--timeout', '-1'],
      /^openclaw-token-wizard: --timeout needs a value; write a value that starts with "-" as --timeout=VALUE. Run `openclaw-token-wizard diagnose --help` for its options.$/,
    ],
    ['--timeout=-1', ['diagnose', '--timeout=-1'], /^openclaw-token-wizard: --timeout takes a whole number, got "-1". Run `openclaw-token-wizard diagnose --help` for its options.$/],
    ['--dev --profile x', ['diagnose', '--dev', '--profile', 'x'], /^openclaw-token-wizard: --dev and --profile cannot be combined. Run `openclaw-token-wizard diagnose --help` for its options.$/],
    ['unknown command', ['frobnicate'], /^openclaw-token-wizard: unknown command "frobnicate". Run `openclaw-token-wizard --help` for the commands.$/],
    // D21: the message blames the port, and repeats neither the password nor the token the URL carried.
    [
      'D21 --url with a password, a token and a bad port',
      ['diagnose', '--url', 'ws://u:PWSECRET@127.0.0.1:99999/?token=TOKENSECRET'],
      /^openclaw-token-wizard: --url has the port "99999": a port is a number from 1 to 65535\. Run `openclaw-token-wizard diagnose --help` for its options\.$/,
    ],
    // D11: an invalid profile is a usage error, not the default config edited instead.
    [
      'D11 --profile work.prod',
      ['diagnose', '--profile', 'work.prod'],
      /^openclaw-token-wizard: invalid --profile "work\.prod": use letters, digits, "_" and "-" only, starting with a letter or digit, at most 64 characters \(OpenClaw refuses any other name\)\. Run `openclaw-token-wizard diagnose --help` for its options\.$/,
    ],
  ];

  it.each(cases)('%s', async (_name, args, message) => {
    const sb = await e2eSandbox();
    const human = await cli(sb, args);
    expect(human.exitCode).toBe(2);
    expect(human.stdout).toBe('');
    expect(human.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(human.stderr.trimEnd()).toMatch(message);

    const json = await cli(sb, [...args, '--json']);
    expect(json.exitCode).toBe(2);
    const doc = parseOneJson(json.stdout) as { schema: string; error: string; usage: boolean };
    expect(doc).toEqual({ schema: 'openclaw-token-wizard.error/v1', error: human.stderr.trimEnd().replace(/^openclaw-token-wizard: /, ''), usage: true });
    expect(json.stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});
