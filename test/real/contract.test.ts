// Contract: the fake gateway (src/demo/fake-gateway.ts, used by the fast suite and the demo) must
// answer the wizard's probes exactly like the real openclaw@2026.9.6 gateway: same ProbeResult
// kind, close code, close reason and error.details.code, for every handshake we can make the real
// one produce here. One real gateway for the whole file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeToken, freePort, makeSandbox, type Sandbox } from '../support/sandbox.js';
import { startRealGateway, stopAllRealGateways, type RealGateway } from '../support/real-openclaw.js';
import { startFakeGateway, type FakeGateway } from '../../src/demo/fake-gateway.js';
import { probeGateway } from '../../src/gateway/probe.js';
import type { ProbeOptions, ProbeResult } from '../../src/gateway/types.js';

const TOKEN = fakeToken('contract');
const WRONG = fakeToken('contract-wrong');

type Case = { name: string; opts: (base: { url: string; httpUrl: string }) => Omit<ProbeOptions, 'url' | 'timeoutMs'> };

const CASES: Case[] = [
  { name: 'right token, probe client', opts: () => ({ token: TOKEN }) },
  { name: 'wrong token, probe client', opts: () => ({ token: WRONG }) },
  { name: 'no token, probe client', opts: () => ({}) },
  { name: 'no token, cli client', opts: () => ({ clientId: 'cli', clientMode: 'cli' }) },
  { name: 'wrong token, cli client', opts: () => ({ token: WRONG, clientId: 'cli', clientMode: 'cli' }) },
  { name: 'right token, cli client', opts: () => ({ token: TOKEN, clientId: 'cli', clientMode: 'cli' }) },
  { name: 'control-ui, foreign Origin, right token', opts: () => ({ token: TOKEN, clientId: 'openclaw-control-ui', clientMode: 'webchat', origin: 'http://evil.example' }) },
  { name: 'control-ui, gateway Origin, no token, no device', opts: (b) => ({ clientId: 'openclaw-control-ui', clientMode: 'webchat', origin: b.httpUrl }) },
  { name: 'control-ui, gateway Origin, right token, no device', opts: (b) => ({ token: TOKEN, clientId: 'openclaw-control-ui', clientMode: 'webchat', origin: b.httpUrl }) },
  { name: 'protocol range without 4', opts: () => ({ token: TOKEN, minProtocol: 5, maxProtocol: 5 }) },
];

/** What must agree. The reason is compared whole (it is what users paste into search engines). */
function shape(r: ProbeResult) {
  return { kind: r.kind, closeCode: r.closeCode, closeReason: r.closeReason, detailsCode: r.detailsCode, reject: r.reject };
}

describe('contract: fake gateway == real gateway, probe by probe', () => {
  let sb: Sandbox;
  let real: RealGateway;
  let fake: FakeGateway;
  const realResults = new Map<string, ReturnType<typeof shape>>();

  beforeAll(async () => {
    sb = await makeSandbox('otw-real-contract-');
    real = await startRealGateway(sb, { port: await freePort(), token: TOKEN, readyTimeoutMs: 180_000 });
    fake = await startFakeGateway({ token: TOKEN, controlUiDevice: false });
    console.log(`[contract] real gateway ready in ${real.startMs} ms`);
    // Sequentially: concurrent failures share the real gateway's loopback penalty timer.
    for (const c of CASES) {
      const r = await probeGateway({ url: real.wsUrl, timeoutMs: 8000, ...c.opts({ url: real.wsUrl, httpUrl: real.url }) });
      realResults.set(c.name, shape(r));
    }
  });

  afterAll(async () => {
    await fake?.close();
    await stopAllRealGateways();
    await sb?.cleanup();
  });

  for (const c of CASES) {
    it(c.name, async () => {
      const fromFake = shape(await probeGateway({ url: fake.url, timeoutMs: 8000, ...c.opts({ url: fake.url, httpUrl: fake.httpUrl }) }));
      const fromReal = realResults.get(c.name)!;
      expect(fromReal.kind).not.toBe('no-answer'); // the real gateway answered: the contract means something
      expect(fromFake).toEqual(fromReal);
    });
  }

  it('the real answers are the ones the wizard is built on', () => {
    expect(realResults.get('right token, probe client')!.kind).toBe('hello-ok');
    expect(realResults.get('wrong token, probe client')).toMatchObject({ kind: 'rejected', closeCode: 1008, detailsCode: 'AUTH_TOKEN_MISMATCH', reject: 'token-mismatch' });
    expect(realResults.get('control-ui, foreign Origin, right token')).toMatchObject({ detailsCode: 'CONTROL_UI_ORIGIN_NOT_ALLOWED', reject: 'origin-not-allowed' });
  });
});
