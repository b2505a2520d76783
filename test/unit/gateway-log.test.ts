import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseGatewayLog, readGatewayLog } from '../../src/facts/gateway-log.js';
import { probeGateway } from '../../src/gateway/probe.js';
import { startFakeGateway } from '../support/fake-gateway.js';
import {
  consoleLine,
  failureDetailRecord,
  listeningRecord,
  loadingConfigRecord,
  logRecord,
  readyRecord,
  runtimeTokenRecord,
  startBlockedRecord,
  unauthorizedRecord,
  webchatConnectedRecord,
  type HandshakeLogInfo,
} from '../support/gateway-log-writer.js';
import { fakeToken } from '../support/sandbox.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'otw-log-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

const T0 = new Date('2026-09-20T10:00:00.000Z');
const at = (s: number) => new Date(T0.getTime() + s * 1000);

function ui(port: number, extra: Partial<HandshakeLogInfo> = {}): HandshakeLogInfo {
  return {
    connId: `conn-ui-${port}-${extra.peer?.remotePort ?? 1}`,
    peer: { remoteHost: '127.0.0.1', remotePort: 40001, localHost: '127.0.0.1', localPort: port },
    client: 'openclaw-control-ui',
    clientMode: 'webchat',
    clientVersion: '2026.9.6',
    platform: 'Linux x86_64',
    auth: 'none',
    device: true,
    host: `127.0.0.1:${port}`,
    origin: `http://127.0.0.1:${port}`,
    ua: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/147.0.0.0',
    ...extra,
  };
}

function probe(port: number, connId: string): HandshakeLogInfo {
  return {
    connId,
    peer: { remoteHost: '127.0.0.1', remotePort: 40100, localHost: '127.0.0.1', localPort: port },
    client: 'openclaw-probe',
    clientMode: 'probe',
    clientVersion: '0.1.0',
    auth: 'token',
    host: `127.0.0.1:${port}`,
    origin: null,
  };
}

