/**
 * Putting the token into the Control UI: the tokenized dashboard URL (`#token=` is read by the
 * UI and removed from the address bar), opened in the browser, copied, or shown; then the
 * gateway's own log says whether the browser really connected.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { dashboardUrl } from '../gateway/dashboard-url.js';
import { readGatewayLog } from '../facts/gateway-log.js';
import { resolveLogFile } from '../facts/paths.js';
import type { LogHandshake } from '../facts/types.js';
import { run } from '../exec.js';
import { cutMessage, redactText, type Secret } from '../secret.js';
import { sanitizeForTerminal } from '../text/sanitize.js';
import type { ActionContext, ActionOutcome } from './types.js';
import { CANCELLED } from '../cancelled.js';
import { BROWSER_CLIENTS } from '../checks/client-records.js';
import { browserHere, osc52, sshForwardCommand, terminalMayCopy } from './browser-here.js';

export function controlUiUrl(ctx: Pick<ActionContext, 'facts'>, token: Secret | null): string {
  const t = ctx.facts.target;
  const host = t.remote ? t.host : '127.0.0.1';
  return dashboardUrl({ host, port: t.port, tls: t.tls, basePath: t.basePath, token: token?.reveal().trim() });
}

/** How long the opener (xdg-open, open, start) may take to say it failed before its silence counts as started. */
const OPENER_VERDICT_MS = 4000;

