/**
 * Every finding id, produced end to end: the built CLI (`diagnose --json`) in a child process
 * against a sandbox HOME, fixture files, stub docker/openclaw on a PATH the test controls, and a
 * fake gateway in this process (or in its own process where the listener's identity matters).
 * Run `npx tsc -p .` first: these tests run bin/openclaw-token-wizard.js, i.e. dist/.
 */
import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { FINDING_IDS, type FindingId } from '../../src/checks/index.js';
import { fingerprintOf } from '../../src/secret.js';
import { probeGateway } from '../../src/gateway/probe.js';
import { startFakeGateway, type FakeGateway, type FakeGatewayOptions } from '../support/fake-gateway.js';
import { configAutoRestoredRecord, logRecord, startBlockedRecord } from '../support/gateway-log-writer.js';
import { startFailedRecord, WEAK_PASSWORD_ERROR } from '../../src/demo/fake-start-refusals.js';
import { connectSigned } from '../support/signed-client.js';
import { fakeToken, freePort } from '../support/sandbox.js';
import {
  REPO,
  checkOf,
  cleanupAll,
  diagnoseJson,
  e2eSandbox,
  expectClean,
  findingOf,
  onCleanup,
  realRoot,
  runCli,
  sourceOf,
  startGatewayProcess,
  startHttpServerProcess,
  writeConfig,
  type E2eSandbox,
} from '../support/e2e.js';

const A = fakeToken('alpha');
const B = fakeToken('bravo');
const OLD = fakeToken('old');
const PW = fakeToken('password');
const ALL = [A, B, OLD, PW];

afterEach(cleanupAll);

it('every finding id in FINDING_IDS has its own end-to-end test below', async () => {
  // Read from the source so the guard also holds when a run is filtered with -t.
  const text = await readFile(fileURLToPath(import.meta.url), 'utf8');
  const marked = new Set([...text.matchAll(/\bmark\('([a-z-]+)'\)/g)].map((m) => m[1]));
  expect(FINDING_IDS.filter((id) => !marked.has(id))).toEqual([]);
});

async function gateway(sb: E2eSandbox, opts: FakeGatewayOptions = {}): Promise<FakeGateway> {
  const gw = await startFakeGateway({ logFile: sb.logFile, failedAuthDelayMs: 50, ...opts });
  onCleanup(() => gw.close());
  return gw;
}

/** A Control UI client (browser-like: client id, webchat mode, Origin header) against the fake. */
function controlUi(gw: FakeGateway, opts: { token?: string; origin?: string } = {}) {
  return probeGateway({
    url: gw.url,
    timeoutMs: 3000,
    clientId: 'openclaw-control-ui',
    clientMode: 'webchat',
    origin: opts.origin ?? gw.httpUrl,
    ...(opts.token ? { token: opts.token } : {}),
  });
}

/** gateway.mode=local on `port` with auth.mode token and `token` (null: no token configured). */
const localConfig = (port: number, token: string | null = A, extra: Record<string, unknown> = {}) => ({
  gateway: { mode: 'local', port, auth: token === null ? { mode: 'token' } : { mode: 'token', token }, ...extra },
});

/** Names the finding a test produces (the coverage test above reads these calls). */
function mark(id: FindingId): FindingId {
  return id;
}