describe('parseGatewayLog: writer → parser round trip', () => {
  it('classifies every handshake record and the startup facts', () => {
    const P = 18789;
    const lines = [
      logRecord(loadingConfigRecord(at(0))),
      logRecord(runtimeTokenRecord(at(1))),
      logRecord(listeningRecord('127.0.0.1', P, 4242, at(2))),
      logRecord(readyRecord(at(3))),
      // token missing: the unauthorized line and its detail record are one handshake.
      logRecord(unauthorizedRecord({ ...ui(P), reason: 'token_missing', time: at(10) })),
      logRecord(
        failureDetailRecord({
          ...ui(P),
          cause: 'unauthorized',
          authReason: 'token_missing',
          code: 1008,
          closeReason: 'unauthorized: gateway token missing (paste in Control UI settings or openclaw doctor --generate-gateway-token; restart)',
          time: at(10),
        }),
      ),
      logRecord(unauthorizedRecord({ ...probe(P, 'c-probe'), reason: 'token_mismatch', time: at(11) })),
      logRecord(
        failureDetailRecord({
          ...probe(P, 'c-probe'),
          cause: 'unauthorized',
          authReason: 'token_mismatch',
          code: 1008,
          closeReason: 'unauthorized: gateway token mismatch (provide gateway auth token)',
          time: at(11),
        }),
      ),
      logRecord(failureDetailRecord({ ...probe(P, 'c-dev'), auth: 'none', cause: 'device-required', code: 1008, closeReason: 'device identity required', time: at(12) })),
      logRecord(
        failureDetailRecord({
          ...ui(P, { connId: 'c-origin', origin: 'http://evil.example' }),
          cause: 'origin-mismatch',
          code: 1008,
          closeReason: 'origin not allowed (open the Control UI from the gateway host or allow it in gateway.controlUi.allowedOrigins)',
          time: at(13),
        }),
      ),
      logRecord(
        failureDetailRecord({
          ...ui(P, { connId: 'c-insecure' }),
          cause: 'control-ui-insecure-auth',
          code: 1008,
          closeReason: 'control ui requires device identity (use HTTPS or localhost secure context)',
          time: at(14),
        }),
      ),
      logRecord(
        failureDetailRecord({ ...ui(P, { connId: 'c-pair' }), cause: 'pairing-required', code: 1008, closeReason: 'pairing required: device is not approved yet (requestId: req-123)', time: at(15) }),
      ),
      logRecord(unauthorizedRecord({ ...ui(P, { connId: 'c-rate' }), reason: 'rate_limited', time: at(16) })),
      logRecord(unauthorizedRecord({ ...probe(P, 'c-devtok'), reason: 'device_token_mismatch', time: at(17) })),
      logRecord(unauthorizedRecord({ ...probe(P, 'c-cfg'), reason: 'token_missing_config', time: at(18) })),
      logRecord(webchatConnectedRecord({ ...ui(P, { connId: 'c-ok' }), time: at(20) })),
    ];
    const facts = parseGatewayLog(lines.join('\n'), P);
    expect(facts.runtimeTokenGenerated).toBe(true);
    expect(facts.lastStartAt).toMatch(/^2026-09-20T\d\d:00:03\.000[+-]\d\d:\d\d$/);
    expect(facts.startBlocked).toBeNull();
    expect(facts.handshakes.map((h) => h.kind)).toEqual([
      'token-missing',
      'token-mismatch',
      'device-identity',
      'origin-not-allowed',
      'insecure-context',
      'pairing-required',
      'rate-limited',
      'device-token-mismatch',
      'other-unauthorized',
      'connected',
    ]);
    expect(facts.handshakes[0]).toMatchObject({
      client: 'openclaw-control-ui',
      clientMode: 'webchat',
      origin: `http://127.0.0.1:${P}`,
      remote: '127.0.0.1',
      reason: 'token_missing',
      requestId: null,
    });
    expect(facts.handshakes[1]).toMatchObject({ client: 'openclaw-probe', clientMode: 'probe', origin: null, reason: 'token_mismatch' });
    expect(facts.handshakes[3]).toMatchObject({ origin: 'http://evil.example' });
    expect(facts.handshakes[5]).toMatchObject({ requestId: 'req-123' });
    expect(facts.handshakes[8]).toMatchObject({ reason: 'token_missing_config' });
    expect(facts.handshakes[9]).toMatchObject({ client: 'openclaw-control-ui', clientMode: 'webchat', origin: null });
  });

  it('a later startup without the runtime-token warning clears it; a block is reported until a start', () => {
    const P = 18789;
    const first = [
      logRecord(loadingConfigRecord(at(0))),
      logRecord(runtimeTokenRecord(at(1))),
      logRecord(readyRecord(at(2))),
      logRecord(loadingConfigRecord(at(100))),
      logRecord(readyRecord(at(102))),
    ];
    expect(parseGatewayLog(first.join('\n'), P).runtimeTokenGenerated).toBe(false);
    const blocked = [logRecord(readyRecord(at(0))), logRecord(startBlockedRecord('remote', at(50)))];
    expect(parseGatewayLog(blocked.join('\n'), P).startBlocked).toBe('Gateway start blocked: set gateway.mode=local (current: remote) or pass --allow-unconfigured.');
    const recovered = [...blocked, logRecord(readyRecord(at(60)))];
    expect(parseGatewayLog(recovered.join('\n'), P).startBlocked).toBeNull();
  });
});

