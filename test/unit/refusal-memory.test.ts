import { readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { probeCheck, ProbeSession } from '../../src/diagnosis/probing.js';
import { REFUSAL_MEMORY_MS, RefusalMemory } from '../../src/diagnosis/refusal-memory.js';
import type { GatewayTarget } from '../../src/diagnosis/types.js';
import { Secret } from '../../src/secret.js';
import type { TokenSource } from '../../src/types.js';
import { fakeGateway } from '../support/fake-gateway.js';
import { fakeToken, makeSandbox, type Sandbox } from '../support/sandbox.js';

let sb: Sandbox;
let config: string;
beforeEach(async () => {
  sb = await makeSandbox('otw-refusals-');
  config = join(sb.stateDir, 'openclaw.json');
  writeConfig('{"gateway":{}}\n');
});

/** A config last edited a while ago: OpenClaw has long applied it. */
function writeConfig(text: string) {
  writeFileSync(config, text);
  const past = new Date(Date.now() - 60_000);
  utimesSync(config, past, past);
}
afterEach(async () => {
  await sb.cleanup();
});

const ENFORCED = fakeToken('enforced');
const STALE = fakeToken('stale-config');

function targetOf(gw: { url: string; httpUrl: string; host: string; port: number }): GatewayTarget {
  return { url: gw.url, httpUrl: gw.httpUrl, host: gw.host, port: gw.port, portSource: 'test', tls: false, remote: false, basePath: null };
}
const source = (value: string): TokenSource =>
  ({ id: 'config', kind: 'config', label: 'config', variable: null, credential: 'token', value: new Secret(value), problems: [] }) as unknown as TokenSource;

/** One diagnosis worth of probing: a new session and a memory read from disk, as a new run has. */
async function probeOnce(target: GatewayTarget, value: string, now?: () => number) {
  const memory = new RefusalMemory({ stateDir: sb.stateDir, watched: [config], httpUrl: target.httpUrl, timeoutMs: 2000, now });
  const session = new ProbeSession(target, 2000, false, memory);
  await session.present([source(value)]);
  return session.results.get(new Secret(value).fingerprint)!;
}

describe('refusal memory: a value the same gateway run refused is not sent again for a minute', () => {
  it('the second diagnosis does not send the refused token, and says when the refusal was seen', async () => {
    const gw = await fakeGateway({ token: ENFORCED, failedAuthDelayMs: 0 });
    const first = await probeOnce(targetOf(gw), STALE);
    expect(first).toMatchObject({ kind: 'rejected', reject: 'token-mismatch' });
    expect(first.remembered).toBeUndefined();
    const attempts = gw.connections.length;
    const second = await probeOnce(targetOf(gw), STALE);
    expect(gw.connections).toHaveLength(attempts);
    expect(second).toMatchObject({ kind: 'rejected', reject: 'token-mismatch', closeReason: first.closeReason, remembered: { at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) } });
    expect(probeCheck(targetOf(gw), [second], null, 0).note).toContain('not sent again: this gateway run refused it under a minute ago');
  });

  it('the file is owner-only and holds a digest, never the token or its fingerprint', async () => {
    const gw = await fakeGateway({ token: ENFORCED, failedAuthDelayMs: 0 });
    await probeOnce(targetOf(gw), STALE);
    const file = join(sb.stateDir, 'otw-cache', 'refusals.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(sb.stateDir, 'otw-cache')).mode & 0o777).toBe(0o700);
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain(STALE);
    expect(text).not.toContain(new Secret(STALE).fingerprint);
  });

  it('is sent again after a restart of the gateway, a change of the config, or a minute', async () => {
    let gw = await fakeGateway({ token: ENFORCED, failedAuthDelayMs: 0 });
    await probeOnce(targetOf(gw), STALE);
    // A config edit: the gateway may now enforce something else.
    writeConfig('{"gateway":{"auth":{}}}\n');
    let before = gw.connections.length;
    expect((await probeOnce(targetOf(gw), STALE)).remembered).toBeUndefined();
    expect(gw.connections.length).toBe(before + 1);
    // A minute later.
    const later = () => Date.now() + REFUSAL_MEMORY_MS + 1;
    before = gw.connections.length;
    expect((await probeOnce(targetOf(gw), STALE, later)).remembered).toBeUndefined();
    expect(gw.connections.length).toBe(before + 1);
    // A new run of the gateway on the same port (it starts 2.5 s later than the remembered one).
    const port = gw.port;
    await gw.close();
    await new Promise((r) => setTimeout(r, 2500));
    gw = await fakeGateway({ token: ENFORCED, failedAuthDelayMs: 0, port });
    expect((await probeOnce(targetOf(gw), STALE)).remembered).toBeUndefined();
    expect(gw.connections).toHaveLength(1);
  });

  it('a refusal seen within seconds of a config edit is not kept: the gateway may not have applied the edit yet', async () => {
    const gw = await fakeGateway({ token: ENFORCED, failedAuthDelayMs: 0 });
    writeFileSync(config, '{"gateway":{"edited":true}}\n');
    await probeOnce(targetOf(gw), STALE);
    expect((await probeOnce(targetOf(gw), STALE)).remembered).toBeUndefined();
    expect(gw.connections).toHaveLength(2);
  });

  it('an accepted value is never remembered, and a different value is sent', async () => {
    const gw = await fakeGateway({ token: ENFORCED, failedAuthDelayMs: 0 });
    await probeOnce(targetOf(gw), STALE);
    expect((await probeOnce(targetOf(gw), ENFORCED)).kind).toBe('hello-ok');
    expect((await probeOnce(targetOf(gw), ENFORCED)).remembered).toBeUndefined();
    expect(gw.connections.length).toBe(3);
  });

  it('no memory without the gateway saying when it started (/readyz without uptimeMs)', async () => {
    const memory = new RefusalMemory({ stateDir: sb.stateDir, watched: [config], httpUrl: 'http://127.0.0.1:9', timeoutMs: 500 });
    await memory.remember('ws://127.0.0.1:9', STALE, {
      kind: 'rejected',
      reject: 'token-mismatch',
      url: 'ws://127.0.0.1:9',
      ms: 1,
      closeCode: 1008,
      closeReason: 'x',
      detailsCode: null,
      errorCode: null,
      serverVersion: null,
      protocol: null,
      note: null,
    });
    expect(await memory.recall('ws://127.0.0.1:9', STALE)).toBeNull();
  });
});
