// Contract, part three: the browser-origin lockout and device pairing. The same signed Control UI
// handshakes (test/support/signed-client.ts) go to the real openclaw@2026.9.6 gateway and to the
// fake one (src/demo/fake-gateway.ts), both configured alike: gateway.auth.rateLimit of 2 failures
// (so the lockout comes quickly), a trusted same-host proxy (so a client can look remote and need
// pairing) and one allowed remote origin. What must agree: each answer (close code and reason,
// error and details codes, the request id's shape) and what the wizard reads from each log.
// The fake does not model device approval: its pairing answers come from its scenarios
// ('pairing-required', 'scope-upgrade'), switched in step with the real run.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGateway, type FakeGateway, type FakeScenario } from '../../src/demo/fake-gateway.js';
import { readGatewayLog } from '../../src/facts/gateway-log.js';
import type { GatewayLogFacts, LogHandshake } from '../../src/facts/types.js';
import { openclawCmd, startRealGateway, stopAllRealGateways, type RealGateway } from '../support/real-openclaw.js';
import { fakeToken, freePort, makeSandbox, type Sandbox } from '../support/sandbox.js';
import { connectSigned, newDeviceIdentity, type SignedClientOptions, type SignedClientResult } from '../support/signed-client.js';
import { sleep } from '../support/sleep.js';

const TOKEN = fakeToken('contract-limits');
const REMOTE_ORIGIN = 'https://oc.example.com';
const RATE_LIMIT = { maxAttempts: 2, windowMs: 60_000, lockoutMs: 60_000 };
const GATEWAY_CONFIG = { auth: { rateLimit: RATE_LIMIT }, trustedProxies: ['127.0.0.1'], controlUi: { allowedOrigins: [REMOTE_ORIGIN] } };

/** One gateway under test, as the sequence drives it. */
interface Target {
  wsUrl: string;
  port: number;
  /** Real: `openclaw devices approve <id>`; fake: its next answers come from this scenario. */
  approve(requestId: string): Promise<void>;
  /** Fake only: the scenario the next handshake meets (the real gateway gets there by itself). */
  expect(s: FakeScenario): void;
}

type Step = { name: string; answer: SignedClientResult };

/** Replaces every (possibly cut) UUID by its shape, so two runs compare. */
const idShape = (s: string) => s.replace(/[0-9a-f]{8}(-[0-9a-f]{0,12})*/g, (m) => m.replace(/[0-9a-f]/g, 'x'));

/** What must agree about one answer. */
function answer(r: SignedClientResult, port: number) {
  const d = r.error?.details ?? {};
  const requestId = typeof d.requestId === 'string' ? d.requestId : null;
  return {
    ok: r.ok,
    httpStatus: r.httpStatus,
    closeCode: r.closeCode,
    closeReason: r.closeReason === null ? null : idShape(r.closeReason).replaceAll(String(port), 'PORT'),
    closeReasonBytes: r.closeReason === null ? 0 : Buffer.byteLength(r.closeReason),
    errorCode: r.error?.code ?? null,
    detailsCode: typeof d.code === 'string' ? d.code : null,
    detailsReason: typeof d.reason === 'string' ? d.reason : null,
    authReason: typeof d.authReason === 'string' ? d.authReason : null,
    requestId: requestId === null ? null : idShape(requestId),
    nextStep: typeof d.recommendedNextStep === 'string' ? d.recommendedNextStep : null,
    canRetryWithDeviceToken: typeof d.canRetryWithDeviceToken === 'boolean' ? d.canRetryWithDeviceToken : null,
    retryAfter: typeof (r.error as { retryAfterMs?: unknown } | null)?.retryAfterMs === 'number',
  };
}

