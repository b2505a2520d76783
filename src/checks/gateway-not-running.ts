/** Nothing accepts connections where the clients connect: the checklist's "is the gateway even running?". */
import { startGatewayInBackground, startInBackgroundCommand, waitForGateway, type StartedGateway } from '../actions/gateway.js';
import { failureReason, knownSecrets, runOpenClaw } from '../actions/openclaw-cli.js';
import type { ActionContext, ActionOutcome } from '../actions/types.js';
import { defineCheck, defineStep, type Detection } from './check.js';
import { composeUp } from './compose-words.js';
import type { DiagnosisView } from '../diagnosis/view.js';
import { shellQuote } from '../text/shell-quote.js';

async function startService(ctx: ActionContext): Promise<ActionOutcome | null> {
  if (ctx.dryRun) return { ok: true, message: 'dry run: would run openclaw gateway start' };
  const r = await runOpenClaw(ctx, ['gateway', 'start'], 60_000);
  if (!r.ok) return { ok: false, message: `openclaw gateway start failed: ${failureReason(r, knownSecrets(ctx), { line: 'last' })}` };
  ctx.record({ at: new Date().toISOString(), what: 'started the gateway service', commands: ['openclaw gateway start'], files: [], backups: [] });
  return null;
}

export const startGateway = defineStep({
  id: 'startGateway',
  stage: 'still-failing',
  title: 'Start the gateway',
  say: 'Nothing is listening where your clients connect, so the gateway is not running. I will start it.',
  plan: (view) => (view.hasService ? ['openclaw gateway start'] : [startInBackgroundCommand(view)]),
  apply: async (ctx) => {
    // A gateway started here is watched: its fatal line ends the wait. A service's is not ours to watch.
    let started: StartedGateway | undefined;
    if (ctx.view.hasService && ctx.facts.cli?.found) {
      const failed = await startService(ctx);
      if (failed) return failed;
    } else {
      const r = await startGatewayInBackground(ctx);
      if (!r.ok || ctx.dryRun) return r;
      started = r.started;
    }
    const token = ctx.view.configToken?.value?.reveal().trim() ?? null;
    const w = await waitForGateway(ctx, { token, goal: 'answers', timeoutMs: 120_000, label: 'Waiting for the gateway to accept connections', started });
    if (w.failedStart) return { ok: false, message: w.failedStart.full };
    return w.ok ? { ok: true, message: 'the gateway is up' } : { ok: false, message: 'the gateway did not come up in time; its log says why' };
  },
  proof: ({ after }) => (after.reachable ? { held: true, observed: `a gateway answers at ${after.facts.target.url}` } : { held: false, observed: `nothing answers at ${after.facts.target.url}` }),
});

/** The gateway is a container that does not serve: the engine restarts it, and its own log says why. */
function containerDown(view: DiagnosisView): Detection {
  const c = view.gatewayContainer!;
  const fatal = view.containerFatalLine;
  const state = `${c.status}${c.restartCount ? `, restarted ${c.restartCount} ${c.restartCount === 1 ? 'time' : 'times'}` : ''}`;
  const edit = c.configHostPath ? [`$EDITOR ${shellQuote(c.configHostPath)}   # the config mounted at ${c.containerConfigPath}`] : [];
  return {
    detail: `The gateway runs in container ${c.name} (${state}) and does not accept connections on ${view.facts.target.url}.${fatal ? ` Its last start failed: ${fatal}` : ''}`,
    evidence: [`container ${c.name}: ${state}, port ${c.portMapping.host} → ${c.portMapping.container}`, ...(fatal ? [`docker logs ${c.name}: ${fatal}`] : [])],
    advice: [...(fatal ? edit : []), composeUp(view).line, `docker logs --tail 40 ${shellQuote(c.name)}`],
  };
}

export const gatewayNotRunning = defineCheck({
  id: 'gateway-not-running',
  severity: 'error',
  title: 'No gateway is running on the expected port',
  fixes: [startGateway],
  detect(view) {
    if (view.gatewayContainer && (view.unreachable === 'down' || (view.containerFatalLine && !view.reachable))) return [containerDown(view)];
    if (view.unreachable !== 'down') return [];
    const f = view.facts;
    const first = view.probes[0]!;
    const blocked = f.log?.startBlocked;
    return [
      {
        detail: `Nothing accepts connections on ${f.target.url}.${blocked ? ` The gateway's last start was refused: ${blocked}` : ''}`,
        evidence: [`probe ${f.target.url}: ${first.kind}`, `port ${f.target.port} (${f.target.portSource})`, ...(blocked ? [`log: ${blocked}`] : [])],
        step: startGateway,
      },
    ];
  },
});
