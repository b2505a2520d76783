/**
 * `GET /healthz`: needs no token and answers `{"ok":true,"status":"live"}` on a real gateway, so
 * it tells "an OpenClaw gateway listens here" apart from "some other HTTP server owns the port"
 * without sending any credential.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { performance } from 'node:perf_hooks';
import type { HealthResult } from './types.js';

/**
 * One GET with node:http rather than fetch: fetch loads undici (~50 ms of start-up), a tenth of
 * the whole diagnose budget. Never follows redirects: a gateway never redirects /healthz.
 */
function get(url: string, timeoutMs: number): Promise<{ status: number; contentType: string | null; text: string }> {
  return new Promise((resolve, reject) => {
    const req = (url.startsWith('https:') ? httpsRequest : httpRequest)(url, { method: 'GET', rejectUnauthorized: false }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size <= 64 * 1024) chunks.push(c);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: res.headers['content-type'] ?? null, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.setTimeout(timeoutMs, () => req.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { name: 'TimeoutError' })));
    req.on('error', reject);
    req.end();
  });
}

const MAX_TEXT_BODY = 300;

export async function fetchHealth(baseHttpUrl: string, timeoutMs: number): Promise<HealthResult> {
  const started = performance.now();
  const ms = () => Math.round(performance.now() - started);
  let url: string;
  try {
    url = new URL('healthz', baseHttpUrl.endsWith('/') ? baseHttpUrl : `${baseHttpUrl}/`).toString();
  } catch {
    return { ok: false, status: null, body: null, ms: ms(), note: `not a valid URL: ${baseHttpUrl}` };
  }
  const limit = Number.isFinite(timeoutMs) && timeoutMs > 0 ? timeoutMs : 2000;
  try {
    const res = await get(url, limit);
    const text = res.text;
    const contentType = res.contentType ?? 'no content-type';
    let body: unknown = text.length > MAX_TEXT_BODY ? `${text.slice(0, MAX_TEXT_BODY)}…` : text;
    let json = false;
    try {
      body = JSON.parse(text);
      json = true;
    } catch {
      // Not JSON: keep the (shortened) text for the report.
    }
    const live = json && isLiveBody(body);
    if (res.status === 200 && live) return { ok: true, status: res.status, body, ms: ms(), note: null };
    const note =
      res.status !== 200
        ? `HTTP ${res.status} from ${url}: not an OpenClaw gateway health endpoint`
        : json
          ? `HTTP 200 but the body is not {"ok":true}: probably not an OpenClaw gateway`
          : `HTTP 200 with ${contentType}, not JSON: some other web server answers on this port`;
    return { ok: false, status: res.status, body, ms: ms(), note };
  } catch (err) {
    return { ok: false, status: null, body: null, ms: ms(), note: describeFetchError(err, limit) };
  }
}

/**
 * When the gateway run answering at this URL started (epoch ms), from `GET /readyz`'s uptimeMs
 * (OpenClaw resets it whenever the server starts again, in-process restarts included); null when
 * it does not say.
 */
export async function fetchGatewayStart(baseHttpUrl: string, timeoutMs: number, now: () => number = Date.now): Promise<number | null> {
  try {
    const url = new URL('readyz', baseHttpUrl.endsWith('/') ? baseHttpUrl : `${baseHttpUrl}/`).toString();
    const res = await get(url, Number.isFinite(timeoutMs) && timeoutMs > 0 ? timeoutMs : 2000);
    const uptime = (JSON.parse(res.text) as { uptimeMs?: unknown }).uptimeMs;
    return typeof uptime === 'number' && Number.isFinite(uptime) && uptime >= 0 ? Math.round(now() - uptime) : null;
  } catch {
    return null;
  }
}

function isLiveBody(body: unknown): boolean {
  return typeof body === 'object' && body !== null && (body as { ok?: unknown }).ok === true;
}

function describeFetchError(err: unknown, limit: number): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return `no answer within ${limit} ms`;
  const code = e?.cause?.code ?? (e as { code?: string })?.code;
  if (code === 'ECONNREFUSED') return 'connection refused: nothing listens on this port';
  if (code) return `${code}: ${e.cause?.message ?? e.message ?? 'request failed'}`.replace(/(https?:\/\/[^\s]*?)([?#]token=)[^\s&]*/g, '$1$2…');
  return e?.message ?? String(err);
}
