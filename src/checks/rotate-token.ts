/**
 * Rotating the token, the article's trap: regenerate, restart, then propagate to every client
 * before you test. These two steps belong to the rotate flow, not to any finding.
 */
import { applyConfig } from '../actions/config-edit.js';
import { rewriteEnvLine } from '../actions/env-line.js';
import { NEW_TOKEN_PLAN, writeNewToken } from '../actions/new-token.js';
import { shellQuote } from '../actions/openclaw-cli.js';
import type { ActionContext } from '../actions/types.js';
import { usable, type DiagnosisView } from '../diagnosis/view.js';
import { defineStep } from './check.js';
import { composeUp } from './compose-words.js';
import { dockerEnvEdits } from './docker-env-override.js';
import { plural } from '../render/style.js';

export const rotateToken = defineStep({
  id: 'rotateToken',
  stage: 'rotation',
  title: 'Rotate the gateway token',
  say: 'I will replace the gateway token with a new one. Every client that holds the old one stops working until we give it the new one, which we do right after.',
  explicit: true,
  consequence: 'Every client that holds the current token (browsers, CLIs, .env files) is refused until it gets the new one.',
  plan: () => NEW_TOKEN_PLAN,
  apply: (ctx) => writeNewToken(ctx, (t) => `rotated the gateway token to ${t}`),
  proof: ({ before, after }) => {
    const old = before.configToken?.value?.fingerprint;
    const now = after.configToken;
    return usable(now) && now.value.fingerprint !== old
      ? { held: true, observed: `${after.configPath} holds the new token ${now.value.describe()}` }
      : { held: false, observed: `${after.configPath} does not hold a new token` };
  },
});

interface PropagationItem {
  kind: 'dotenv-set' | 'remote-token' | 'manual';
  command: string;
  file?: string;
  line?: number;
}

function itemsFor(view: DiagnosisView, fingerprint: string): PropagationItem[] {
  const token = view.tokenForClients!;
  const stale = view.facts.sources.filter((s) => s.id !== view.configToken?.id && s.credential === 'token' && s.value && s.value.reveal().trim() !== token.reveal().trim());
  const edit = (file: string, line: number): PropagationItem => ({
    kind: 'dotenv-set',
    command: `$EDITOR ${shellQuote(file)}   # line ${line}: OPENCLAW_GATEWAY_TOKEN=<new token ${fingerprint}>`,
    file,
    line,
  });
  return stale.flatMap((s): PropagationItem[] => {
    if ((s.kind === 'dotenv' || s.kind === 'compose') && s.file && s.line && /\.env[^/]*$/.test(s.file)) return [edit(s.file, s.line)];
    if (s.kind === 'compose') return dockerEnvEdits([s]).map((e) => edit(e.file, e.line));
    if (s.kind === 'config-remote') return [{ kind: 'remote-token', command: `openclaw config set gateway.remote.token '"<new token ${fingerprint}>"'` }];
    if (s.kind === 'process-env') return [{ kind: 'manual', command: 'export OPENCLAW_GATEWAY_TOKEN=<new token>   # or unset it; in your shell profile too' }];
    if (s.kind === 'service' || s.kind === 'launchctl') return [{ kind: 'manual', command: 'openclaw gateway install --force' }];
    if (s.kind === 'container') return [{ kind: 'manual', command: `${composeUp(view).line}   # after updating its .env` }];
    return [{ kind: 'manual', command: `update ${s.label}` }];
  });
}

/** Every place that still holds another token than the one the gateway enforces. */
export function propagationPlan(view: DiagnosisView): PropagationItem[] {
  const token = view.tokenForClients;
  if (!token) return [];
  const items = itemsFor(view, token.fingerprint);
  const up = composeUp(view).line;
  // One recreate after the .env edits; a container item already names it.
  if (items.some((i) => i.kind === 'dotenv-set' && /compose|docker/.test(i.command)) && !items.some((i) => i.command.startsWith(up))) items.push({ kind: 'manual', command: up });
  items.push({ kind: 'manual', command: 'other browsers and devices: open the new dashboard link there (openclaw-token-wizard open --print --show-token)' });
  return items;
}

async function propagate(ctx: ActionContext, item: PropagationItem, raw: string) {
  if (item.kind === 'dotenv-set' && item.file && item.line) return rewriteEnvLine(ctx, item.file, item.line, raw, 'set OPENCLAW_GATEWAY_TOKEN to the new token');
  if (item.kind === 'remote-token') return applyConfig(ctx, 'set gateway.remote.token to the new token', [{ path: 'gateway.remote.token', value: raw, display: '<new token>' }]);
  return null;
}

export const propagateToken = defineStep({
  id: 'propagateToken',
  stage: 'rotation',
  title: 'Give the new token to every place that holds the old one',
  say: 'Now every place that still has the old token gets the new one: environment files, Docker, the service, and your browsers.',
  plan: (view) => propagationPlan(view).map((p) => p.command),
  apply: async (ctx) => {
    const token = ctx.view.tokenForClients;
    if (!token) return { ok: false, message: 'the gateway does not accept any known token yet' };
    const done: string[] = [];
    const manual: string[] = [];
    for (const item of propagationPlan(ctx.view)) {
      const r = await propagate(ctx, item, token.reveal().trim());
      if (r === null) manual.push(item.command);
      else (r.ok ? done : manual).push(r.message);
    }
    for (const m of manual) ctx.prompter.warn(`Still to do by hand: ${m}`);
    // Each update names its file and backup: the person must be able to find and undo it.
    return { ok: true, message: `${plural(done.length, 'place')} updated${manual.length ? `, ${manual.length} left to you` : ''}${done.length ? `: ${done.join('; ')}` : ''}` };
  },
  proof: ({ after }) => {
    const left = propagationPlan(after).filter((i) => i.kind !== 'manual');
    return left.length
      ? { held: false, observed: `${plural(left.length, 'place')} still ${left.length === 1 ? 'holds' : 'hold'} the old token` }
      : { held: true, observed: 'every file the wizard can edit holds the new token' };
  },
});
