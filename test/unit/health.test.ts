import { createServer as createHttpServer, type RequestListener } from 'node:http';
import { createServer as createNetServer, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { fetchHealth } from '../../src/gateway/health.js';
import { startFakeGateway } from '../support/fake-gateway.js';
import { fakeToken, freePort } from '../support/sandbox.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function httpServer(handler: RequestListener): Promise<string> {
  const srv = createHttpServer(handler);
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  cleanups.push(
    () =>
      new Promise<void>((r) => {
        srv.closeAllConnections();
        srv.close(() => r());
      }),
  );
  return `http://127.0.0.1:${(srv.address() as { port: number }).port}`;
}

describe('fetchHealth', () => {
  it('a gateway is live', async () => {
    const gw = await startFakeGateway({ token: fakeToken('health') });
    cleanups.push(() => gw.close());
    const r = await fetchHealth(gw.httpUrl, 2000);
    expect(r).toMatchObject({ ok: true, status: 200, body: { ok: true, status: 'live' }, note: null });
    expect((await fetchHealth(`${gw.httpUrl}/`, 2000)).ok).toBe(true);
  });

  it('a 404 and an HTML 200 are not a gateway', async () => {
    const notFound = await httpServer((_q, s) => {
      s.writeHead(404);
      s.end('no');
    });
    const r404 = await fetchHealth(notFound, 2000);
    expect(r404).toMatchObject({ ok: false, status: 404 });
    expect(r404.note).toContain('404');
    const html = await httpServer((_q, s) => {
      s.writeHead(200, { 'content-type': 'text/html' });
      s.end('<html>hi</html>');
    });
    const rHtml = await fetchHealth(html, 2000);
    expect(rHtml).toMatchObject({ ok: false, status: 200, body: '<html>hi</html>' });
    expect(rHtml.note).toMatch(/not JSON/);
  });

  it('refused, silent and malformed inputs are results, not exceptions', async () => {
    const refused = await fetchHealth(`http://127.0.0.1:${await freePort()}`, 2000);
    expect(refused).toMatchObject({ ok: false, status: null });
    expect(refused.note).toMatch(/refused/);

    const sockets = new Set<Socket>();
    const silent = createNetServer((s) => {
      sockets.add(s);
      s.on('error', () => undefined);
    });
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    cleanups.push(
      () =>
        new Promise<void>((r) => {
          for (const s of sockets) s.destroy();
          silent.close(() => r());
        }),
    );
    const timedOut = await fetchHealth(`http://127.0.0.1:${(silent.address() as { port: number }).port}`, 300);
    expect(timedOut).toMatchObject({ ok: false, status: null, note: 'no answer within 300 ms' });

    expect((await fetchHealth('::not a url::', 100)).ok).toBe(false);
  });
});
