// The signed Control UI client (test/support/signed-client.ts) against the REAL openclaw@2026.9.6
// gateway: its Ed25519 device proof over the v3 payload is accepted, and it produces, without a
// browser, the failures only such a client meets; `diagnose --json` then names each from the
// real gateway's log. One gateway serves the file (a start costs 10-25 s on 2 cores).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, makeSandbox, type Sandbox } from '../support/sandbox.js';
import { startRealGateway, type RealGateway } from '../support/real-openclaw.js';
import { realTarget } from '../support/real-wizard.js';
import { diagnoseJson } from '../support/cli.js';
import { expectNoLeak } from '../support/leaks.js';
import { connectSigned, newDeviceIdentity } from '../support/signed-client.js';

let sb: Sandbox;
let gw: RealGateway;

beforeAll(async () => {
  sb = await makeSandbox('otw-real-signed-');
  gw = await startRealGateway(sb, { port: await freePort(), readyTimeoutMs: 180_000 });
}, 200_000);

afterAll(async () => {
  await gw?.stop();
  await sb?.cleanup();
}, 60_000);

describe('signed Control UI client on the real gateway', () => {
  it('a device-signed Control UI with the token and buildId "dev" connects (the v3 signature is right)', async () => {
    const r = await connectSigned({ url: gw.wsUrl, origin: gw.url, token: gw.token!, identity: newDeviceIdentity(), timeoutMs: 15_000 });
    expect({ ok: r.ok, closeReason: r.closeReason, error: r.error?.message ?? null }).toEqual({ ok: true, closeReason: null, error: null });
    expect(r.hello).toMatchObject({ type: 'hello-ok', protocol: 4 });
  }, 30_000);

  it('a Control UI page of another build: "Control UI updated; reload", named control-ui-stale-build, not protocol-mismatch', async () => {
    const r = await connectSigned({ url: gw.wsUrl, origin: gw.url, token: gw.token!, buildId: '2026.9.1-release-old', timeoutMs: 15_000 });
    expect(r.ok).toBe(false);
    expect(r.closeReason ?? r.error?.message).toBe('protocol mismatch: Control UI updated; reload this page to continue');
    const d = await diagnoseJson(realTarget(sb));
    const ids = d.report.findings.map((f) => f.id);
    expect(ids).toContain('control-ui-stale-build');
    expect(ids).not.toContain('protocol-mismatch');
    expectNoLeak(d, [gw.token]);
  }, 60_000);

  it('forwarded headers from loopback without gateway.trustedProxies: HTTP 403 at the upgrade, named proxy-untrusted', async () => {
    const r = await connectSigned({
      url: gw.wsUrl,
      origin: 'https://oc.example.com',
      token: gw.token!,
      headers: { 'X-Forwarded-For': '203.0.113.5', 'X-Forwarded-Proto': 'https' },
      timeoutMs: 15_000,
    });
    expect(r.httpStatus).toBe(403);
    const d = await diagnoseJson(realTarget(sb));
    const f = d.report.findings.find((x) => x.id === 'proxy-untrusted');
    expect(f?.evidence[0]).toMatch(/observed unattributable proxy-shaped traffic from 127\.0\.0\.1/);
    expect(f?.fix[0]).toBe(`openclaw config set gateway.trustedProxies '["127.0.0.1"]' --strict-json`);
    expectNoLeak(d, [gw.token]);
  }, 60_000);

  it('a client that speaks protocol 3 only: close 1002, named protocol-mismatch from the log', async () => {
    const r = await connectSigned({ url: gw.wsUrl, token: gw.token!, clientId: 'cli', clientMode: 'cli', buildId: null, minProtocol: 3, maxProtocol: 3, timeoutMs: 15_000 });
    expect({ code: r.closeCode, reason: r.closeReason }).toEqual({ code: 1002, reason: 'protocol mismatch' });
    const d = await diagnoseJson(realTarget(sb));
    const f = d.report.findings.find((x) => x.id === 'protocol-mismatch');
    expect(f?.evidence[0]).toMatch(/ cli .*protocol mismatch/);
    expectNoLeak(d, [gw.token]);
  }, 60_000);
});
