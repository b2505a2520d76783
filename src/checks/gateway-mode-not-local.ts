/** Without gateway.mode=local, OpenClaw refuses to start a gateway on this host. */
import { applyConfig } from '../actions/config-edit.js';
import { defineCheck, defineStep } from './check.js';

export const setGatewayModeLocal = defineStep({
  id: 'setGatewayModeLocal',
  stage: 'fix-sequence',
  title: 'Set gateway.mode to local',
  say: 'OpenClaw refuses to start the gateway on this machine until the config says it is the local gateway. I will set gateway.mode to local.',
  plan: () => ['openclaw config set gateway.mode local'],
  apply: (ctx) => applyConfig(ctx, 'set gateway.mode=local', [{ path: 'gateway.mode', value: 'local' }]),
  proof: ({ after }) => {
    const mode = after.facts.config?.gateway.mode;
    return mode === 'local' ? { held: true, observed: `${after.configPath}: gateway.mode=local` } : { held: false, observed: `${after.configPath}: gateway.mode is ${mode ?? 'unset'}` };
  },
});

export const gatewayModeNotLocal = defineCheck({
  id: 'gateway-mode-not-local',
  severity: 'error',
  title: 'gateway.mode is not "local", so the gateway refuses to start here',
  fixes: [setGatewayModeLocal],
  detect(view) {
    const cfg = view.facts.config;
    const g = cfg?.gateway;
    const log = view.facts.log;
    // A gateway already answering without any config file is someone else's setup to judge.
    if (!cfg || cfg.error || !view.isGatewayHost || g?.mode === 'local' || (view.reachable && !cfg.exists)) return [];
    const current = !cfg.exists ? 'no config file' : g?.mode ? `gateway.mode=${g.mode}` : 'gateway.mode unset';
    return [
      {
        detail: `${current}: OpenClaw refuses to start a gateway on this host unless gateway.mode is "local"${log?.startBlocked ? ' (its log says so)' : ''}.`,
        evidence: [`config: ${view.configPath}`, current, ...(log?.startBlocked ? [`log: ${log.startBlocked}`] : [])],
        step: setGatewayModeLocal,
      },
    ];
  },
});
