// The wizard against the REAL openclaw@2026.9.6 gateway and the real Control UI in Chromium:
// break it for real, `diagnose --json`, `fix --yes` where a fix exists, verify in the browser.
// Two gateways serve this file (a start costs 10-25 s on 2 cores):
//   A: scenario 1 (fresh install: no token) — the wizard restarts it;
//   B: scenarios 9 (healthy), 2 (rotation not propagated), 3 (stale env), 4 (Docker), 8 (origin),
//      in that order, each leaving B healthy for the next.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { fakeToken, freePort, makeSandbox, type Sandbox } from '../support/sandbox.js';
import { openclawCmd, pidsWithHome, portIsListening, redact, startRealGateway, stopAllRealGateways, type RealGateway } from '../support/real-openclaw.js';
import { CHROMIUM_FLAGS, CHROMIUM_PATH, openControlUi, withBrowser, type ControlUiResult } from '../support/control-ui.js';
import { dockerStub, ids, realTarget, wizard, wizardDashboardUrl, type WizardRun } from '../support/real-wizard.js';
import { diagnoseJson } from '../support/cli.js';
import { expectNoLeak } from '../support/leaks.js';
import { sleep } from '../support/sleep.js';
import { probeGateway } from '../../src/gateway/probe.js';
import { readGatewayLog } from '../../src/facts/gateway-log.js';

const SHOTS = join(process.cwd(), '.tmp', 'real-shots');

/** Every raw token this file ever created: none may appear in any wizard output. */
const secrets = new Set<string>();

function expectNoToken(run: WizardRun | string, extra: Array<string | null> = []): void {
  expectNoLeak(run, [...secrets, ...extra]);
}

/** The config token as written now (the wizard generates its own). */
function configToken(sb: Sandbox): string | null {
  const cfg = JSON.parse(readFileSync(sb.configPath, 'utf8')) as { gateway?: { auth?: { token?: string } } };
  const t = cfg.gateway?.auth?.token ?? null;
  if (t) secrets.add(t);
  return t;
}

async function accepts(url: string, token: string): Promise<string> {
  const r = await probeGateway({ url, token, timeoutMs: 8000 });
  return r.kind;
}

/**
 * Screenshot for a person to look at, under .tmp/real-shots/ (not kept in the repository: a PNG of
 * a live app is not byte-stable and nothing compares it; what the page shows is asserted on its DOM).
 * Before shooting, the page must not show the token anywhere: not as text, not in a non-password input.
 */
async function shoot(ui: ControlUiResult, name: string): Promise<void> {
  const leaks = await ui.page.evaluate(
    (tokens: string[]) => {
      const found: string[] = [];
      const visit = (root: Document | ShadowRoot) => {
        for (const el of Array.from(root.querySelectorAll('input, textarea'))) {
          const v = (el as HTMLInputElement).value ?? '';
          if (tokens.some((t) => v.includes(t)) && (el as HTMLInputElement).type !== 'password') found.push(`${el.tagName} type=${(el as HTMLInputElement).type}`);
        }
        for (const el of Array.from(root.querySelectorAll('*'))) if (el.shadowRoot) visit(el.shadowRoot);
      };
      visit(document);
      const text = document.body?.innerText ?? '';
      if (tokens.some((t) => text.includes(t))) found.push('page text');
      if (tokens.some((t) => location.href.includes(t))) found.push('address bar');
      return found;
    },
    [...secrets],
  );
  expect(leaks, `token visible on the page before screenshot ${name}`).toEqual([]);
  mkdirSync(SHOTS, { recursive: true });
  const tmp = join(SHOTS, `${name}.png`);
  await ui.screenshot(tmp);
}

let browser: Browser;

beforeAll(async () => {
  // One Chromium for the file; every openControlUi() gets its own context (own storage).
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_FLAGS, timeout: 60_000 });
});

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await stopAllRealGateways();
});