describe('parseGatewayLog: two gateways in one file', () => {
  const A = 18789;
  const B = 19001;
  const text = [
    logRecord(listeningRecord('127.0.0.1', A, 1, at(0))),
    logRecord(runtimeTokenRecord(at(1))), // no port: could be either gateway's
    logRecord(listeningRecord('127.0.0.1', B, 2, at(2))),
    logRecord(unauthorizedRecord({ ...ui(A), reason: 'token_missing', time: at(10) })),
    logRecord(unauthorizedRecord({ ...ui(B, { connId: 'b-1' }), reason: 'token_mismatch', time: at(11) })),
    logRecord(failureDetailRecord({ ...ui(B, { connId: 'b-2' }), cause: 'origin-mismatch', code: 1008, closeReason: 'origin not allowed (…)', time: at(12) })),
    logRecord(webchatConnectedRecord({ ...ui(A, { connId: 'a-ok' }), time: at(13) })), // no port, no correlation
    // Same conn id as a record that names B's port: attributed to B.
    logRecord(unauthorizedRecord({ ...ui(B, { connId: 'b-3' }), reason: 'token_mismatch', time: at(14) })),
    logRecord({ level: 'WARN', subsystem: 'gateway/ws', message: 'closed before connect conn=b-3 remote=127.0.0.1 code=1008 reason=unauthorized: gateway token mismatch (x)', time: at(14) }),
  ].join('\n');

  it('keeps only the records of the asked port', () => {
    const a = parseGatewayLog(text, A);
    expect(a.handshakes.map((h) => [h.kind, h.origin])).toEqual([['token-missing', `http://127.0.0.1:${A}`]]);
    const b = parseGatewayLog(text, B);
    expect(b.handshakes.map((h) => h.kind)).toEqual(['token-mismatch', 'origin-not-allowed', 'token-mismatch']);
  });

  it('drops records without port information once the file is shared', () => {
    expect(parseGatewayLog(text, A).runtimeTokenGenerated).toBe(false);
    expect(parseGatewayLog(text, A).handshakes.some((h) => h.kind === 'connected')).toBe(false);
  });

  it('keeps records without port information when only this gateway shows up', () => {
    const single = [
      logRecord(runtimeTokenRecord(at(1))),
      logRecord(unauthorizedRecord({ ...ui(A), reason: 'token_missing', time: at(10) })),
      logRecord(webchatConnectedRecord({ ...ui(A, { connId: 'a-ok' }), time: at(13) })),
    ].join('\n');
    const facts = parseGatewayLog(single, A);
    expect(facts.runtimeTokenGenerated).toBe(true);
    expect(facts.handshakes.map((h) => h.kind)).toEqual(['token-missing', 'connected']);
    // Asked about 19001, the same text names another gateway (A): its unported records could be
    // A's, so none are attributed to 19001.
    expect(parseGatewayLog(single, B)).toMatchObject({ handshakes: [], runtimeTokenGenerated: false });
  });
});

describe('parseGatewayLog: console lines and junk', () => {
  it('reads ANSI-coloured foreground lines, with or without a journald prefix', () => {
    const P = 18789;
    const text = [
      consoleLine(loadingConfigRecord(at(0))),
      consoleLine(runtimeTokenRecord(at(1))),
      consoleLine(listeningRecord('127.0.0.1', P, 7, at(2))),
      consoleLine(unauthorizedRecord({ ...ui(P), reason: 'token_missing', time: at(10) })),
      // Verbatim shape from a real journal (2026.6.8): display name with spaces.
      'Jun 23 13:42:34 host openclaw[269597]: 2026-06-23T13:42:34.571+00:00 [ws] unauthorized conn=dc55d032-5c12-4a39-9a20-0e4350547458 peer=127.0.0.1:42256->127.0.0.1:18789 remote=127.0.0.1 client=QQ Bot Native Approvals (default) backend v2026.6.8 role=operator scopes=0 auth=token device=no platform=linux instance=n/a host=127.0.0.1:18789 origin=n/a ua=n/a reason=token_missing_config',
      // Verbatim shape from a real console (2026.5.6), short clock time.
      '22:58:03 [ws] unauthorized conn=fb0165c3-b32c-4853-8260-eebecd66fe78 peer=127.0.0.1:52477->127.0.0.1:18789 remote=127.0.0.1 client=openclaw-control-ui webchat v2026.5.6 role=operator scopes=5 auth=token device=yes platform=Win32 instance=78bc8784 host=127.0.0.1:18789 origin=http://127.0.0.1:18789 ua=Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/147.0.0.0 Safari/537.36 Edg/147.0.0.0 reason=token_mismatch',
      '\x1b[90m23:33:52\x1b[39m \x1b[36m[ws]\x1b[39m webchat connected conn=12313af1-bb87-426e-afaa-c5d6a907ae76 remote=127.0.0.1 client=openclaw-control-ui webchat v2026.5.4',
    ].join('\n');
    const facts = parseGatewayLog(text, P);
    expect(facts.runtimeTokenGenerated).toBe(true);
    expect(facts.handshakes.map((h) => h.kind)).toEqual(['token-missing', 'other-unauthorized', 'token-mismatch', 'connected']);
    expect(facts.handshakes[1]).toMatchObject({ client: 'QQ Bot Native Approvals (default)', clientMode: 'backend', reason: 'token_missing_config', origin: null });
    expect(facts.handshakes[2]).toMatchObject({ client: 'openclaw-control-ui', clientMode: 'webchat', time: '22:58:03', origin: 'http://127.0.0.1:18789' });
  });

  it('skips junk without failing', () => {
    const P = 18789;
    const text = [
      '',
      'not a log line at all',
      '{"broken json',
      '{"message":"JSON without _meta"}',
      '[1,2,3]',
      '\u0000\u0001\u0002 binary-ish',
      logRecord(unauthorizedRecord({ ...ui(P), reason: 'token_mismatch', time: at(5) })),
      '   ',
      'null',
    ].join('\r\n');
    const facts = parseGatewayLog(text, P);
    expect(facts.handshakes.map((h) => h.kind)).toEqual(['token-mismatch']);
    expect(parseGatewayLog('', P)).toEqual({ handshakes: [], runtimeTokenGenerated: false, lastStartAt: null, startBlocked: null, configRestored: null, untrustedProxy: null });
  });
});