/** The sequence, identical for both gateways: a stale tab locks its origin out, then a remote device pairs and asks for more. */
async function runSequence(t: Target): Promise<Step[]> {
  const steps: Step[] = [];
  const run = async (name: string, o: Omit<SignedClientOptions, 'url' | 'timeoutMs'>) => {
    const r = await connectSigned({ url: t.wsUrl, timeoutMs: 15_000, ...o });
    steps.push({ name, answer: r });
    return r;
  };
  const local = { origin: `http://localhost:${t.port}`, headers: { Host: `localhost:${t.port}` } };
  for (let i = 0; i < RATE_LIMIT.maxAttempts; i++) await run(`stale tab, wrong token #${i + 1}`, { ...local, token: fakeToken('stale-tab') });
  await run('stale tab origin, right token (locked)', { ...local, token: TOKEN });
  await run('other loopback name, right token (own bucket)', { origin: `http://127.0.0.1:${t.port}`, token: TOKEN });

  const identity = newDeviceIdentity();
  const remote = {
    origin: REMOTE_ORIGIN,
    token: TOKEN,
    identity,
    headers: { 'X-Forwarded-For': '203.0.113.5', 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': 'oc.example.com', Host: 'oc.example.com' },
  };
  t.expect('pairing-required');
  const first = await run('remote device, first connect (pairing required)', { ...remote, scopes: ['operator.read'] });
  const id = first.error?.details?.requestId;
  await t.approve(typeof id === 'string' ? id : '');
  await run('remote device, approved scopes', { ...remote, scopes: ['operator.read'] });
  t.expect('scope-upgrade');
  await run('remote device asks for more scopes (scope upgrade)', { ...remote, scopes: ['operator.read', 'operator.write', 'operator.admin'] });
  return steps;
}

/** What the wizard reads from a record, with this gateway's own port made neutral. */
function record(h: LogHandshake, port: number) {
  return {
    kind: h.kind,
    client: h.client,
    origin: h.origin?.replaceAll(String(port), 'PORT') ?? null,
    remote: h.remote,
    reason: h.reason === null ? null : idShape(h.reason),
    requestId: h.requestId === null ? null : idShape(h.requestId),
  };
}

/** The log as the wizard reads it, once it stops growing (logs are written asynchronously). */
async function settledLog(file: string, port: number, atLeast: number): Promise<GatewayLogFacts> {
  let last: GatewayLogFacts | null = null;
  for (let i = 0; i < 40; i++) {
    const facts = await readGatewayLog({ candidates: [file], port });
    if (last && facts.handshakes.length === last.handshakes.length && facts.handshakes.length >= atLeast) return facts;
    last = facts;
    await sleep(250);
  }
  return last!;
}

describe('contract: rate limit and pairing, fake gateway == real gateway', () => {
  let sb: Sandbox;
  let real: RealGateway;
  let fake: FakeGateway;
  let realSteps: Step[];
  let fakeSteps: Step[];
  let realLog: GatewayLogFacts;
  let fakeLog: GatewayLogFacts;

  beforeAll(async () => {
    sb = await makeSandbox('otw-real-contract-limits-');
    real = await startRealGateway(sb, { port: await freePort(), token: TOKEN, readyTimeoutMs: 180_000, extraConfig: { gateway: GATEWAY_CONFIG } });
    console.log(`[contract-limits] real gateway ready in ${real.startMs} ms`);
    const fakeFile = join(sb.cwd, 'fake-gateway.log');
    fake = await startFakeGateway({
      token: TOKEN,
      controlUiDevice: false,
      logFile: fakeFile,
      rateLimit: RATE_LIMIT,
      trustedProxies: GATEWAY_CONFIG.trustedProxies,
      allowedOrigins: GATEWAY_CONFIG.controlUi.allowedOrigins,
    });
    const t0 = Date.now();
    realSteps = await runSequence({
      wsUrl: real.wsUrl,
      port: real.port,
      approve: async (id) => {
        const r = await openclawCmd(sb, ['devices', 'approve', id], { timeoutMs: 120_000 });
        if (r.exitCode !== 0) throw new Error(`openclaw devices approve failed (${r.exitCode})`);
      },
      expect: () => undefined,
    });
    console.log(`[contract-limits] real sequence in ${Date.now() - t0} ms`);
    fakeSteps = await runSequence({ wsUrl: fake.url, port: fake.port, approve: async () => fake.setScenario('normal'), expect: (s) => fake.setScenario(s) });
    realLog = await settledLog(sb.logFile, real.port, 5);
    fakeLog = await settledLog(fakeFile, fake.port, 5);
  }, 400_000);

  afterAll(async () => {
    await fake?.close();
    await stopAllRealGateways();
    await sb?.cleanup();
  }, 60_000);

  it('the real answers are the ones the wizard is built on (the contract means something)', () => {
    const byName = new Map(realSteps.map((s) => [s.name, answer(s.answer, real.port)]));
    expect(byName.get('stale tab origin, right token (locked)')).toMatchObject({
      closeCode: 1008,
      detailsCode: 'AUTH_RATE_LIMITED',
      closeReason: 'unauthorized: too many failed authentication attempts (retry later)',
    });
    expect(byName.get('other loopback name, right token (own bucket)')?.ok).toBe(true);
    expect(byName.get('remote device, first connect (pairing required)')).toMatchObject({ closeCode: 1008, detailsCode: 'PAIRING_REQUIRED' });
    expect(byName.get('remote device, approved scopes')?.ok).toBe(true);
    expect(byName.get('remote device asks for more scopes (scope upgrade)')?.closeReason).toMatch(/^pairing required: device is asking for more scopes than currently approved/);
  });

  it('every answer agrees, step by step: close code and reason, error and details codes, request id shape', () => {
    const all = (steps: Step[], port: number) => steps.map((s) => ({ step: s.name, ...answer(s.answer, port) }));
    expect(all(fakeSteps, fake.port)).toEqual(all(realSteps, real.port));
  });

  it('the log records the wizard reads agree: the lockout and the pairing refusals, in order', () => {
    const ours = (log: GatewayLogFacts, port: number) => log.handshakes.filter((h) => h.client !== 'openclaw-probe').map((h) => record(h, port));
    const fromReal = ours(realLog, real.port);
    expect(fromReal.map((h) => h.kind)).toContain('rate-limited');
    expect(fromReal.map((h) => h.kind)).toContain('scope-upgrade');
    expect(ours(fakeLog, fake.port)).toEqual(fromReal);
  });
});