describe('scenario 1: fresh install, no token configured (real gateway A)', () => {
  let sb: Sandbox;
  let gw: RealGateway;

  beforeAll(async () => {
    sb = await makeSandbox('otw-real-s1-');
    gw = await startRealGateway(sb, { port: await freePort(), token: null, readyTimeoutMs: 180_000 });
    console.log(`[s1] gateway without a token ready in ${gw.startMs} ms`);
  });
  afterAll(async () => {
    // The wizard restarted the gateway: stop() finds the new one by the sandbox HOME.
    await gw?.stop();
    expect(pidsWithHome(sb.home)).toEqual([]);
    await sb?.cleanup();
  });

  it('the UI shows "token missing"; diagnose: no-token-configured + client-token-missing; fix --yes; the wizard URL connects', async () => {
    const before = await openControlUi(browser, `${gw.url}/`, { timeoutMs: 45_000 });
    expect(before.state).toBe('error');
    expect(before.errorKind).toBe('auth-required');
    expect(before.errorText).toMatch(/^unauthorized: gateway token missing/);
    await shoot(before, 'fresh-install-before');
    await before.close();

    const d1 = await diagnoseJson(realTarget(sb));
    expect(d1.exitCode).toBe(1);
    expect(ids(d1.report)).toEqual(['client-token-missing', 'no-token-configured']);
    const missing = d1.report.findings.find((f) => f.id === 'client-token-missing')!;
    expect(missing.evidence.join('\n')).toMatch(/openclaw-control-ui from http:\/\/127\.0\.0\.1:\d+ .*token_missing/);
    expect(d1.report.findings.find((f) => f.id === 'no-token-configured')!.evidence.join('\n')).toContain('Generated a runtime token');
    expectNoToken(d1);

    const oldLauncher = gw.launcherPid;
    const fix = await wizard(sb, ['fix', '--yes']);
    const token = configToken(sb);
    expect(token).toMatch(/^[0-9a-f]{48}$/);
    expectNoToken(fix);
    // The token write does not reach a gateway that started without one: the wizard restarts it.
    expect(fix.stdout).toContain('Generate a gateway token and save it in the config');
    expect(fix.stdout).toContain('Restart the gateway so it enforces the config token');
    expect(fix.stdout).toContain('the gateway is back and accepts the config token');
    // Without a terminal no browser was handed the token, so the run does not claim a connection.
    expect(fix.stdout).toContain('Gateway ready; the Control UI has not connected yet');
    expect(fix.exitCode).toBe(3);
    console.log(`[s1] fix --yes took ${fix.ms} ms (exit ${fix.exitCode})`);
    expect(await accepts(gw.wsUrl, token!)).toBe('hello-ok');
    expect((await gw.pids()).includes(oldLauncher)).toBe(false);

    const { url, run } = await wizardDashboardUrl(sb);
    expect(run.exitCode).toBe(0);
    expect(url).toBe(`${gw.url}/#token=${token}`);
    const after = await openControlUi(browser, url, { timeoutMs: 45_000 });
    expect({ state: after.state, errorText: after.errorText }).toEqual({ state: 'connected', errorText: null });
    await shoot(after, 'fresh-install-after');
    await after.close();

    const d2 = await diagnoseJson(realTarget(sb));
    expect(d2.report.healthy).toBe(true);
    expect(ids(d2.report)).toEqual([]);
    expect(d2.exitCode).toBe(0);
    expectNoToken(d2);
  });
});

