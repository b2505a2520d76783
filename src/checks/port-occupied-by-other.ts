/** The gateway port is held by something that does not speak the gateway protocol. */
import { stopPid } from '../actions/gateway.js';
import type { DiagnosisView } from '../diagnosis/view.js';
import { defineCheck, defineStep } from './check.js';

const holder = (view: DiagnosisView) => view.otherListeners[0] ?? null;

export const freeThePort = defineStep({
  id: 'freeThePort',
  stage: 'still-failing',
  title: 'Free the gateway port',
  say: 'Another program is using the port the gateway needs. We need to stop it or move the gateway to another port.',
  explicit: true,
  plan: (view) => {
    const other = holder(view);
    return other?.pid ? [`kill ${other.pid}   # only if that process is yours and safe to stop`] : [`ss -ltnp 'sport = :${view.facts.target.port}'`];
  },
  apply: async (ctx) => {
    const other = holder(ctx.view);
    if (!other?.pid) return { ok: false, waiting: true, message: `find and stop what holds port ${ctx.facts.target.port}, or move the gateway: openclaw config set gateway.port <free port>` };
    return stopPid(ctx, other.pid);
  },
  proof: ({ after }) =>
    after.otherListeners.length
      ? { held: false, observed: `port ${after.facts.target.port} is still held by pid ${after.otherListeners[0]!.pid ?? '?'}` }
      : { held: true, observed: `nothing but a gateway holds port ${after.facts.target.port}` },
});

function why(kinds: Set<string>, note: string): string {
  if (kinds.has('not-websocket')) return ', which answers HTTP but is not a gateway';
  if (kinds.has('no-answer')) return ', which accepts connections but never speaks the gateway protocol';
  if (kinds.has('closed-unknown')) return `, which accepted the WebSocket but ended the handshake in a way no OpenClaw gateway does (${note})`;
  return '';
}

export const portOccupiedByOther = defineCheck({
  id: 'port-occupied-by-other',
  severity: 'error',
  title: 'Something that is not an OpenClaw gateway holds the gateway port',
  fixes: [freeThePort],
  detect(view) {
    if (view.unreachable !== 'port-occupied') return [];
    const f = view.facts;
    const port = f.target.port;
    const listeners = f.listeners?.listeners ?? [];
    const who = holder(view) ?? listeners[0];
    const first = view.probes[0]!;
    const kinds = new Set(view.probes.map((r) => r.kind));
    return [
      {
        detail: `Port ${port} is held by ${who ? `pid ${who.pid ?? '?'} (${who.command ?? 'unknown'})` : 'a process'}${why(kinds, first.note ?? first.kind)}.`,
        evidence: [
          `probe ${f.target.url}: ${first.kind}${first.note ? ` (${first.note})` : ''}`,
          ...listeners.map((l) => `listener ${l.address} pid ${l.pid ?? '?'}: ${l.commandLine ?? l.command ?? 'unknown'}`),
        ],
        step: freeThePort,
      },
    ];
  },
});
