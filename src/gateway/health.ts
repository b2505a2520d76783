/**
 * `GET /healthz`: needs no token and answers `{"ok":true,"status":"live"}` on a real gateway, so
 * it tells "an OpenClaw gateway listens here" apart from "some other HTTP server owns the port"
 * without sending any credential.
 */
import { performance } from 'node:perf_hooks';
import type { HealthResult } from './types.js';

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
    // redirect: 'manual' because a gateway never redirects /healthz; following one would report
    // some other server's health as the gateway's.
    const res = await fetch(url, { signal: AbortSignal.timeout(limit), redirect: 'manual' });
    const text = await res.text();
    const contentType = res.headers.get('content-type') ?? 'no content-type';
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

function isLiveBody(body: unknown): boolean {
  return typeof body === 'object' && body !== null && (body as { ok?: unknown }).ok === true;
}

function describeFetchError(err: unknown, limit: number): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return `no answer within ${limit} ms`;
  const code = e?.cause?.code;
  if (code === 'ECONNREFUSED') return 'connection refused: nothing listens on this port';
  if (code) return `${code}: ${e.cause?.message ?? e.message ?? 'request failed'}`;
  return e?.message ?? String(err);
}
