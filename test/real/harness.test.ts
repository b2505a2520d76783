// Proves the real-component harness itself against the real openclaw@2026.9.6 gateway:
// start/ready/stop, the wire handshake the wizard relies on, and the real Control UI in Chromium.
// One gateway serves the whole file (startup costs 8-25 s); the last test stops it and checks
// that nothing of it survives.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { fakeToken, freePort, makeSandbox, type Sandbox } from '../support/sandbox.js';
import { listenerPids, pidsWithHome, portIsListening, realOpenClaw, redact, startRealGateway, startRealGatewayExpectFailure, stopAllRealGateways, type RealGateway } from '../support/real-openclaw.js';
import { openControlUi, withBrowser } from '../support/control-ui.js';

const TOKEN = fakeToken('harness');
const WRONG = fakeToken('wrong');
/** Screenshots land in the repo's ignored .tmp/ so a failing run can be inspected. */
const SHOTS = join(process.cwd(), '.tmp', 'real-shots');

interface HandshakeResult {
  challenge: boolean;
  /** The `res` frame answering connect (raw JSON). */
  res: { ok: boolean; payload?: { type?: string; server?: { version?: string } }; error?: { message?: string; details?: { code?: string } } } | null;
  close: { code: number; reason: string } | null;
  /** ms from sending connect to the close (or to the res when the socket stays open). */
  ms: number;
}

/** A raw protocol handshake, written out so the test does not depend on the wizard's own client. */
function handshake(wsUrl: string, token: string | null, client = { id: 'openclaw-probe', mode: 'probe' }): Promise<HandshakeResult> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(wsUrl);
    const out: HandshakeResult = { challenge: false, res: null, close: null, ms: 0 };
    let sentAt = 0;
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error(`handshake timed out: ${JSON.stringify({ ...out, res: out.res ? '…' : null })}`));
    }, 10_000);
    ws.on('message', (data) => {
      const msg = JSON.parse((data as Buffer).toString('utf8')) as { type: string; event?: string; id?: string };
      if (msg.type === 'event' && msg.event === 'connect.challenge') {
        out.challenge = true;
        sentAt = Date.now();
        ws.send(
          JSON.stringify({
            type: 'req',
            id: '1',
            method: 'connect',
            params: {
              minProtocol: 3,
              maxProtocol: 4,
              client: { id: client.id, version: '0.1.0', platform: process.platform, mode: client.mode },
              ...(token === null ? {} : { auth: { token } }),
            },
          }),
        );
      } else if (msg.type === 'res' && msg.id === '1') {
        out.res = msg as unknown as HandshakeResult['res'];
        if (out.res?.ok) {
          out.ms = Date.now() - sentAt;
          clearTimeout(timer);
          ws.close(1000);
          resolve(out);
        }
      }
    });
    ws.on('close', (code, reason) => {
      if (out.res?.ok) return;
      out.close = { code, reason: reason.toString() };
      out.ms = Date.now() - sentAt;
      clearTimeout(timer);
      resolve(out);
    });
    ws.on('error', () => undefined); // the close event carries what we need
  });
}