export async function openInBrowser(url: string, env: NodeJS.ProcessEnv = process.env): Promise<{ ok: boolean; message: string }> {
  const here = browserHere(env);
  if (!here.canOpen) return { ok: false, message: `cannot open a browser: ${here.reason}` };
  const demo = env.OTW_DEMO_BROWSER;
  if (demo) {
    // The demo's simulated Control UI (src/demo/control-ui-client.ts): it connects or says why not.
    const r = await run(demo, [url], { timeoutMs: 15_000, env });
    // It ran: whether it got in is the gateway log's to say (the wait reads it).
    if (r.exitCode === 0 || r.exitCode === 1) return { ok: true, message: "handed the link to the demo's simulated Control UI (in the sandbox)" };
    return { ok: false, message: `the demo's simulated Control UI did not run (${r.failure ?? `exit ${r.exitCode}`})` };
  }
  try {
    // Loaded here: only a person choosing to open the browser pays for the opener.
    const { default: open } = await import('open');
    const child = await open(url, { wait: false });
    // The opener exits at once when it has no way to open anything (xdg-open: exit 3, "no method
    // available for opening"): wait briefly for that verdict instead of claiming a browser opened.
    const code = await new Promise<number | null | 'running'>((resolve) => {
      const timer = setTimeout(() => resolve('running'), OPENER_VERDICT_MS);
      child.once('error', () => (clearTimeout(timer), resolve(-1)));
      child.once('exit', (c) => (clearTimeout(timer), resolve(c)));
    });
    child.unref();
    if (code !== 0 && code !== 'running')
      return { ok: false, message: `could not open a browser: the opener failed${code === 3 ? ' (exit 3: no method available for opening)' : code === -1 ? '' : ` (exit ${code})`}` };
    return { ok: true, message: 'handed the link to your browser' };
  } catch (err) {
    // The opener's error may quote the URL, and with it the token in its fragment.
    const token = /[#&]token=([^&]+)/.exec(url)?.[1];
    const secrets = token ? [token, decodeURIComponentOr(token)] : [];
    return { ok: false, message: `could not open a browser: ${cutMessage(sanitizeForTerminal(redactText((err as Error).message, secrets)), 300)}` };
  }
}

function decodeURIComponentOr(v: string): string {
  try {
    return decodeURIComponent(v);
  } catch {
    return v;
  }
}

/** The platform's own clipboard tool; none present is an answer, not an error. */
export async function copyToClipboard(text: string, env: NodeJS.ProcessEnv): Promise<{ ok: boolean; message: string }> {
  const candidates: Array<[string, string[]]> =
    process.platform === 'darwin'
      ? [['pbcopy', []]]
      : process.platform === 'win32'
        ? [['clip', []]]
        : [
            ['wl-copy', []],
            ['xclip', ['-selection', 'clipboard']],
            ['xsel', ['--clipboard', '--input']],
          ];
  for (const [cmd, args] of candidates) {
    const r = await run(cmd, args, { timeoutMs: 3000, env, input: text });
    if (r.ok) return { ok: true, message: `copied with ${cmd}` };
  }
  return { ok: false, message: 'no clipboard tool found (pbcopy, wl-copy, xclip or xsel)' };
}

export function logCandidates(ctx: Pick<ActionContext, 'facts'>): string[] {
  if (ctx.facts.log?.file) return [ctx.facts.log.file];
  return resolveLogFile({ configLogFile: ctx.facts.config?.logFile ?? null, profile: ctx.facts.paths?.profile ?? null, home: ctx.facts.paths?.home ?? null });
}

/** How long the Control UI is watched for after it got the link, unless --wait says otherwise. */
export const CONTROL_UI_WAIT_MS = 90_000;

/**
 * Wait for the next Control UI handshake in the gateway's log after `since`. Returns it (a
 * connect or the exact failure), or null when none came: the limit passed, the person pressed
 * Enter (done, or skip: the log is read once more), or Ctrl-C stopped the run.
 */
export async function watchForControlUi(ctx: ActionContext, since: Date, timeoutMs: number): Promise<LogHandshake | null> {
  const p = ctx.prompter;
  p.info(`Waiting up to ${Math.round(timeoutMs / 1000)} s (--wait SECONDS) for the Control UI to connect. Enter: done or skip, stop waiting; Ctrl-C: stop the wizard.`);
  const spin = p.spinner();
  const enter = new AbortController();
  const stopped = AbortSignal.any([ctx.signal, enter.signal]);
  spin.start('Waiting for the Control UI to connect (watching the gateway log)', { onEnter: () => enter.abort() });
  const deadline = Date.now() + timeoutMs;
  const sinceMs = since.getTime();
  for (;;) {
    const log = await readGatewayLog({ candidates: logCandidates(ctx), port: ctx.facts.target.port });
    const fresh = log.handshakes.filter((h) => BROWSER_CLIENTS.has(h.client ?? '') && Date.parse(h.time) >= sinceMs);
    const last = fresh[fresh.length - 1];
    if (last) {
      if (last.kind === 'connected') spin.stop('The Control UI connected');
      else spin.error(`The Control UI was refused: ${sanitizeForTerminal(last.reason ?? last.kind)}`);
      return last;
    }
    if (stopped.aborted || Date.now() >= deadline) break;
    await sleep(Math.min(500, Math.max(0, deadline - Date.now())), undefined, { signal: stopped }).catch(() => undefined);
  }
  spin.error(
    ctx.signal.aborted
      ? 'Stopped waiting'
      : enter.signal.aborted
        ? 'Stopped waiting (Enter): no Control UI connection in the gateway log yet'
        : `No Control UI connection seen in ${Math.round(timeoutMs / 1000)} s`,
  );
  return null;
}

type Route = 'open' | 'copy' | 'osc52' | 'show' | 'skip';

/** The terminal the run prints on: stderr under --json, whose stdout carries only the document. */
const screenOf = (ctx: ActionContext) => ctx.output ?? process.stdout;

/** The ways that can work on this machine, the default first among them. */
function routesHere(ctx: ActionContext): { options: Array<{ value: Route; label: string; hint?: string }>; initial: Route } {
  const here = browserHere(ctx.env);
  const p = ctx.prompter;
  if (!here.canOpen) {
    p.warn(`A browser cannot open from here: ${here.reason}.`);
    if (here.ssh) p.commands([sshForwardCommand(ctx.facts.target.port, ctx.env)], 'To reach the Control UI from your own computer');
  }
  const tty = !!(screenOf(ctx) as { isTTY?: boolean }).isTTY;
  const options: Array<{ value: Route; label: string; hint?: string }> = [];
  if (here.canOpen) options.push({ value: 'open', label: 'Open the Control UI in my browser with the token', hint: 'recommended' });
  if (!here.ssh && here.canOpen) options.push({ value: 'copy', label: 'Copy the tokenized link to the clipboard' });
  if (terminalMayCopy(ctx.env, tty))
    options.push({ value: 'osc52', label: 'Copy the tokenized link through the terminal (OSC 52)', hint: here.canOpen ? undefined : 'works in most terminals, also over SSH' });
  options.push({ value: 'show', label: 'Show the link here (it contains the token)' });
  options.push({ value: 'skip', label: 'Skip: I will paste the token myself' });
  return { options, initial: here.canOpen && p.interactive ? 'open' : 'show' };
}

/** Hand the link over by the chosen route; `handed` says whether the token can have reached a browser. */
async function handOver(ctx: ActionContext, how: Route, url: string, token: Secret): Promise<{ handed: boolean; delivered: string }> {
  const p = ctx.prompter;
  if (how === 'open') {
    const r = await openInBrowser(url, ctx.env);
    if (!r.ok) p.warn(`${r.message}. Get the link with \`openclaw-token-wizard open --print --show-token\`.`);
    return { handed: r.ok, delivered: r.message };
  }
  if (how === 'copy') {
    const r = await copyToClipboard(url, ctx.env);
    if (!r.ok) p.warn(r.message);
    return { handed: r.ok, delivered: r.message };
  }
  if (how === 'osc52') {
    screenOf(ctx).write(osc52(url));
    return { handed: true, delivered: 'sent to the terminal to copy (OSC 52); paste it into your browser' };
  }
  if (how === 'show') {
    const sure = ctx.showToken ? true : p.interactive ? await p.confirm('The link contains the token itself. Show it on screen?', { initial: false, explicit: true }) : false;
    if (sure === true) {
      // The one place a raw token is printed on purpose: after an explicit yes, or --show-token.
      screenOf(ctx).write(`\n  ${url}\n\n`);
      return { handed: true, delivered: 'shown on screen' };
    }
    // Never the link with a fingerprint in place of the token: pasted, it would be a token mismatch.
    p.info(`The Control UI is at ${controlUiUrl(ctx, null)}; the link with the token ${token.describe()} in it: openclaw-token-wizard open --print --show-token`);
    return { handed: false, delivered: 'link not shown (it contains the token)' };
  }
  p.info('In the Control UI: Settings → Gateway → Gateway secret. Get the value with `openclaw gateway auth-token --show`.');
  return { handed: false, delivered: 'left to you' };
}

/**
 * Deliver the tokenized dashboard URL by a route that can work here: open it, copy it, or show it
 * after an explicit yes; then, if the token can have reached a browser, watch the gateway log for
 * the browser's next handshake.
 */
export async function deliverToControlUi(ctx: ActionContext): Promise<ActionOutcome> {
  const token = ctx.view.tokenForClients;
  if (!token) return { ok: false, message: 'no token the gateway accepts is known yet' };
  const url = controlUiUrl(ctx, token);
  const p = ctx.prompter;
  if (ctx.dryRun) return { ok: true, message: `dry run: would open the Control UI at ${controlUiUrl(ctx, null)} with the token ${token.describe()}` };
  const routes = routesHere(ctx);
  const how = await p.select('How do you want to get the token into the Control UI?', routes.options, routes.initial);
  if (how === CANCELLED) return { ok: false, message: 'cancelled' };
  const since = new Date();
  const { handed, delivered } = await handOver(ctx, how, url, token);
  // Skipping, or not showing the link, is the person's choice, not a failure; a failed opener or copy is.
  if (!handed || !p.interactive) return { ok: handed || how === 'skip' || how === 'show', unconfirmed: true, message: `Control UI link: ${delivered}` };
  const waitMs = ctx.controlUiWaitMs ?? CONTROL_UI_WAIT_MS;
  if (waitMs <= 0) return { ok: true, unconfirmed: true, message: `Control UI link: ${delivered}; not watched for a connection (--wait 0)` };
  const seen = await watchForControlUi(ctx, since, waitMs);
  if (!seen) return { ok: true, unconfirmed: true, message: `Control UI link: ${delivered}; no connection seen in the log yet` };
  if (seen.kind === 'connected') return { ok: true, message: 'the Control UI connected (seen in the gateway log)' };
  return { ok: true, seenFailing: true, message: `the Control UI was refused: ${seen.reason ?? seen.kind}` };
}
