// The REAL OpenClaw Control UI (served by a real gateway) in Debian's headless Chromium.
//
// What the 2026.9.6 UI renders (explored live; the UI is Lit web components, mostly light DOM):
//   * Failure: a login gate card with
//       section.login-gate__failure[role=status][data-kind=<kind>][data-tone=warn|danger]
//         h1.login-gate__failure-title      "This Gateway expects its token" (auth-required, auth-failed)
//                                           "Browser origin not allowed"     (origin-not-allowed)
//         p.login-gate__failure-summary
//         details.login-gate__failure-detail > div.login-gate__failure-raw   the gateway's close reason,
//             e.g. "unauthorized: gateway token missing (paste in Control UI settings or …)"
//     data-kind seen: auth-required (no token: token missing), auth-failed (wrong token: token
//     mismatch), origin-not-allowed (foreign Origin). The URL is rewritten to /chat.
//   * Connected: the app shell <openclaw-app-shell> replaces the login gate, and the sidebar's
//     server card carries a screen-reader "Connected" (.sidebar-hover-card__metadata span.sr-only).
//     A fresh gateway lands on /settings/model-setup?firstRun=1; the #token fragment is removed.
//     The shell paints before its content (#control-ui-main), so we wait a little for content.
//   * Older UIs (before the login gate) printed "disconnected (1008): <reason>" in the page: that
//     text is recognised as a fallback.
// The WebSocket frames are watched too (a `res` with payload.type "hello-ok", or ok:false with an
// error message): "connected" requires both the shell and hello-ok, so a half-rendered page or a
// cached shell never counts.
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Flags verified to work with Debian chromium in containers (see verified-live.md). */
export const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface BrowserOptions {
  /** e.g. `MAP gw.example.test 127.0.0.1`: a foreign origin that still reaches the loopback gateway. */
  hostResolverRules?: string;
}

/**
 * Launches Chromium, runs fn, always closes it. Profile: Playwright's launch() refuses a
 * `--user-data-dir` flag; it creates a fresh temporary profile (playwright_chromiumdev_profile-*)
 * per launch and deletes it on close, which is the isolation we need. On top of that each
 * openControlUi() call gets its own BrowserContext (own localStorage), because the Control UI
 * remembers tokens in storage and one scenario must never leak a token into the next.
 */
export async function withBrowser<T>(fn: (browser: Browser) => Promise<T>, opts: BrowserOptions = {}): Promise<T> {
  const args = [...CHROMIUM_FLAGS];
  if (opts.hostResolverRules) args.push(`--host-resolver-rules=${opts.hostResolverRules}`);
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args, timeout: 60_000 });
  try {
    return await fn(browser);
  } finally {
    await browser.close().catch(() => undefined);
  }
}

export type ControlUiState = 'connected' | 'error' | 'unknown';

export interface ControlUiResult {
  state: ControlUiState;
  /** The raw gateway error as the UI shows it (e.g. "unauthorized: gateway token missing (…)"). */
  errorText: string | null;
  /** The login gate's data-kind: auth-required | auth-failed | origin-not-allowed | … */
  errorKind: string | null;
  /** The failure card's title, e.g. "This Gateway expects its token". */
  title: string | null;
  /** The WebSocket saw a hello-ok response. */
  helloOk: boolean;
  /** The sidebar's server card says "Connected" (informative; it renders a little later). */
  sidebarConnected: boolean;
  /** Visible text length of the main area (#control-ui-main) when we returned. */
  mainTextLength: number;
  /** Error messages from ok:false `res` frames, in order. */
  wsErrors: string[];
  elapsedMs: number;
  page: Page;
  context: BrowserContext;
  /** A small PNG of the viewport (800x500 by default). */
  screenshot(path: string): Promise<void>;
  close(): Promise<void>;
}

interface DomProbe {
  failure: { kind: string | null; title: string | null; raw: string | null; summary: string | null } | null;
  shell: boolean;
  connectedLabel: boolean;
  /** Characters of visible text in the main area (#control-ui-main): the page has rendered. */
  mainTextLength: number;
  legacyError: string | null;
}

