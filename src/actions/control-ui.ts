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

export function controlUiUrl(ctx: Pick<ActionContext, 'facts'>, token: Secret | null): string {
  const t = ctx.facts.target;
  const host = t.remote ? t.host : '127.0.0.1';
  return dashboardUrl({ host, port: t.port, tls: t.tls, basePath: t.basePath, token: token?.reveal().trim() });
}

export async function openInBrowser(url: string): Promise<{ ok: boolean; message: string }> {
  try {
    // Loaded here: only a person choosing to open the browser pays for the opener.
    const { default: open } = await import('open');
    const child = await open(url, { wait: false });
    child.on('error', () => undefined);
    child.unref();
    return { ok: true, message: 'opened in your default browser' };
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

/**
 * Wait for the next Control UI handshake in the gateway's log after `since`. Returns it (a
 * connect or the exact failure), or null on timeout / Ctrl-C.
 */
export async function watchForControlUi(ctx: ActionContext, since: Date, timeoutMs: number): Promise<LogHandshake | null> {
  const spin = ctx.prompter.spinner();
  spin.start('Waiting for the Control UI to connect (watching the gateway log)');
  const deadline = Date.now() + timeoutMs;
  const sinceIso = since.toISOString();
  while (Date.now() < deadline && !ctx.signal.aborted) {
    const log = await readGatewayLog({ candidates: logCandidates(ctx), port: ctx.facts.target.port });
    const fresh = log.handshakes.filter((h) => BROWSER_CLIENTS.has(h.client ?? '') && Date.parse(h.time) >= Date.parse(sinceIso));
    const last = fresh[fresh.length - 1];
    if (last) {
      if (last.kind === 'connected') spin.stop('The Control UI connected');
      else spin.error(`The Control UI was refused: ${sanitizeForTerminal(last.reason ?? last.kind)}`);
      return last;
    }
    await sleep(500, undefined, { signal: ctx.signal }).catch(() => undefined);
  }
  spin.error(ctx.signal.aborted ? 'Stopped waiting' : `No Control UI connection seen in ${Math.round(timeoutMs / 1000)} s`);
  return null;
}

/**
 * Deliver the tokenized dashboard URL: open it, copy it, or show it after an explicit yes; then
 * watch the gateway log for the browser's next handshake.
 */
export async function deliverToControlUi(ctx: ActionContext): Promise<ActionOutcome> {
  const token = ctx.view.tokenForClients;
  if (!token) return { ok: false, message: 'no token the gateway accepts is known yet' };
  const url = controlUiUrl(ctx, token);
  const p = ctx.prompter;
  if (ctx.dryRun) return { ok: true, message: `dry run: would open the Control UI at ${controlUiUrl(ctx, null)} with the token ${token.describe()}` };
  const how = await p.select(
    'How do you want to get the token into the Control UI?',
    [
      { value: 'open', label: 'Open the Control UI in my browser with the token', hint: 'recommended' },
      { value: 'copy', label: 'Copy the tokenized link to the clipboard' },
      { value: 'show', label: 'Show the link here (it contains the token)' },
      { value: 'skip', label: 'Skip: I will paste the token myself' },
    ],
    p.interactive ? 'open' : 'show',
  );
  if (how === CANCELLED) return { ok: false, message: 'cancelled' };
  const since = new Date();
  let delivered = '';
  if (how === 'open') {
    const r = await openInBrowser(url);
    delivered = r.message;
    if (!r.ok) p.warn(`${r.message}. Run \`openclaw-token-wizard open --print --show-token\` to get the link.`);
  } else if (how === 'copy') {
    const r = await copyToClipboard(url, ctx.env);
    delivered = r.message;
    if (!r.ok) p.warn(r.message);
  } else if (how === 'show') {
    const sure = ctx.showToken ? true : p.interactive ? await p.confirm('The link contains the token itself. Show it on screen?', { initial: false, explicit: true }) : false;
    if (sure === true) {
      // The one place a raw token is printed on purpose: after an explicit yes, or --show-token.
      process.stdout.write(`\n  ${url}\n\n`);
      delivered = 'shown on screen';
    } else {
      // Never the link with a fingerprint in place of the token: pasted, it would be a token mismatch.
      p.info(`The Control UI is at ${controlUiUrl(ctx, null)}; the link with the token ${token.describe()} in it: openclaw-token-wizard open --print --show-token`);
      delivered = 'link given with the token redacted';
    }
  } else {
    p.info('In the Control UI: Settings → Gateway → Gateway secret. Get the value with `openclaw gateway auth-token --show`.');
    delivered = 'left to you';
  }
  if (!p.interactive) return { ok: true, message: `Control UI link: ${delivered}` };
  const seen = await watchForControlUi(ctx, since, 90_000);
  if (!seen) return { ok: true, message: `Control UI link: ${delivered}; no connection seen in the log yet` };
  if (seen.kind === 'connected') return { ok: true, message: 'the Control UI connected (seen in the gateway log)' };
  return { ok: true, message: `the Control UI was refused: ${seen.reason ?? seen.kind}` };
}