describe('readGatewayLog', () => {
  it('reads the first existing candidate', async () => {
    const dir = await tempDir();
    const file = join(dir, 'openclaw-2026-09-20.log');
    await writeFile(file, `${logRecord(unauthorizedRecord({ ...ui(18789), reason: 'token_missing', time: at(1) }))}\n`);
    const facts = await readGatewayLog({ candidates: [join(dir, 'missing.log'), file], port: 18789 });
    expect(facts).toMatchObject({ file, exists: true, error: null });
    expect(facts.handshakes).toHaveLength(1);
  });

  it('reads only the tail and drops the partial first line', async () => {
    const dir = await tempDir();
    const file = join(dir, 'big.log');
    const early = logRecord(unauthorizedRecord({ ...ui(18789, { connId: 'early' }), reason: 'token_missing', time: at(1) }));
    const filler = Array.from({ length: 200 }, (_, i) => logRecord({ level: 'INFO', subsystem: 'gateway', message: `filler ${i} ${'x'.repeat(80)}`, time: at(2) }));
    const late = logRecord(unauthorizedRecord({ ...ui(18789, { connId: 'late' }), reason: 'token_mismatch', time: at(3) }));
    await writeFile(file, [early, ...filler, late, ''].join('\n'));
    const facts = await readGatewayLog({ candidates: [file], port: 18789, maxBytes: 4096 });
    expect(facts.error).toBeNull();
    expect(facts.handshakes.map((h) => h.kind)).toEqual(['token-mismatch']);
  });

  it('reports a missing file and a directory as data', async () => {
    const dir = await tempDir();
    const none = await readGatewayLog({ candidates: [join(dir, 'a.log'), join(dir, 'b.log')], port: 1 });
    expect(none).toMatchObject({ file: join(dir, 'a.log'), exists: false, error: null, handshakes: [] });
    await mkdir(join(dir, 'd.log'));
    const isDir = await readGatewayLog({ candidates: [join(dir, 'd.log')], port: 1 });
    expect(isDir.exists).toBe(true);
    expect(isDir.error).toMatch(/directory/);
    expect((await readGatewayLog({ candidates: [], port: 1 })).file).toBeNull();
  });

  it('sees what clients of the fake gateway saw, by port', async () => {
    const dir = await tempDir();
    const logFile = join(dir, 'shared.log');
    const token = fakeToken('log');
    const a = await startFakeGateway({ token, logFile });
    cleanups.push(() => a.close());
    const b = await startFakeGateway({ token: null, logFile });
    cleanups.push(() => b.close());
    await probeGateway({ url: a.url, token: fakeToken('other'), timeoutMs: 3000 });
    await probeGateway({ url: a.url, timeoutMs: 3000, clientId: 'openclaw-control-ui', clientMode: 'webchat', origin: a.httpUrl });
    await probeGateway({ url: b.url, token: b.token, timeoutMs: 3000, clientId: 'openclaw-control-ui', clientMode: 'webchat', origin: b.httpUrl });
    await probeGateway({ url: b.url, timeoutMs: 3000 });

    const fa = await readGatewayLog({ candidates: [logFile], port: a.port });
    expect(fa.handshakes.map((h) => [h.kind, h.client])).toEqual([
      ['token-mismatch', 'openclaw-probe'],
      ['token-missing', 'openclaw-control-ui'],
    ]);
    expect(fa.handshakes[1]?.origin).toBe(a.httpUrl);
    const fb = await readGatewayLog({ candidates: [logFile], port: b.port });
    // b's `webchat connected` carries no port (as on the real gateway) and the file is shared.
    expect(fb.handshakes.map((h) => h.kind)).toEqual(['device-identity']);
    // The fake's log is a real-format log: no raw token in it.
    const { readFile } = await import('node:fs/promises');
    const raw = await readFile(logFile, 'utf8');
    expect(raw).not.toContain(token);
    expect(raw).not.toContain(b.token);
  });
});

