/** The checklist's "multiple gateways?": a stale gateway, or one of another config, holds the port. */
import { stopPid } from '../actions/gateway.js';
import { listenerConfig, type DiagnosisView } from '../diagnosis/view.js';
import type { ListenerProcess } from '../facts/types.js';
import { defineCheck, defineStep } from './check.js';
import { restartCommands } from './words.js';
import { plural } from '../render/style.js';

/** The gateways to stop: those of another state dir, else every one but the first. */
function staleGateways(view: DiagnosisView): ListenerProcess[] {
  const gws = view.gatewayListeners.filter((l) => l.pid);
  return view.foreignGateways.length ? view.foreignGateways.filter((l) => l.pid) : gws.slice(1);
}

export const stopStaleGateway = defineStep({
  id: 'stopStaleGateway',
  stage: 'still-failing',
  title: 'Stop the stale gateway',
  say: 'An old gateway with a different configuration holds the port and enforces its own token. I will stop that exact process.',
  explicit: true,
  plan: (view) => staleGateways(view).map((l) => `kill ${l.pid}   # the stale gateway, after checking it is not needed`),
  apply: async (ctx) => {
    const stale = staleGateways(ctx.view);
    if (!stale.length) return { ok: false, message: 'no stale gateway pid to stop' };
    for (const l of stale) {
      const r = await stopPid(ctx, l.pid!);
      if (!r.ok) return r;
    }
    return { ok: true, message: `stopped ${stale.map((l) => `pid ${l.pid}`).join(', ')}` };
  },
  proof: ({ after }) =>
    after.multipleGateways
      ? { held: false, observed: `still ${plural(after.gatewayListeners.length, 'gateway listener')} on port ${after.facts.target.port}` }
      : { held: true, observed: `one gateway of this config on port ${after.facts.target.port}` },
});

function describe(l: ListenerProcess): string {
  const cfg = listenerConfig(l);
  return `listener ${l.address} pid ${l.pid ?? '?'}: ${l.commandLine ?? l.command ?? '?'}${l.stateDir ? ` (state dir ${l.stateDir})` : ''}${cfg ? ` (config ${cfg})` : ''}`;
}

export const multipleGateways = defineCheck({
  id: 'multiple-gateways',
  severity: 'error',
  title: 'More than one gateway, or a gateway of another config, is running',
  fixes: [stopStaleGateway],
  detect(view) {
    if (!view.multipleGateways) return [];
    const foreign = view.foreignGateways[0];
    const port = view.facts.target.port;
    const pids = new Set(view.gatewayListeners.map((l) => l.pid).filter((p) => p !== null));
    const detail = foreign
      ? `The gateway on port ${port} (pid ${foreign.pid ?? '?'}) runs with state dir ${foreign.stateDir}${listenerConfig(foreign) ? ` and config ${listenerConfig(foreign)}` : ''}, not yours (${view.facts.paths?.stateDir ?? '?'}). It enforces its own token, not the one in your config.`
      : `${pids.size} gateway processes listen on port ${port}; clients reach whichever answers.`;
    const canStop = staleGateways(view).length > 0;
    return [
      {
        detail,
        evidence: view.gatewayListeners.map(describe),
        ...(canStop ? { step: stopStaleGateway } : { advice: ['openclaw gateway status', ...restartCommands(view)] }),
      },
    ];
  },
});