describe('diagnose --json end to end: one test per finding id', () => {
  it('config-unreadable: malformed JSON5, with line and column', async () => {
    mark('config-unreadable');
    const sb = await e2eSandbox();
    await writeFile(sb.configPath, '{\n  gateway: {\n    mode: "local",\n    port: 18789\n    auth: {}\n  }\n}\n');
    const port = await freePort();
    const r = await diagnoseJson(sb, ['--port', String(port)]);
    expect(r.exitCode).toBe(1);
    const f = findingOf(r.report, 'config-unreadable');
    expect(f.severity).toBe('error');
    expect(f.detail).toMatch(/at line 5, column 5: not valid JSON5: invalid character 'a'/);
    expect(f.fix).toEqual([`$EDITOR ${sb.configPath}   # line 5, column 5`]);
    expect(checkOf(r.report, 'config')).toMatchObject({ status: 'fail' });
    expect(checkOf(r.report, 'config').note).toContain('(line 5, column 5)');
    expect(r.report.sources).toEqual([]);
    expect(r.report.gateway.acceptedSource).toBeNull();
    expectClean(r, ALL);
  });

  it('token-misplaced: the token under agents.gateway is ignored; the gateway runs with a runtime token', async () => {
    mark('token-misplaced');
    const sb = await e2eSandbox();
    const gw = await gateway(sb, { token: null });
    await writeConfig(sb, { gateway: { mode: 'local', port: gw.port }, agents: { gateway: { auth: { token: A } } } });
    const r = await diagnoseJson(sb);
    expect(r.exitCode).toBe(1);
    const f = findingOf(r.report, 'token-misplaced');
    expect(f.severity).toBe('error');
    expect(f.evidence).toEqual(['agents.gateway present', 'agents.gateway.auth.token set', 'gateway.auth.token at top level: not set']);
    // The wizard's own step copies the token up; its plan is what diagnose prints.
    expect(f.step).toBe('moveMisplacedGatewayBlock');
    expect(f.fix).toEqual([`openclaw config set gateway.auth.token '"<token from agents.gateway ${fingerprintOf(A)}>"'`]);
    expect(sourceOf(r.report, 'config:misplaced')).toMatchObject({ fingerprint: fingerprintOf(A), accepted: false });
    expect(findingOf(r.report, 'no-token-configured').evidence).toContain('log: "Gateway auth token was missing. Generated a runtime token for this startup"');
    expect(r.report.gateway.acceptedSource).toBeNull();
    expectClean(r, [...ALL, gw.token]);
  });

  it('gateway-mode-not-local: mode unset, the log says the start was blocked', async () => {
    mark('gateway-mode-not-local');
    const sb = await e2eSandbox();
    const port = await freePort();
    await writeConfig(sb, { gateway: { port, auth: { mode: 'token', token: A } } });
    await appendFile(sb.logFile, logRecord(startBlockedRecord('unset')) + '\n');
    const r = await diagnoseJson(sb);
    expect(r.exitCode).toBe(1);
    const f = findingOf(r.report, 'gateway-mode-not-local');
    expect(f.severity).toBe('error');
    expect(f.detail).toMatch(/^gateway\.mode unset: OpenClaw refuses to start a gateway on this host unless gateway\.mode is "local" \(its log says so\)\.$/);
    expect(f.evidence).toContain('log: Gateway start blocked: set gateway.mode=local (current: unset) or pass --allow-unconfigured.');
    expect(f.fix).toEqual(['openclaw config set gateway.mode local']);
    expect(findingOf(r.report, 'gateway-not-running').severity).toBe('error');
    expect(sourceOf(r.report, 'config').accepted).toBeNull();
    expectClean(r, ALL);
  });

  it('ambiguous-auth-mode: token and password without auth.mode', async () => {
    mark('ambiguous-auth-mode');
    const sb = await e2eSandbox();
    const gw = await gateway(sb, { token: A });
    await writeConfig(sb, { gateway: { mode: 'local', port: gw.port, auth: { token: A, password: PW } } });
    const r = await diagnoseJson(sb);
    expect(r.exitCode).toBe(1);
    const f = findingOf(r.report, 'ambiguous-auth-mode');
    expect(f.severity).toBe('error');
    expect(f.fix[0]).toBe('openclaw config set gateway.auth.mode token');
    expect(sourceOf(r.report, 'config')).toMatchObject({ accepted: true, fingerprint: fingerprintOf(A), length: 48 });
    // A password is never presented as a token.
    expect(sourceOf(r.report, 'config:password')).toMatchObject({ accepted: null, fingerprint: fingerprintOf(PW) });
    expect(r.report.gateway.acceptedSource).toBe('config');
    expectClean(r, ALL);
  });

  it('auth-mode-not-token: auth.mode none is a warning (exit 0)', async () => {
    mark('auth-mode-not-token');
    const sb = await e2eSandbox();
    const gw = await gateway(sb, { token: A });
    await writeConfig(sb, { gateway: { mode: 'local', port: gw.port, auth: { mode: 'none' } } });
    const r = await diagnoseJson(sb);
    expect(r.exitCode).toBe(0);
    const f = findingOf(r.report, 'auth-mode-not-token');
    expect(f.severity).toBe('warning');
    expect(f.evidence).toEqual(['gateway.auth.mode=none']);
    expect(f.fix.slice(0, 1)).toEqual(['openclaw config set gateway.auth.mode token']);
    expect(r.report.findings.filter((x) => x.severity === 'error')).toEqual([]);
    expect(r.report.sources).toEqual([]);
    expect(r.report.gateway).toMatchObject({ reachable: true, acceptedSource: null, authMode: 'none' });
    expectClean(r, ALL);
  });

  it('no-token-configured: no token anywhere, the gateway generated a runtime token', async () => {
    mark('no-token-configured');
    const sb = await e2eSandbox();
    const gw = await gateway(sb, { token: null });
    await writeConfig(sb, localConfig(gw.port, null));
    const r = await diagnoseJson(sb);
    expect(r.exitCode).toBe(1);
    const f = findingOf(r.report, 'no-token-configured');
    expect(f.severity).toBe('error');
    expect(f.evidence).toEqual([`config: ${sb.configPath}`, 'gateway.auth.token: not set', 'log: "Gateway auth token was missing. Generated a runtime token for this startup"']);
    expect(f.fix).toContain('openclaw config set gateway.auth.token "\\"$(openssl rand -hex 24)\\""');
    expect(f.fix).toEqual(['openclaw config set gateway.auth.mode token', 'openclaw config set gateway.auth.token "\\"$(openssl rand -hex 24)\\""']);
    expect(r.report.sources).toEqual([]);
    expect(r.report.gateway).toMatchObject({ reachable: true, acceptedSource: null });
    expectClean(r, [...ALL, gw.token]);
  });

  it('token-invalid-value: the redaction placeholder pasted as the token', async () => {
    mark('token-invalid-value');
    const sb = await e2eSandbox();
    const gw = await gateway(sb, { token: A });
    await writeConfig(sb, localConfig(gw.port, '__OPENCLAW_REDACTED__'));
    const r = await diagnoseJson(sb);
    expect(r.exitCode).toBe(1);
    const f = findingOf(r.report, 'token-invalid-value');
    expect(f.severity).toBe('error');
    expect(f.detail).toContain('the redaction placeholder __OPENCLAW_REDACTED__');
    expect(f.evidence[0]).toMatch(/\[redaction-sentinel\]$/);
    expect(sourceOf(r.report, 'config')).toMatchObject({ problems: ['redaction-sentinel'], accepted: null });
    expect(findingOf(r.report, 'no-token-configured').severity).toBe('error');
    expectClean(r, ALL);
  });

  it("token-invalid-value: only the credential of the gateway's auth mode counts, as OpenClaw checks only that one", async () => {
    mark('token-invalid-value');
    // Token mode with a blank password and a placeholder one left in the config: unused, the gateway is healthy.
    for (const password of ['', 'change-me-to-a-strong-password']) {
      const sb = await e2eSandbox();
      const gw = await gateway(sb, { token: A });
      await writeConfig(sb, localConfig(gw.port, A, {}));
      const cfg = JSON.parse(await readFile(sb.configPath, 'utf8')) as { gateway: { auth: Record<string, unknown> } };
      cfg.gateway.auth.password = password;
      await writeFile(sb.configPath, JSON.stringify(cfg, null, 2) + '\n');
      const r = await diagnoseJson(sb);
      expect(r.report.findings.map((x) => x.id)).not.toContain('token-invalid-value');
      expect(r.report.gateway).toMatchObject({ reachable: true, acceptedSource: 'config' });
      expect(r.exitCode).toBe(0);
    }
    // Password mode with the example placeholder: the gateway refuses to start, and its fatal line is cited.
    const sb = await e2eSandbox();
    const port = await freePort();
    await writeConfig(sb, { gateway: { mode: 'local', port, auth: { mode: 'password', password: 'change-me-to-a-strong-password' } } });
    await appendFile(sb.logFile, logRecord(startFailedRecord(WEAK_PASSWORD_ERROR)) + '\n');
    const r = await diagnoseJson(sb);
    expect(r.exitCode).toBe(1);
    const f = findingOf(r.report, 'token-invalid-value');
    expect(f.severity).toBe('error');
    expect(f.detail).toBe('~/.openclaw/openclaw.json line 7 (gateway.auth.password) is a placeholder from an example config.');
    expect(f.evidence.some((e) => /^log .*: Gateway failed to start: Invalid config: gateway auth password is blank, a published example placeholder/.test(e))).toBe(true);
    expect(f.fix[0]).toMatch(/^# set a password of your own/);
    expect(f.fix).toContain('openclaw config set gateway.auth.mode token');
  });

  it('token-whitespace: a trailing space in the config token (the gateway trims and accepts it)', async () => {
    mark('token-whitespace');
    const sb = await e2eSandbox();
    const gw = await gateway(sb, { token: A });
    await writeConfig(sb, localConfig(gw.port, `${A} `));
    const r = await diagnoseJson(sb);
    expect(r.exitCode).toBe(0);
    const f = findingOf(r.report, 'token-whitespace');
    expect(f.severity).toBe('warning');
    expect(f.evidence[0]).toMatch(/\(49 chars\) \[whitespace\]$/);
    expect(f.fix[0]).toMatch(new RegExp(`^\\$EDITOR ${sb.configPath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}   # line \\d+$`));
    expect(sourceOf(r.report, 'config')).toMatchObject({ accepted: true, problems: ['whitespace'], length: 49 });
    expect(r.report.healthy).toBe(true);
    expect(r.report.gateway.acceptedSource).toBe('config');
    expectClean(r, ALL);
  });

  it('gateway-not-running: nothing on the configured port', async () => {
    mark('gateway-not-running');
    const sb = await e2eSandbox();
    const port = await freePort();
    await writeConfig(sb, localConfig(port));
    const r = await diagnoseJson(sb);
    expect(r.exitCode).toBe(1);
    const f = findingOf(r.report, 'gateway-not-running');
    expect(f.severity).toBe('error');
    expect(f.evidence).toEqual([`probe ws://127.0.0.1:${port}: refused`, `port ${port} (config)`]);
    expect(f.fix).toEqual([expect.stringMatching(new RegExp(`^nohup openclaw gateway run --port ${port} --bind loopback > `))]);
    expect(sourceOf(r.report, 'config').accepted).toBeNull();
    expect(r.report.gateway).toMatchObject({ reachable: false, acceptedSource: null, port, portSource: 'config' });
    expectClean(r, ALL);
  });

  it('gateway-starting: close 1013 is a warning, not an error', async () => {
    mark('gateway-starting');
    const sb = await e2eSandbox();
    const gw = await gateway(sb, { token: A, scenario: 'starting' });
    await writeConfig(sb, localConfig(gw.port));
    const r = await diagnoseJson(sb);
    expect(r.exitCode).toBe(0);
    const f = findingOf(r.report, 'gateway-starting');
    expect(f.severity).toBe('warning');
    expect(f.evidence).toEqual([`probe ws://127.0.0.1:${gw.port}: 1013 gateway starting`]);
    expect(f.fix).toEqual(['sleep 5 && openclaw-token-wizard diagnose']);
    expect(sourceOf(r.report, 'config').accepted).toBeNull();
    expect(r.report.gateway).toMatchObject({ reachable: true, acceptedSource: null });
    expectClean(r, ALL);
  });

  it('gateway-unreachable-remote: remote mode over plain ws:// to a public host is refused without connecting', async () => {
    mark('gateway-unreachable-remote');
    const sb = await e2eSandbox();
    await writeConfig(sb, { gateway: { mode: 'remote', remote: { url: 'ws://gateway.example.com:18789', token: A } } });
    const r = await diagnoseJson(sb);
    expect(r.exitCode).toBe(1);
    const f = findingOf(r.report, 'gateway-unreachable-remote');
    expect(f.severity).toBe('error');
    expect(f.evidence[0]).toBe('target: ws://gateway.example.com:18789 (gateway.remote.url)');
    expect(f.evidence[1]).toMatch(/^probe: not-attempted, /);
    expect(f.fix[0]).toBe('curl -sS http://gateway.example.com:18789/healthz');
    expect(sourceOf(r.report, 'config-remote').accepted).toBeNull();
    // A client host in remote mode needs no gateway.mode=local and no gateway.auth.token.
    expect(r.report.findings.map((x) => x.id)).not.toContain('gateway-mode-not-local');
    expect(r.report.findings.map((x) => x.id)).not.toContain('no-token-configured');
    expect(r.report.checks.map((c) => c.id)).not.toContain('healthz');
    expectClean(r, ALL);
  });

  it('port-occupied-by-other: a plain HTTP server holds the port', async () => {
    mark('port-occupied-by-other');
    const sb = await e2eSandbox();
    const srv = await startHttpServerProcess(sb, await freePort());
    await writeConfig(sb, localConfig(srv.port));
    const r = await diagnoseJson(sb);
    expect(r.exitCode).toBe(1);
    const f = findingOf(r.report, 'port-occupied-by-other');
    expect(f.severity).toBe('error');
    expect(f.detail).toBe(`Port ${srv.port} is held by pid ${srv.pid} (node), which answers HTTP but is not a gateway.`);
    expect(f.evidence[0]).toMatch(/^probe ws:\/\/127\.0\.0\.1:\d+: not-websocket \(.*404/);
    expect(f.evidence[1]).toMatch(new RegExp(`^listener 127\\.0\\.0\\.1:${srv.port} pid ${srv.pid}: .*plain-http-server\\.mjs$`));
    expect(f.fix).toContain(`kill ${srv.pid}   # only if that process is yours and safe to stop`);
    expect(sourceOf(r.report, 'config').accepted).toBeNull();
    expect(r.report.findings.map((x) => x.id)).not.toContain('gateway-not-running');
    expectClean(r, ALL);
  });

  it('multiple-gateways: the gateway on the port runs with another HOME (state dir)', async () => {
    mark('multiple-gateways');
    const sb = await e2eSandbox();
    const otherHome = join(sb.root, 'other-home');
    await mkdir(otherHome);
    const gw = await startGatewayProcess(sb, { token: B, logFile: join(sb.root, 'other.log') }, { ...sb.env, HOME: otherHome });
    await writeConfig(sb, localConfig(gw.port));
    const r = await diagnoseJson(sb);
    expect(r.exitCode).toBe(1);
    const f = findingOf(r.report, 'multiple-gateways');
    expect(f.severity).toBe('error');
    expect(f.detail).toContain(`(pid ${gw.pid}) runs with state dir ${join(otherHome, '.openclaw')}`);
    expect(f.detail).toContain(`not yours (${sb.stateDir})`);
    expect(f.fix[0]).toBe(`kill ${gw.pid}   # the stale gateway, after checking it is not needed`);
    const rejects = findingOf(r.report, 'gateway-rejects-config-token');
    expect(rejects.detail).toContain('runs with another state dir (see multiple-gateways)');
    expect(sourceOf(r.report, 'config').accepted).toBe(false);
    expectClean(r, ALL);
  });

  it('gateway-rejects-config-token: the gateway enforces the ~/.openclaw/.env token', async () => {
    mark('gateway-rejects-config-token');
    const sb = await e2eSandbox();
    const gw = await gateway(sb, { token: B });
    await writeConfig(sb, localConfig(gw.port));
    await writeFile(join(sb.stateDir, '.env'), `# gateway\nOPENCLAW_GATEWAY_TOKEN=${B}\n`);
    const r = await diagnoseJson(sb);
    expect(r.exitCode).toBe(1);
    const f = findingOf(r.report, 'gateway-rejects-config-token');
    expect(f.severity).toBe('error');
    expect(f.detail).toContain(`It accepts ~/.openclaw/.env line 2 (OPENCLAW_GATEWAY_TOKEN) (${fingerprintOf(B)} (48 chars)) instead.`);
    expect(f.evidence).toEqual([
      `~/.openclaw/openclaw.json line 7 (gateway.auth.token): ${fingerprintOf(A)} (48 chars)`,
      `accepted: ~/.openclaw/.env line 2 (OPENCLAW_GATEWAY_TOKEN): ${fingerprintOf(B)} (48 chars)`,
    ]);
    expect(f.fix).toEqual(['# restart the gateway where you started it (Ctrl-C, then run it again)']);
    expect(sourceOf(r.report, 'config').accepted).toBe(false);
    expect(sourceOf(r.report, 'dotenv:state').accepted).toBe(true);
    expect(r.report.gateway.acceptedSource).toBe('dotenv:state');
    expectClean(r, ALL);
  });

  it('env-token-differs: OPENCLAW_GATEWAY_TOKEN in the environment is not the config token', async () => {
    mark('env-token-differs');
    const sb = await e2eSandbox();
    const gw = await gateway(sb, { token: A });
    await writeConfig(sb, localConfig(gw.port));
    const r = await diagnoseJson(sb, [], { env: { ...sb.env, OPENCLAW_GATEWAY_TOKEN: B } });
    expect(r.exitCode).toBe(0);
    const f = findingOf(r.report, 'env-token-differs');
    expect(f.severity).toBe('warning');
    expect(f.evidence).toContain(`environment variable OPENCLAW_GATEWAY_TOKEN: ${fingerprintOf(B)} (48 chars)`);
    expect(f.fix).toEqual(['unset OPENCLAW_GATEWAY_TOKEN   # and remove it from your shell profile']);
    expect(sourceOf(r.report, 'config').accepted).toBe(true);
    // Not sent: the gateway accepted the config token first, and in token mode it accepts only one.
    expect(sourceOf(r.report, 'env').accepted).toBeNull();
    expect(r.report.gateway.acceptedSource).toBe('config');
    expectClean(r, ALL);
  });

  it('docker-env-override: the container runs with another token and the gateway accepts it', async () => {
    mark('docker-env-override');
    const env = JSON.stringify(['PATH=/usr/local/bin:/usr/bin', 'HOME=/home/node', `OPENCLAW_GATEWAY_TOKEN=${B}`]);
    const ps = JSON.stringify({
      ID: 'abc123def456',
      Names: 'openclaw-gateway',
      Image: 'openclaw:local',
      Ports: '127.0.0.1:18789->18789/tcp',
      State: 'running',
      Labels: 'com.docker.compose.service=openclaw-gateway',
    });
    const sb = await e2eSandbox({
      docker: { script: `case "$1" in\n  ps) echo '${ps}' ;;\n  inspect) echo '${env}' ;;\n  *) echo "unexpected docker $*" >&2; exit 1 ;;\nesac` },
    });
    const gw = await gateway(sb, { token: B });
    await writeConfig(sb, localConfig(gw.port));
    const r = await diagnoseJson(sb);
    expect(r.exitCode).toBe(1);
    const f = findingOf(r.report, 'docker-env-override');
    expect(f.severity).toBe('error');
    expect(f.detail).toContain('The live gateway accepts the Docker value');
    expect(f.evidence[1]).toMatch(new RegExp(`^container openclaw-gateway \\(OPENCLAW_GATEWAY_TOKEN\\): ${fingerprintOf(B)} \\(48 chars\\) \\(image openclaw:local; .*read via docker inspect\\)$`));
    expect(f.fix).toEqual(['docker compose up -d openclaw-gateway']);
    expect(checkOf(r.report, 'docker')).toMatchObject({ status: 'pass', note: '1 OpenClaw container' });
    expect(sourceOf(r.report, 'container:openclaw-gateway').accepted).toBe(true);
    expect(sourceOf(r.report, 'config').accepted).toBe(false);
    expect(r.report.gateway.acceptedSource).toBe('container:openclaw-gateway');
    expectClean(r, ALL);
  });

  it('service-token-stale: the systemd unit embeds an old token', async () => {
    mark('service-token-stale');
    const sb = await e2eSandbox();
    const gw = await gateway(sb, { token: A });
    await writeConfig(sb, localConfig(gw.port));
    const unitDir = join(sb.home, '.config', 'systemd', 'user');
    await mkdir(unitDir, { recursive: true });
    await writeFile(
      join(unitDir, 'openclaw-gateway.service'),
      `[Unit]\nDescription=OpenClaw Gateway\n\n[Service]\nExecStart=/usr/bin/node /opt/openclaw/dist/index.js gateway --port ${gw.port}\nEnvironment=OPENCLAW_GATEWAY_TOKEN=${OLD}\nRestart=always\n`,
    );
    const r = await diagnoseJson(sb);
    expect(r.exitCode).toBe(1);
    const f = findingOf(r.report, 'service-token-stale');
    expect(f.severity).toBe('error');
    expect(f.evidence).toEqual([
      `~/.openclaw/openclaw.json line 7 (gateway.auth.token): ${fingerprintOf(A)} (48 chars)`,
      `openclaw-gateway.service line 6 (Environment= OPENCLAW_GATEWAY_TOKEN): ${fingerprintOf(OLD)} (48 chars)`,
    ]);
    expect(f.fix).toEqual(['openclaw gateway install --force', 'openclaw gateway restart']);
    expect(sourceOf(r.report, 'service:openclaw-gateway.service').accepted).toBeNull();
    expect(r.report.gateway.acceptedSource).toBe('config');
    expectClean(r, ALL);
  });

  it('remote-token-mismatch: remote mode through an ssh tunnel on loopback, stale gateway.remote.token', async () => {
    mark('remote-token-mismatch');
    const sb = await e2eSandbox();
    const gw = await gateway(sb, { token: A });
    await writeConfig(sb, { gateway: { mode: 'remote', remote: { url: gw.url, token: OLD } } });
    const r = await diagnoseJson(sb);
    expect(r.exitCode).toBe(1);
    const f = findingOf(r.report, 'remote-token-mismatch');
    expect(f.severity).toBe('error');
    expect(f.evidence).toEqual([`~/.openclaw/openclaw.json line 6 (gateway.remote.token): ${fingerprintOf(OLD)} (48 chars)`, `target: ${gw.url}`]);
    expect(f.fix[1]).toBe(`openclaw config set gateway.remote.token '"<that token>"'   # here`);
    expect(sourceOf(r.report, 'config-remote').accepted).toBe(false);
    expect(r.report.gateway.portSource).toBe('gateway.remote.url');
    // This host is a client: the gateway-host findings would send the person the wrong way.
    expect(r.report.findings.map((x) => x.id).sort()).toEqual(['remote-token-mismatch']);
    expectClean(r, ALL);
  });

  it('client-token-missing: the Control UI connected without a token (from the gateway log)', async () => {
    mark('client-token-missing');
    const sb = await e2eSandbox();
    const gw = await gateway(sb, { token: A });
    await writeConfig(sb, localConfig(gw.port));
    expect((await controlUi(gw)).reject).toBe('token-missing');
    const r = await diagnoseJson(sb);
    expect(r.exitCode).toBe(1);
    const f = findingOf(r.report, 'client-token-missing');
    expect(f.severity).toBe('error');
    expect(f.detail).toMatch(new RegExp(`^openclaw-control-ui from http://127\\.0\\.0\\.1:${gw.port} \\(127\\.0\\.0\\.1\\) tried to connect without a token at `));
    expect(f.evidence[0]).toMatch(new RegExp(`^log ${sb.logFile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: \\S+ openclaw-control-ui .*: token_missing$`));
    expect(f.fix).toEqual(['openclaw-token-wizard open']);
    expect(sourceOf(r.report, 'config').accepted).toBe(true);
    expect(r.report.gateway.acceptedSource).toBe('config');
    expect(r.report.healthy).toBe(false);
    expectClean(r, ALL);
  });

  it('client-token-mismatch: the Control UI presented an old token (from the gateway log)', async () => {
    mark('client-token-mismatch');
    const sb = await e2eSandbox();
    const gw = await gateway(sb, { token: A });
    await writeConfig(sb, localConfig(gw.port));
    expect((await controlUi(gw, { token: OLD })).reject).toBe('token-mismatch');
    const r = await diagnoseJson(sb);
    expect(r.exitCode).toBe(1);
    const f = findingOf(r.report, 'client-token-mismatch');
    expect(f.severity).toBe('error');
    expect(f.detail).toContain('presented a token the gateway does not enforce');
    expect(f.evidence[0]).toMatch(/: token_mismatch$/);
    expect(f.fix).toEqual(['openclaw-token-wizard open']);
    expect(r.report.gateway.acceptedSource).toBe('config');
    expectClean(r, ALL);
  });

  it('origin-not-allowed: the Control UI from a foreign origin', async () => {
    mark('origin-not-allowed');
    const sb = await e2eSandbox();
    const gw = await gateway(sb, { token: A });
    await writeConfig(sb, localConfig(gw.port, A, { controlUi: { allowedOrigins: ['https://ok.example'] } }));
    expect((await controlUi(gw, { token: A, origin: 'http://box.lan:8080' })).reject).toBe('origin-not-allowed');
    const r = await diagnoseJson(sb);
    expect(r.exitCode).toBe(1);
    const f = findingOf(r.report, 'origin-not-allowed');
    expect(f.severity).toBe('error');
    expect(f.detail).toBe('The Control UI was opened from http://box.lan:8080, which is not in gateway.controlUi.allowedOrigins (https://ok.example).');
    expect(f.fix[0]).toBe(`openclaw config set gateway.controlUi.allowedOrigins '["https://ok.example","http://box.lan:8080"]'`);
    expect(f.fix[1]).toBe(`# or open it from the gateway host: http://127.0.0.1:${gw.port}/`);
    expect(r.report.gateway.acceptedSource).toBe('config');
    expectClean(r, ALL);
  });

  it('control-ui-insecure-context: the Control UI without a device identity', async () => {
    mark('control-ui-insecure-context');
    const sb = await e2eSandbox();
    const gw = await gateway(sb, { token: A, scenario: 'insecure-context' });
    await writeConfig(sb, localConfig(gw.port));
    expect((await controlUi(gw, { token: A })).reject).toBe('control-ui-insecure-context');
    const r = await diagnoseJson(sb);
    expect(r.exitCode).toBe(1);
    const f = findingOf(r.report, 'control-ui-insecure-context');
    expect(f.severity).toBe('error');
    expect(f.evidence[0]).toMatch(/: control ui requires device identity \(use HTTPS or localhost secure context\)$/);
    expect(f.fix).toContain(`ssh -N -L ${gw.port}:127.0.0.1:${gw.port} <gateway-host>`);
    // The wizard's own probe is not a Control UI: it is accepted.
    expect(sourceOf(r.report, 'config').accepted).toBe(true);
    expectClean(r, ALL);
  });

  it('pairing-required: a device waits for approval; the fix names the request id', async () => {
    mark('pairing-required');
    const sb = await e2eSandbox();
    const gw = await gateway(sb, { token: A, scenario: 'pairing-required' });
    await writeConfig(sb, localConfig(gw.port));
    expect((await controlUi(gw, { token: A })).reject).toBe('pairing-required');
    gw.setScenario('normal');
    const requestId = /requestId: ([0-9a-f-]{36})/.exec(gw.connections[0]!.closeReason ?? '')?.[1];
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    const r = await diagnoseJson(sb);
    expect(r.exitCode).toBe(0);
    const f = findingOf(r.report, 'pairing-required');
    expect(f.severity).toBe('warning');
    expect(f.detail).toContain(`waits for pairing approval (request ${requestId})`);
    expect(f.fix).toEqual(['openclaw devices list', `openclaw devices approve ${requestId}`]);
    expect(r.report.gateway.acceptedSource).toBe('config');
    expectClean(r, ALL);
  });

  it('device-token-mismatch: a paired device presents a stale device token', async () => {
    mark('device-token-mismatch');
    const sb = await e2eSandbox();
    const gw = await gateway(sb, { token: A, scenario: 'device-token-mismatch' });
    await writeConfig(sb, localConfig(gw.port));
    expect((await controlUi(gw, { token: A })).reject).toBe('device-token-mismatch');
    gw.setScenario('normal');
    const r = await diagnoseJson(sb);
    expect(r.exitCode).toBe(1);
    const f = findingOf(r.report, 'device-token-mismatch');
    expect(f.severity).toBe('error');
    expect(f.evidence[0]).toMatch(/: device_token_mismatch$/);
    expect(f.fix[0]).toBe('openclaw devices list');
    expect(r.report.gateway.acceptedSource).toBe('config');
    expectClean(r, ALL);
  });

  it('rate-limited: a Control UI origin locked out after failed logins; which origin, since when, until when, the ways out', async () => {
    mark('rate-limited');
    const sb = await e2eSandbox();
    const gw = await gateway(sb, { token: A, rateLimit: { maxAttempts: 3, lockoutMs: 120_000 } });
    await writeConfig(sb, localConfig(gw.port, A, { auth: { mode: 'token', token: A, rateLimit: { maxAttempts: 3, lockoutMs: 120_000 } } }));
    const origin = `http://localhost:${gw.port}`;
    for (let i = 0; i < 3; i++) expect((await controlUi(gw, { token: OLD, origin })).reject).toBe('token-mismatch');
    // Locked: even the right token is refused from that Origin; the other loopback name is not locked.
    expect((await controlUi(gw, { token: A, origin })).reject).toBe('rate-limited');
    expect((await controlUi(gw, { token: A })).kind).toBe('hello-ok');
    const r = await diagnoseJson(sb);
    expect(r.exitCode).toBe(1);
    expect(r.report.healthy).toBe(false);
    const f = findingOf(r.report, 'rate-limited');
    expect(f.severity).toBe('error');
    const since = f.evidence.find((e) => e.startsWith('since: '))!.slice(7);
    const unlocks = f.evidence.find((e) => e.startsWith('unlocks: '))!.slice(9);
    expect(Date.parse(unlocks) - Date.parse(since)).toBe(120_000);
    expect(f.evidence).toContain(`locked: Origin ${origin}`);
    expect(f.evidence).toContain('policy: 3 failures in 60 s lock a client out for 120 s (gateway.auth.rateLimit)');
    expect(f.fix).toEqual([
      `# close the tab or app that keeps retrying with an old token, then wait until ${unlocks}`,
      `# or open the Control UI under the other loopback name (its own bucket): http://127.0.0.1:${gw.port}/`,
      '# or restart the gateway, which clears every lock:',
      'openclaw gateway restart',
    ]);
    expect(r.report.gateway.acceptedSource).toBe('config');
    expectClean(r, ALL);
  });

  it('protocol-mismatch: the gateway closes 1002', async () => {
    mark('protocol-mismatch');
    const sb = await e2eSandbox();
    const gw = await gateway(sb, { token: A, scenario: 'protocol-mismatch' });
    await writeConfig(sb, localConfig(gw.port));
    const r = await diagnoseJson(sb);
    expect(r.exitCode).toBe(1);
    const f = findingOf(r.report, 'protocol-mismatch');
    expect(f.severity).toBe('error');
    expect(f.evidence).toEqual(['probe: 1002 protocol mismatch']);
    expect(f.fix[0]).toBe('openclaw --version');
    expect(sourceOf(r.report, 'config').accepted).toBeNull();
    expect(r.report.gateway).toMatchObject({ reachable: true, acceptedSource: null });
    expectClean(r, ALL);
  });

  it('legacy-env-ignored: CLAWDBOT_* in the environment and MOLTBOT_* in ~/.openclaw/.env', async () => {
    mark('legacy-env-ignored');
    const sb = await e2eSandbox();
    const gw = await gateway(sb, { token: A });
    await writeConfig(sb, localConfig(gw.port));
    await writeFile(join(sb.stateDir, '.env'), `MOLTBOT_GATEWAY_PORT=1234\n`);
    const r = await diagnoseJson(sb, [], { env: { ...sb.env, CLAWDBOT_GATEWAY_TOKEN: OLD } });
    expect(r.exitCode).toBe(0);
    const f = findingOf(r.report, 'legacy-env-ignored');
    expect(f.severity).toBe('warning');
    expect(f.evidence).toEqual(['set: CLAWDBOT_GATEWAY_TOKEN', 'set: MOLTBOT_GATEWAY_PORT']);
    expect(f.fix).toEqual(['unset CLAWDBOT_GATEWAY_TOKEN   # use OPENCLAW_GATEWAY_TOKEN instead', 'unset MOLTBOT_GATEWAY_PORT   # use OPENCLAW_GATEWAY_PORT instead']);
    expect(r.report.gateway.acceptedSource).toBe('config');
    expectClean(r, ALL);
  });

  it('cli-not-found: no openclaw on PATH (and no docker either)', async () => {
    mark('cli-not-found');
    const sb = await e2eSandbox({ openclaw: false, docker: 'none' });
    const gw = await gateway(sb, { token: A });
    await writeConfig(sb, localConfig(gw.port));
    const r = await diagnoseJson(sb);
    expect(r.exitCode).toBe(0);
    const f = findingOf(r.report, 'cli-not-found');
    expect(f.severity).toBe('warning');
    expect(f.evidence).toEqual(['openclaw not found on PATH']);
    expect(f.fix).toEqual(['npm install -g openclaw@latest']);
    expect(checkOf(r.report, 'openclaw-cli')).toMatchObject({ status: 'warn', note: 'openclaw not found on PATH' });
    expect(checkOf(r.report, 'docker')).toMatchObject({ status: 'skip', note: 'docker not found on PATH' });
    expect(r.report.healthy).toBe(true);
    expectClean(r, ALL);
  });
});

describe('--token-stdin', () => {
  it('a matching token: no client finding, exit 0, the stdin token is not listed as a source', async () => {
    const sb = await e2eSandbox();
    const gw = await gateway(sb, { token: A });
    await writeConfig(sb, localConfig(gw.port));
    const r = await diagnoseJson(sb, ['--token-stdin'], { input: `${A}\n` });
    expect(r.exitCode).toBe(0);
    expect(r.report.findings).toEqual([]);
    expect(r.report.sources.map((s) => s.id)).toEqual(['config']);
    expect(r.report.gateway.acceptedSource).toBe('config');
    expect(r.report.healthy).toBe(true);
    expectClean(r, ALL);
  });

  it('a mismatching token: client-token-mismatch naming both fingerprints, exit 1', async () => {
    const sb = await e2eSandbox();
    const gw = await gateway(sb, { token: A });
    await writeConfig(sb, localConfig(gw.port));
    const r = await diagnoseJson(sb, ['--token-stdin'], { input: `${OLD}\n` });
    expect(r.exitCode).toBe(1);
    const f = findingOf(r.report, 'client-token-mismatch');
    expect(f.severity).toBe('error');
    expect(f.detail).toBe(
      `The token you gave (${fingerprintOf(OLD)} (48 chars)) is not the one the gateway enforces (${fingerprintOf(A)} (48 chars), from ~/.openclaw/openclaw.json line 7 (gateway.auth.token)).`,
    );
    expect(f.evidence).toEqual([`token-stdin: ${fingerprintOf(OLD)} (48 chars)`, `accepted: ~/.openclaw/openclaw.json line 7 (gateway.auth.token): ${fingerprintOf(A)} (48 chars)`]);
    expect(r.report.sources.map((s) => s.id)).toEqual(['config']);
    expect(r.report.gateway.acceptedSource).toBe('config');
    expectClean(r, ALL);
  });

  it('an empty stdin: client-token-missing', async () => {
    const sb = await e2eSandbox();
    const gw = await gateway(sb, { token: A });
    await writeConfig(sb, localConfig(gw.port));
    const r = await diagnoseJson(sb, ['--token-stdin'], { input: '\n' });
    expect(r.exitCode).toBe(1);
    expect(findingOf(r.report, 'client-token-missing').detail).toBe('The token you gave on stdin is empty.');
    expectClean(r, ALL);
  });

  it('human output with --token-stdin never prints the token either', async () => {
    const sb = await e2eSandbox();
    const gw = await gateway(sb, { token: A });
    await writeConfig(sb, localConfig(gw.port));
    const r = await runCli(sb, ['diagnose', '--token-stdin'], { input: OLD });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain(`The token you gave (${fingerprintOf(OLD)} (48 chars)) is not the one the gateway enforces`);
    expectClean(r, ALL);
  });
});

// ------------------------------------------------------------------------------ golden output

const SNAPSHOT_DIR = join(REPO, 'snapshots', 'diagnose');

/** Stable text: no timings, temp paths, ports, pids or log timestamps. */
function normalise(text: string, sb: E2eSandbox, ports: number[]): string {
  let out = text;
  for (const root of new Set([realRoot(sb), sb.root])) out = out.split(root).join('<sandbox>');
  for (const p of ports) out = out.replace(new RegExp(`(?<![\\d])${p}(?![\\d])`, 'g'), '<port>');
  return (
    out
      // Keep the column: the digits and their padding become `<ms>` of the same width.
      .replace(/ +\d+ ms\b/g, (m) => `${'<ms>'.padStart(m.length - 3)} ms`)
      .replace(/\bpid \d+/g, 'pid <pid>')
      .replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})/g, '<time>')
  );
}