describe('real OpenClaw harness', () => {
  let sb: Sandbox;
  let gw: RealGateway;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    sb = await makeSandbox('otw-real-harness-');
    gw = await startRealGateway(sb, { port: await freePort(), token: TOKEN });
    console.log(`[harness] openclaw ${realOpenClaw().version}: gateway ready in ${gw.startMs} ms on ${gw.url}`);
  });

  afterAll(async () => {
    // Also on failure: stop every gateway this file started, then drop the sandbox.
    await stopAllRealGateways();
    await sb?.cleanup();
  });

  it('is the real gateway on loopback, started from the hand-written config', async () => {
    const health = await fetch(`${gw.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ ok: true, status: 'live' });
    expect((await fetch(`${gw.url}/readyz`)).status).toBe(200);
    const pids = await gw.pids();
    expect(pids.length).toBeGreaterThan(0);
    // The listener is among the owned pids, and it listens on loopback only.
    const listeners = await listenerPids(gw.port);
    expect(listeners.length).toBeGreaterThan(0);
    for (const p of listeners) expect(pids).toContain(p);
    const { execa } = await import('execa');
    const ss = String((await execa('ss', ['-ltnH', `sport = :${gw.port}`])).stdout);
    for (const line of ss.trim().split('\n')) expect(line).toMatch(/\s(127\.0\.0\.1|\[::1\]):\d+\s/);
    console.log(`[harness] process shape: launcher ${gw.launcherPid}, listeners ${listeners.join(',')}, owned ${pids.join(',')}`);
    // stdout goes to gw.outputFile, the JSON-lines log to the sandbox's own logging.file.
    expect(gw.output()).toContain('[gateway] ready');
    expect(gw.output()).not.toContain(TOKEN);
    const logLines = readFileSync(sb.logFile, 'utf8').trim().split('\n');
    expect(logLines.length).toBeGreaterThan(0);
    expect(() => JSON.parse(logLines[0]!)).not.toThrow();
  });

  it('handshake: right token -> hello-ok', async () => {
    const r = await handshake(gw.wsUrl, TOKEN);
    expect(r.challenge).toBe(true);
    expect(r.res?.ok).toBe(true);
    expect(r.res?.payload?.type).toBe('hello-ok');
    expect(r.res?.payload?.server?.version).toBe(realOpenClaw().version);
    console.log(`[harness] hello-ok in ${r.ms} ms`);
  });

  it('handshake: wrong token -> 1008 token mismatch, deliberately slow', async () => {
    const r = await handshake(gw.wsUrl, WRONG);
    expect(r.res?.ok).toBe(false);
    expect(r.res?.error?.details?.code).toBe('AUTH_TOKEN_MISMATCH');
    expect(r.close?.code).toBe(1008);
    expect(r.close?.reason).toMatch(/^unauthorized: gateway token mismatch/);
    expect(r.ms).toBeGreaterThan(200);
    console.log(`[harness] mismatch close after ${r.ms} ms: ${r.close?.reason}`);
  });

  it('Control UI: #token=<right token> connects; no token shows "token missing"', async () => {
    await withBrowser(async (browser) => {
      const ok = await openControlUi(browser, `${gw.url}/#token=${TOKEN}`, { timeoutMs: 45_000 });
      await ok.screenshot(join(SHOTS, 'harness-connected.png'));
      expect({ state: ok.state, errorText: ok.errorText }).toEqual({ state: 'connected', errorText: null });
      expect(ok.helloOk).toBe(true);
      expect(ok.mainTextLength).toBeGreaterThan(40); // the app rendered, not just its frame
      expect(ok.page.url()).not.toContain(TOKEN); // the UI strips the fragment
      await ok.close();

      // A new context: nothing remembered from the tokenized visit above.
      const missing = await openControlUi(browser, `${gw.url}/`, { timeoutMs: 45_000 });
      await missing.screenshot(join(SHOTS, 'harness-token-missing.png'));
      expect(missing.state).toBe('error');
      expect(missing.errorKind).toBe('auth-required');
      expect(missing.title).toBe('This Gateway expects its token');
      expect(missing.errorText).toMatch(/^unauthorized: gateway token missing/);
      console.log(`[harness] UI connected in ${ok.elapsedMs} ms; token-missing shown in ${missing.elapsedMs} ms`);
      await missing.close();
    });
  });

  it('Control UI from a foreign origin fails with "origin not allowed"', async () => {
    await withBrowser(
      async (browser) => {
        const r = await openControlUi(browser, `http://gw.example.test:${gw.port}/#token=${TOKEN}`, { timeoutMs: 45_000 });
        expect(r.state).toBe('error');
        expect(r.errorKind).toBe('origin-not-allowed');
        expect(r.errorText).toMatch(/^origin not allowed/);
        await r.close();
      },
      { hostResolverRules: 'MAP gw.example.test 127.0.0.1' },
    );
  });

  it('stop() ends every owned process and frees the port', async () => {
    const before = await gw.pids();
    expect(before.length).toBeGreaterThan(0);
    const t0 = Date.now();
    await gw.stop();
    console.log(`[harness] stopped ${before.length} processes in ${Date.now() - t0} ms`);
    expect(pidsWithHome(sb.home)).toEqual([]);
    expect(await portIsListening(gw.port)).toBe(false);
    expect(await gw.pids()).toEqual([]);
    await gw.stop(); // idempotent
  });

  it('a non-local gateway.mode refuses to start (startRealGatewayExpectFailure)', async () => {
    const sb2 = await makeSandbox('otw-real-remote-');
    try {
      const port = await freePort();
      const r = await startRealGatewayExpectFailure(sb2, { port, mode: 'remote', token: TOKEN });
      console.log(`[harness] mode=remote: exit ${r.exitCode} after ${r.elapsedMs} ms`);
      expect(r.exitCode).not.toBe(0);
      expect(r.output).toContain('Gateway start blocked: set gateway.mode=local (current: remote)');
      expect(r.output).not.toContain(TOKEN);
      expect(pidsWithHome(sb2.home)).toEqual([]);
      expect(await portIsListening(port)).toBe(false);
    } finally {
      await sb2.cleanup();
    }
  });

  it('redact() scrubs tokens and #token= fragments', () => {
    expect(redact(`x ${TOKEN} y http://h/#token=abc&z=1`, [TOKEN])).toBe('x <redacted> y http://h/#token=<redacted>&z=1');
  });
});