describe('gateway log: hostile and huge inputs', () => {
  it('escape sequences in origin, client and reason never reach the parsed fields', () => {
    const P = 18789;
    const ESC = '\u001b';
    const origin = `http://127.0.0.1:${P}${ESC}]0;pwned${'\u0007'}${ESC}[2J`;
    const lines = [
      logRecord(unauthorizedRecord({ ...ui(P, { connId: 'c-esc', origin, client: `evil${ESC}[31m-ui\u009b2J` }), reason: `token_missing${ESC}]52;c;Zm9v${ESC}\\`, time: at(1) })),
      logRecord(failureDetailRecord({ ...ui(P, { connId: 'c-esc2', origin }), cause: 'origin-mismatch', code: 1008, closeReason: `origin not allowed\u0000\r${ESC}[1A`, time: at(2) })),
    ];
    const facts = parseGatewayLog(lines.join('\n'), P);
    expect(facts.handshakes).toHaveLength(2);
    for (const h of facts.handshakes) {
      for (const v of [h.client, h.clientMode, h.origin, h.remote, h.reason, h.requestId, h.time]) {
        expect(v ?? '').not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
      }
    }
    expect(facts.handshakes[0]).toMatchObject({ origin: `http://127.0.0.1:${P}`, client: 'evil-ui', reason: 'token_missing' });
  });

  it('a 1 GB (sparse) log is read from its tail only: the latest records are found, the cut line is skipped', async () => {
    const dir = await tempDir();
    const file = join(dir, 'openclaw-2026-09-20.log');
    const { open: openFile, truncate } = await import('node:fs/promises');
    await writeFile(file, '');
    await truncate(file, 1024 ** 3);
    const fh = await openFile(file, 'a');
    try {
      await fh.write(`${'x'.repeat(100)}\n${logRecord(unauthorizedRecord({ ...ui(18789), reason: 'token_mismatch', time: at(1) }))}\n`);
    } finally {
      await fh.close();
    }
    const facts = await readGatewayLog({ candidates: [file], port: 18789, maxBytes: 64 * 1024 });
    expect(facts.error).toBeNull();
    expect(facts.handshakes.map((h) => h.kind)).toEqual(['token-mismatch']);
  });

  it('a FIFO or a directory as the log is an error, not a hang', async () => {
    const dir = await tempDir();
    const sub = join(dir, 'log-dir');
    await mkdir(sub);
    expect((await readGatewayLog({ candidates: [sub], port: 1 })).error).toMatch(/directory/);
    const fifo = join(dir, 'fifo.log');
    const { execFileSync } = await import('node:child_process');
    execFileSync('mkfifo', [fifo]);
    expect((await readGatewayLog({ candidates: [fifo], port: 1 })).error).toMatch(/FIFO/);
  });
});