async function expectGolden(name: string, actual: string): Promise<void> {
  const file = join(SNAPSHOT_DIR, `${name}.txt`);
  if (process.env.UPDATE_SNAPSHOTS === '1') {
    await mkdir(SNAPSHOT_DIR, { recursive: true });
    await writeFile(file, actual);
  }
  let expected: string;
  try {
    expected = await readFile(file, 'utf8');
  } catch {
    throw new Error(`missing golden file ${file}: run with UPDATE_SNAPSHOTS=1 to create it, then review it`);
  }
  expect(actual).toBe(expected);
}

describe('golden human output (snapshots/diagnose/*.txt; UPDATE_SNAPSHOTS=1 rewrites them)', () => {
  async function human(sb: E2eSandbox, ports: number[], env: NodeJS.ProcessEnv = sb.env) {
    const r = await runCli(sb, ['diagnose', '--timeout', '4000'], { env: { ...env, NO_COLOR: '1' } });
    expectClean(r, ALL);
    expect(r.stderr).toBe('');
    return { ...r, text: normalise(r.stdout, sb, ports) };
  }

  it('healthy', async () => {
    const sb = await e2eSandbox();
    const gw = await startGatewayProcess(sb, { token: A, logFile: sb.logFile });
    await writeConfig(sb, localConfig(gw.port));
    const r = await human(sb, [gw.port]);
    expect(r.exitCode).toBe(0);
    await expectGolden('healthy', r.text);
  });

  it('no token configured, and the Control UI connected without one', async () => {
    const sb = await e2eSandbox();
    const gw = await startGatewayProcess(sb, { token: null, logFile: sb.logFile });
    await writeConfig(sb, localConfig(gw.port, null));
    const ui = await probeGateway({ url: `ws://127.0.0.1:${gw.port}`, timeoutMs: 3000, clientId: 'openclaw-control-ui', clientMode: 'webchat', origin: `http://127.0.0.1:${gw.port}` });
    expect(ui.reject).toBe('token-missing');
    const r = await human(sb, [gw.port]);
    expect(r.exitCode).toBe(1);
    await expectGolden('no-token-client-missing', r.text);
  });

  it('an environment variable overrides the config token', async () => {
    const sb = await e2eSandbox();
    const gw = await startGatewayProcess(sb, { token: A, logFile: sb.logFile });
    await writeConfig(sb, localConfig(gw.port));
    const r = await human(sb, [gw.port], { ...sb.env, OPENCLAW_GATEWAY_TOKEN: B });
    expect(r.exitCode).toBe(0);
    await expectGolden('env-override', r.text);
  });

  it('gateway not running', async () => {
    const sb = await e2eSandbox();
    const port = await freePort();
    await writeConfig(sb, localConfig(port));
    const r = await human(sb, [port]);
    expect(r.exitCode).toBe(1);
    await expectGolden('gateway-not-running', r.text);
  });
});