/** Runs in the page: walks light and open shadow DOM, so it survives components moving into shadow roots. */
function probeDom(): DomProbe {
  const all = (sel: string): Element[] => {
    const out: Element[] = [];
    const visit = (root: Document | ShadowRoot | Element) => {
      out.push(...Array.from(root.querySelectorAll(sel)));
      for (const el of Array.from(root.querySelectorAll('*'))) if (el.shadowRoot) visit(el.shadowRoot);
    };
    visit(document);
    return out;
  };
  const visible = (el: Element) => {
    const r = (el as HTMLElement).getBoundingClientRect?.();
    return !!r && r.width > 0 && r.height > 0 && !(el as HTMLElement).closest('[hidden]');
  };
  const text = (el: Element | null | undefined) => (el?.textContent ?? '').replace(/\s+/g, ' ').trim() || null;
  const section = all('section.login-gate__failure').find(visible) ?? null;
  const failure = section
    ? {
        kind: section.getAttribute('data-kind'),
        title: text(section.querySelector('.login-gate__failure-title')),
        raw: text(section.querySelector('.login-gate__failure-raw')),
        summary: text(section.querySelector('.login-gate__failure-summary')),
      }
    : null;
  const shell = all('openclaw-app-shell').length > 0;
  const connectedLabel = all('.sidebar-hover-card__metadata .sr-only, .sidebar-hover-card__metadata dd').some((el) => /^connected$/i.test((el.textContent ?? '').trim()));
  const main = all('#control-ui-main')[0] as HTMLElement | undefined;
  const mainTextLength = (main?.innerText ?? '').trim().length;
  const body = document.body?.innerText ?? '';
  const legacy = /disconnected \(\d{4}\): [^\n]+/.exec(body);
  return { failure, shell, connectedLabel, mainTextLength, legacyError: legacy ? legacy[0] : null };
}

/**
 * Opens the Control UI at `url` (e.g. `${gw.url}/#token=…`) in a fresh context and waits until it
 * shows either the connected app or a failure card (or timeoutMs passes: state 'unknown').
 */
export async function openControlUi(
  browser: Browser,
  url: string,
  opts: { timeoutMs?: number; viewport?: { width: number; height: number }; context?: BrowserContext } = {},
): Promise<ControlUiResult> {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const context = opts.context ?? (await browser.newContext({ viewport: opts.viewport ?? { width: 800, height: 500 } }));
  const page = await context.newPage();
  let helloOk = false;
  const wsErrors: string[] = [];
  page.on('websocket', (ws) => {
    ws.on('framereceived', (f) => {
      const s = typeof f.payload === 'string' ? f.payload : f.payload.toString('utf8');
      if (!s.startsWith('{"type":"res"')) return; // skip the chatty events cheaply
      try {
        const msg = JSON.parse(s) as { ok?: boolean; payload?: { type?: string }; error?: { message?: string } };
        if (msg.ok && msg.payload?.type === 'hello-ok') helloOk = true;
        if (msg.ok === false && msg.error?.message) wsErrors.push(msg.error.message);
      } catch {
        /* not JSON: ignore */
      }
    });
  });
  const t0 = Date.now();
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout: timeoutMs });
  let probe: DomProbe = { failure: null, shell: false, connectedLabel: false, mainTextLength: 0, legacyError: null };
  let state: ControlUiState = 'unknown';
  while (Date.now() - t0 < timeoutMs) {
    probe = await page.evaluate(probeDom).catch(() => probe); // navigation in flight: retry
    if (probe.failure || probe.legacyError) {
      state = 'error';
      break;
    }
    if (probe.shell && helloOk) {
      state = 'connected';
      break;
    }
    await page.waitForTimeout(150);
  }
  if (state === 'connected') {
    // The shell paints before its page content; give the content (up to 8 s) to render so a
    // screenshot shows the app, not an empty frame. Not part of the verdict.
    const settle = Date.now() + 8_000;
    while (Date.now() < settle && probe.mainTextLength < 40) {
      await page.waitForTimeout(200);
      probe = await page.evaluate(probeDom).catch(() => probe);
    }
  }
  const errorText = state === 'error' ? (probe.failure?.raw ?? probe.legacyError ?? probe.failure?.title ?? wsErrors.at(-1) ?? null) : null;
  return {
    state,
    errorText,
    errorKind: probe.failure?.kind ?? null,
    title: probe.failure?.title ?? null,
    helloOk,
    sidebarConnected: probe.connectedLabel,
    mainTextLength: probe.mainTextLength,
    wsErrors,
    elapsedMs: Date.now() - t0,
    page,
    context,
    screenshot: async (path: string) => {
      await page.screenshot({ path, type: 'png', fullPage: false });
    },
    close: async () => {
      if (opts.context) await page.close().catch(() => undefined);
      else await context.close().catch(() => undefined);
    },
  };
}