describe('real gateway B: scenarios 9, 2, 3, 4, 8', () => {
  let sb: Sandbox;
  let gw: RealGateway;
  const OLD = fakeToken('rotated-away');
  secrets.add(OLD);

  beforeAll(async () => {
    sb = await makeSandbox('otw-real-s2-');
    gw = await startRealGateway(sb, { port: await freePort(), token: OLD, readyTimeoutMs: 180_000 });
    console.log(`[B] gateway ready in ${gw.startMs} ms`);
  });
  afterAll(async () => {
    await gw?.stop();
    expect(pidsWithHome(sb.home)).toEqual([]);
    await sb?.cleanup();
  });

  it('scenario 9: a healthy setup is healthy, exit 0, and the wizard URL connects', async () => {
    const d = await diagnoseJson(realTarget(sb));
    expect(d.report.healthy).toBe(true);
    expect(d.exitCode).toBe(0);
    expect(ids(d.report)).toEqual([]);
    expect(d.report.gateway.version).toBe('2026.9.6');
    expectNoToken(d);
    const { url } = await wizardDashboardUrl(sb);
    expect(url).toBe(`${gw.url}/#token=${OLD}`);
    const ui = await openControlUi(browser, url, { timeoutMs: 45_000 });
    expect(ui.state).toBe('connected');
    await ui.close();
  });

  it('scenario 2: rotation not propagated: a browser with the old token gets "token mismatch"; the wizard URL connects', async () => {
    const NEW = fakeToken('rotated-new');
    secrets.add(NEW);
    const set = await openclawCmd(sb, ['config', 'set', 'gateway.auth.token', JSON.stringify(NEW)]);
    expect(set.exitCode).toBe(0);
    // A gateway that started with a token hot-reloads a token change (verified-live.md).
    const deadline = Date.now() + 15_000;
    while ((await accepts(gw.wsUrl, NEW)) !== 'hello-ok' && Date.now() < deadline) await sleep(500);
    expect(await accepts(gw.wsUrl, NEW)).toBe('hello-ok');

    const before = await openControlUi(browser, `${gw.url}/#token=${OLD}`, { timeoutMs: 45_000 });
    expect(before.state).toBe('error');
    expect(before.errorKind).toBe('auth-failed');
    expect(before.errorText).toMatch(/^unauthorized: gateway token mismatch/);
    await shoot(before, 'rotation-before');
    await before.close();

    const d1 = await diagnoseJson(realTarget(sb));
    expect(ids(d1.report)).toEqual(['client-token-mismatch']);
    expect(d1.report.findings[0]!.evidence.join('\n')).toMatch(/openclaw-control-ui from http:\/\/127\.0\.0\.1:\d+ .*token_mismatch/);
    expect(d1.exitCode).toBe(1);
    expectNoToken(d1);

    const fix = await wizard(sb, ['fix', '--yes']);
    expectNoToken(fix);
    expect(fix.stdout).toContain('Put the token into the Control UI');
    expect(fix.stdout).not.toMatch(/#token=sha256:/); // never a fingerprint where the token belongs
    expect(fix.stdout).toContain('openclaw-token-wizard open --print --show-token');
    expect(await accepts(gw.wsUrl, NEW)).toBe('hello-ok');

    const { url } = await wizardDashboardUrl(sb);
    expect(url).toBe(`${gw.url}/#token=${NEW}`);
    const after = await openControlUi(browser, url, { timeoutMs: 45_000 });
    expect({ state: after.state, errorText: after.errorText }).toEqual({ state: 'connected', errorText: null });
    await shoot(after, 'rotation-after');
    await after.close();

    // The browser's latest handshake is now a success: nothing left to report.
    const d2 = await diagnoseJson(realTarget(sb));
    expect(ids(d2.report)).toEqual([]);
    expect(d2.report.healthy).toBe(true);
  });

  it('scenario 3: a stale OPENCLAW_GATEWAY_TOKEN in ~/.openclaw/.env and in the environment: env-token-differs naming both', async () => {
    const STALE = fakeToken('stale-env');
    secrets.add(STALE);
    const envFile = join(sb.stateDir, '.env');
    writeFileSync(envFile, `# written long ago\nOPENCLAW_GATEWAY_TOKEN=${STALE}\n`);
    const env = { OPENCLAW_GATEWAY_TOKEN: STALE };
    const d = await diagnoseJson(realTarget(sb, { env }));
    expectNoToken(d);
    const f = d.report.findings.find((x) => x.id === 'env-token-differs');
    expect(f, JSON.stringify(ids(d.report))).toBeDefined();
    expect(f!.detail).toContain('environment variable OPENCLAW_GATEWAY_TOKEN');
    expect(f!.detail).toContain('~/.openclaw/.env line 2');
    // The stale values were never sent: the gateway accepted the config token first.
    expect(f!.evidence.join('\n')).not.toContain('(accepted by the gateway)');
    expect(ids(d.report)).toEqual(['env-token-differs']);

    const fix = await wizard(sb, ['fix', '--yes'], { env });
    expectNoToken(fix);
    expect(fix.stdout).toContain('Remove the stale OPENCLAW_GATEWAY_TOKEN');
    const text = readFileSync(envFile, 'utf8');
    expect(text).toMatch(/^# OPENCLAW_GATEWAY_TOKEN=/m);
    expect(text).not.toMatch(/^OPENCLAW_GATEWAY_TOKEN=/m);
    // The variable in the wizard's own environment cannot be unset from inside: it says so.
    expect(fix.stdout).toContain('unset OPENCLAW_GATEWAY_TOKEN');
    expect(await accepts(gw.wsUrl, configToken(sb)!)).toBe('hello-ok');
    // Without the shell variable the setup is clean again.
    const d2 = await diagnoseJson(realTarget(sb));
    expect(ids(d2.report)).toEqual([]);
  });

  it('scenario 4: Docker: compose .env passes another token to openclaw-gateway: docker-env-override with file and line', async () => {
    const DOCKER = fakeToken('docker-env');
    secrets.add(DOCKER);
    const proj = sb.cwd;
    writeFileSync(join(proj, 'docker-compose.yml'), readFileSync(join(process.cwd(), 'test', 'fixtures', 'compose', 'openclaw', 'docker-compose.yml'), 'utf8'));
    writeFileSync(join(proj, '.env'), `OPENCLAW_IMAGE=openclaw:local\nOPENCLAW_CONFIG_DIR=${sb.stateDir}\nOPENCLAW_WORKSPACE_DIR=${sb.stateDir}/workspace\nOPENCLAW_GATEWAY_TOKEN=${DOCKER}\n`);
    const stub = dockerStub(join(sb.cwd, '..', 'stub-bin'));
    const opts = { pathFirst: [stub.dir] };
    const d = await diagnoseJson(realTarget(sb, opts));
    expectNoToken(d);
    const f = d.report.findings.find((x) => x.id === 'docker-env-override');
    expect(f, JSON.stringify(ids(d.report))).toBeDefined();
    expect(f!.evidence.join('\n')).toMatch(/docker-compose\.yml line 8 \(openclaw-gateway OPENCLAW_GATEWAY_TOKEN via \.env line 4\)/);
    // The value is interpolated from the project's .env: that line is the one to change.
    expect(f!.fix).toEqual([
      expect.stringMatching(new RegExp(`^\\$EDITOR '?${join(proj, '.env').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}'?   # line 4: OPENCLAW_GATEWAY_TOKEN=<config token sha256:[0-9a-f]{8}>$`)),
      // Run from the compose project's directory, in this machine's compose form (the stub has the plugin).
      `cd ${proj} && docker compose up -d openclaw-gateway`,
    ]);
    // The same .env sits in the working directory, where the openclaw CLI reads it too.
    expect(ids(d.report)).toEqual(['docker-env-override', 'env-token-differs']);

    // No container of this project runs the gateway (it is a host process): recreating the
    // project's containers is not covered by --yes (issue 9, D22). The fix itself, .env aligned
    // and the container recreated, is proven on a real engine in test/docker/diagnose-container.
    const fix = await wizard(sb, ['fix', '--yes'], opts);
    expectNoToken(fix);
    expect(fix.stdout).toContain('Make Docker pass the same token as the config');
    expect(fix.stdout).toMatch(/which is not the one running this gateway .*needs an explicit answer in a terminal/s);
    expect(readFileSync(join(proj, '.env'), 'utf8')).not.toContain(`OPENCLAW_GATEWAY_TOKEN=${configToken(sb)!}`);
    expect(existsSync(stub.callsFile) ? readFileSync(stub.callsFile, 'utf8') : '').not.toContain('compose up');
    expect(await accepts(gw.wsUrl, configToken(sb)!)).toBe('hello-ok');
    // The next scenarios diagnose in the same working directory: leave no compose project there.
    rmSync(join(proj, 'docker-compose.yml'));
    rmSync(join(proj, '.env'));
  });

  it('scenario 8: the Control UI from an origin the gateway does not allow: origin-not-allowed', async () => {
    const token = configToken(sb)!;
    const host = 'gw.example.test';
    const r = await withBrowser(
      async (b) => {
        const ui = await openControlUi(b, `http://${host}:${gw.port}/#token=${token}`, { timeoutMs: 45_000 });
        const out = { state: ui.state, kind: ui.errorKind, text: ui.errorText };
        await ui.close();
        return out;
      },
      { hostResolverRules: `MAP ${host} 127.0.0.1` },
    );
    expect(r.state).toBe('error');
    expect(r.kind).toBe('origin-not-allowed');
    // The gateway writes its log asynchronously: diagnose once the refusal is on disk, as the
    // wizard's own log reader sees it (any record naming the origin is not enough).
    const refused = async () => (await readGatewayLog({ candidates: [sb.logFile], port: gw.port })).handshakes.some((h) => h.kind === 'origin-not-allowed');
    for (let i = 0; i < 100 && !(await refused()); i++) await sleep(100);
    const d = await diagnoseJson(realTarget(sb));
    expectNoToken(d);
    // Once in CI this diagnosis found nothing: say what the log and the diagnosis held if it happens again.
    const seen = `log records:\n${redact(readFileSync(sb.logFile, 'utf8').split('\n').slice(-8).join('\n'), [token])}\nchecks: ${d.report.checks.map((c) => `${c.id}: ${c.status} ${c.note}`).join('; ')}`;
    expect(ids(d.report), seen).toEqual(['origin-not-allowed']);
    const f = d.report.findings[0]!;
    expect(f.detail).toContain(`http://${host}:${gw.port}`);
    expect(f.fix[0]).toBe(`openclaw config set gateway.controlUi.allowedOrigins '["http://${host}:${gw.port}"]'`);
    // allowOrigin changes who may reach the gateway: --yes alone does not apply it.
    const fix = await wizard(sb, ['fix', '--yes']);
    expectNoToken(fix);
    expect(fix.stdout).toContain('Allow the origin the Control UI is opened from');
    expect(fix.stdout).toMatch(/needs an explicit answer/);
    expect(fix.exitCode).toBe(1);
    expect(await accepts(gw.wsUrl, token)).toBe('hello-ok');
    expect(await portIsListening(gw.port)).toBe(true);
  });
});