describe('diagnose --json end to end: failures beyond the article (issue 10)', () => {
  it('secretref-unresolved: gateway.auth.token is an env SecretRef this shell cannot resolve, while the gateway accepts its token', async () => {
    mark('secretref-unresolved');
    const sb = await e2eSandbox();
    const gw = await gateway(sb, { token: A });
    await writeConfig(sb, { gateway: { mode: 'local', port: gw.port, auth: { mode: 'token', token: { source: 'env', provider: 'default', id: 'OTW_E2E_GATEWAY_TOKEN' } } } });
    const r = await diagnoseJson(sb);
    expect(r.exitCode).toBe(1);
    const f = findingOf(r.report, 'secretref-unresolved');
    expect(f.severity).toBe('error');
    expect(f.evidence[0]).toBe('gateway.auth.token = {source: "env", provider: "default", id: "OTW_E2E_GATEWAY_TOKEN"}');
    expect(f.evidence[1]).toMatch(/^unresolved: /);
    expect(f.fix[0]).toContain('OTW_E2E_GATEWAY_TOKEN=<the token> in ~/.openclaw/.env');
    expect(r.report.healthy).toBe(false);
    expectClean(r, ALL);
  });

  it('url-override-needs-credentials: OPENCLAW_GATEWAY_URL in the shell without a token', async () => {
    mark('url-override-needs-credentials');
    const sb = await e2eSandbox();
    const gw = await gateway(sb, { token: A });
    await writeConfig(sb, localConfig(gw.port));
    const r = await diagnoseJson(sb, [], { env: { ...sb.env, OPENCLAW_GATEWAY_URL: gw.url } });
    expect(r.exitCode).toBe(1);
    const f = findingOf(r.report, 'url-override-needs-credentials');
    expect(f.severity).toBe('error');
    expect(f.evidence).toEqual([`shell: OPENCLAW_GATEWAY_URL=${gw.url}`, 'shell and .env files: no OPENCLAW_GATEWAY_TOKEN or OPENCLAW_GATEWAY_PASSWORD']);
    expect(f.fix[0]).toBe('unset OPENCLAW_GATEWAY_URL   # the CLI then uses the configured gateway and its credentials');
    // With the token beside it, the override is complete: no finding.
    const ok = await diagnoseJson(sb, [], { env: { ...sb.env, OPENCLAW_GATEWAY_URL: gw.url, OPENCLAW_GATEWAY_TOKEN: A } });
    expect(ok.report.findings.map((x) => x.id)).not.toContain('url-override-needs-credentials');
    expectClean(r, ALL);
  });

  it('scope-upgrade-pending: a paired Control UI asks for more scopes; the fix names the request id from the log', async () => {
    mark('scope-upgrade-pending');
    const sb = await e2eSandbox();
    const gw = await gateway(sb, { token: A, scenario: 'scope-upgrade' });
    await writeConfig(sb, localConfig(gw.port));
    const ui = await connectSigned({ url: gw.url, origin: gw.httpUrl, token: A });
    const requestId = ui.error?.details?.requestId;
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    // As on 2026.9.6: the close reason adds the request id and is cut at 120 bytes, inside it.
    expect(ui.closeReason).toBe(`pairing required: device is asking for more scopes than currently approved (requestId: ${String(requestId)}`.slice(0, 120));
    gw.setScenario('normal');
    const r = await diagnoseJson(sb);
    expect(r.exitCode).toBe(1);
    const f = findingOf(r.report, 'scope-upgrade-pending');
    expect(f.severity).toBe('error');
    expect(f.detail).toContain(`(request ${String(requestId)})`);
    expect(f.fix).toEqual(['openclaw devices list', `openclaw devices approve ${String(requestId)}`]);
    // Not mistaken for a first pairing.
    expect(r.report.findings.map((x) => x.id)).not.toContain('pairing-required');
    expectClean(r, ALL);
  });

  it('proxy-untrusted: a same-host proxy forwards the Control UI without gateway.trustedProxies: HTTP 403 at the upgrade', async () => {
    mark('proxy-untrusted');
    const sb = await e2eSandbox();
    const gw = await gateway(sb, { token: A });
    await writeConfig(sb, localConfig(gw.port));
    const ui = await connectSigned({ url: gw.url, origin: 'https://oc.example.com', token: A, headers: { 'X-Forwarded-For': '203.0.113.5', 'X-Forwarded-Proto': 'https' } });
    expect(ui.httpStatus).toBe(403);
    const r = await diagnoseJson(sb);
    expect(r.exitCode).toBe(1);
    const f = findingOf(r.report, 'proxy-untrusted');
    expect(f.severity).toBe('error');
    expect(f.evidence[0]).toMatch(/gateway: observed unattributable proxy-shaped traffic from 127\.0\.0\.1; Gateway-authenticated routes reject it, /);
    expect(f.fix[0]).toBe(`openclaw config set gateway.trustedProxies '["127.0.0.1"]' --strict-json`);
    expect(f.fix[1]).toMatch(/^openclaw config set gateway\.controlUi\.allowedOrigins '\["https:\/\/<public host of the proxy>"\]' --strict-json/);
    expectClean(r, ALL);
  });

  it('config-auto-restored: the log says OpenClaw restored the config, and the clobbered copy is beside it', async () => {
    mark('config-auto-restored');
    const sb = await e2eSandbox();
    const gw = await gateway(sb, { token: A });
    await writeConfig(sb, localConfig(gw.port));
    const copy = `${sb.configPath}.clobbered.2026-09-30T10-00-00-000Z`;
    await writeFile(copy, JSON.stringify(localConfig(gw.port, B)), { mode: 0o600 });
    gw.log(configAutoRestoredRecord(sb.configPath, 'missing-meta-vs-last-good'));
    const r = await diagnoseJson(sb);
    expect(r.exitCode).toBe(0);
    const f = findingOf(r.report, 'config-auto-restored');
    expect(f.severity).toBe('warning');
    expect(f.detail).toContain('because the edited file had no "meta" block');
    expect(f.detail).toContain(`Your edit is kept in ${copy}.`);
    expect(f.evidence).toEqual([expect.stringMatching(/Config auto-restored from backup: .* \(missing-meta-vs-last-good\)$/), `clobbered copy: ${copy}`]);
    expect(f.fix[0]).toBe(`diff ${copy} ${sb.configPath}`);
    // The copy holds a token: its content is never read, never printed.
    expectClean(r, ALL);
  });

  it('client-password-rejected: password mode, the Control UI sent no password: unhealthy, and the advice is the password, never a new token', async () => {
    mark('client-password-rejected');
    const sb = await e2eSandbox();
    const gw = await gateway(sb, { password: PW });
    await writeConfig(sb, { gateway: { mode: 'local', port: gw.port, auth: { mode: 'password', password: PW } } });
    const ui = await connectSigned({ url: gw.url, origin: gw.httpUrl });
    expect(ui.closeReason).toBe('unauthorized: gateway password missing (enter the password in Control UI settings)');
    const r = await diagnoseJson(sb);
    expect(r.exitCode).toBe(1);
    expect(r.report.healthy).toBe(false);
    const f = findingOf(r.report, 'client-password-rejected');
    expect(f.severity).toBe('error');
    expect(f.evidence[0]).toMatch(/openclaw-control-ui .*: password_missing$/);
    expect(f.fix[0]).toBe('# enter the gateway password (gateway.auth.password) in the Control UI: Settings → Gateway → Gateway secret');
    const everyFix = r.report.findings.flatMap((x) => x.fix).join('\n');
    expect(everyFix).not.toMatch(/openssl rand|generate-gateway-token/);
    expect(findingOf(r.report, 'auth-mode-not-token').fix[0]).toBe(f.fix[0]);
    expectClean(r, ALL);
  });

  it('control-ui-stale-build vs protocol-mismatch: a stale Control UI page and an old client are told apart', async () => {
    mark('control-ui-stale-build');
    const sb = await e2eSandbox();
    const gw = await gateway(sb, { token: A, buildId: '2026.9.6-release-new' });
    await writeConfig(sb, localConfig(gw.port));
    const page = await connectSigned({ url: gw.url, origin: gw.httpUrl, token: A, buildId: '2026.9.1-release-old' });
    expect(page.closeReason).toBe('protocol mismatch: Control UI updated; reload this page to continue');
    const r = await diagnoseJson(sb);
    expect(r.exitCode).toBe(1);
    const f = findingOf(r.report, 'control-ui-stale-build');
    expect(f.evidence[0]).toMatch(/openclaw-control-ui .*: protocol mismatch: Control UI updated; reload this page to continue$/);
    expect(f.fix[0]).toMatch(/^# hard-reload the Control UI tab/);
    expect(r.report.findings.map((x) => x.id)).not.toContain('protocol-mismatch');

    // An old CLI that speaks protocol 3 only: close 1002, the other finding.
    const old = await connectSigned({ url: gw.url, token: A, clientId: 'cli', clientMode: 'cli', buildId: null, minProtocol: 3, maxProtocol: 3 });
    expect(old).toMatchObject({ closeCode: 1002, closeReason: 'protocol mismatch' });
    const r2 = await diagnoseJson(sb);
    const p = findingOf(r2.report, 'protocol-mismatch');
    expect(p.evidence[0]).toMatch(/ cli \(127\.0\.0\.1\): protocol mismatch$/);
    expect(p.detail).toContain('reloading a browser tab does not help');
    expect(findingOf(r2.report, 'control-ui-stale-build').detail).toContain('A hard reload loads the current build');
    expectClean(r2, ALL);
  });
});