describe('parseGatewayLog: the records of issue 10', () => {
  const P = 18789;
  const line = (message: string, context?: Record<string, unknown>) => logRecord({ level: 'WARN', subsystem: 'gateway/ws', message, ...(context ? { context } : {}) });

  it('tells a stale Control UI page from a 1002 protocol mismatch', () => {
    const stale = line(
      `closed before connect conn=c1 peer=127.0.0.1:5->127.0.0.1:${P} remote=127.0.0.1 fwd=n/a origin=http://127.0.0.1:${P} host=n/a ua=n/a code=1008 reason=protocol mismatch: Control UI updated; reload this page to continue phase=x`,
      { client: 'openclaw-control-ui', mode: 'webchat' },
    );
    const old = line(`closed before connect conn=c2 peer=127.0.0.1:6->127.0.0.1:${P} remote=127.0.0.1 fwd=n/a origin=n/a host=n/a ua=n/a code=1002 reason=protocol mismatch phase=x`, {
      client: 'cli',
      mode: 'cli',
    });
    const kinds = parseGatewayLog(`${stale}\n${old}\n`, P).handshakes.map((h) => [h.client, h.kind]);
    expect(kinds).toEqual([
      ['openclaw-control-ui', 'stale-control-ui'],
      ['cli', 'protocol-mismatch'],
    ]);
  });

  it('a scope upgrade is not a first pairing; its request id comes from the record context', () => {
    const rec = line(
      `closed before connect conn=c3 peer=127.0.0.1:7->127.0.0.1:${P} remote=127.0.0.1 fwd=n/a origin=n/a host=n/a ua=n/a code=1008 reason=pairing required: device is asking for more scopes than currently approved phase=x`,
      {
        cause: 'pairing-required',
        client: 'openclaw-control-ui',
        requestId: 'req-1',
      },
    );
    expect(parseGatewayLog(rec, P).handshakes[0]).toMatchObject({ kind: 'scope-upgrade', requestId: 'req-1' });
  });

  it('password failures, config auto-restore and untrusted proxy traffic', () => {
    const pw = line(`unauthorized conn=c4 peer=127.0.0.1:8->127.0.0.1:${P} remote=127.0.0.1 client=openclaw-control-ui webchat v2026.9.6 auth=none reason=password_missing`);
    const restored = logRecord({ level: 'WARN', subsystem: 'config', message: 'Config auto-restored from backup: ~/.openclaw/openclaw.json (missing-meta-vs-last-good)' });
    const proxy = logRecord({
      level: 'WARN',
      subsystem: 'gateway',
      message: 'gateway: observed unattributable proxy-shaped traffic from 127.0.0.1; Gateway-authenticated routes reject it, while plugin-authenticated routes ignore forwarded claims.',
    });
    const facts = parseGatewayLog([pw, restored, proxy].join('\n'), P);
    expect(facts.handshakes[0]?.kind).toBe('password-missing');
    expect(facts.configRestored).toMatchObject({ path: '~/.openclaw/openclaw.json', reason: 'missing-meta-vs-last-good' });
    expect(facts.untrustedProxy).toMatchObject({ remote: '127.0.0.1' });
  });
});

describe('a pairing request id cut by the 120-byte close reason', () => {
  it('is not taken for an id (approving a cut id approves nothing); a whole one is', () => {
    const base = { time: '2026-11-30T07:07:10.928+00:00', _meta: { logLevelName: 'WARN' } };
    const line = (reason: string) =>
      JSON.stringify({
        ...base,
        '0':
          'closed before connect conn=c1 peer=127.0.0.1:5->127.0.0.1:18789 remote=127.0.0.1 fwd=n/a origin=https://oc.example.com host=oc.example.com ua=n/a code=1008 reason=' +
          reason +
          ' phase=auth',
      });
    const cut = parseGatewayLog(line('pairing required: device is asking for more scopes than currently approved (requestId: ad7e0417-d774-4165-9fa9-a0bca2289'), 18789);
    expect(cut.handshakes[0]).toMatchObject({ kind: 'scope-upgrade', requestId: null });
    const whole = parseGatewayLog(line('pairing required: device is not approved yet (requestId: ad7e0417-d774-4165-9fa9-a0bca22890a1)'), 18789);
    expect(whole.handshakes[0]).toMatchObject({ kind: 'pairing-required', requestId: 'ad7e0417-d774-4165-9fa9-a0bca22890a1' });
  });
});
