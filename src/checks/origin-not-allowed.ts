/** The Control UI was opened from an origin missing from gateway.controlUi.allowedOrigins. */
import { applyConfig, configCommands } from '../actions/config-edit.js';
import type { DiagnosisView } from '../diagnosis/view.js';
import type { LogHandshake } from '../facts/types.js';
import { configSetArgs } from '../actions/openclaw-cli.js';
import { clientEvidence, recordsOf } from './client-records.js';
import { gatewayCli } from './container-commands.js';
import { defineCheck, defineStep } from './check.js';
import { withRefusal } from './start-refusal.js';

/** The allowed origins once every refused origin from the log is added. */
function allowedOriginsAfter(view: DiagnosisView): string[] {
  const current = view.facts.config?.gateway.allowedOrigins ?? [];
  const wanted = recordsOf(view, 'origin-not-allowed').flatMap((h) => (h.origin ? [h.origin] : []));
  return [...new Set([...current, ...wanted])];
}

export const allowOrigin = defineStep({
  id: 'allowOrigin',
  stage: 'still-failing',
  title: 'Allow the origin the Control UI is opened from',
  say: 'You open the Control UI from an address the gateway does not trust yet. I will add that address to the allowed origins.',
  explicit: true,
  consequence: 'Pages from that origin may then connect to the gateway (they still need the token).',
  plan: (view) => [...setOriginsCommands(view), alternative(view)],
  apply: (ctx) => applyConfig(ctx, 'allowed the Control UI origin', [{ path: 'gateway.controlUi.allowedOrigins', value: allowedOriginsAfter(ctx.view) }]),
  proof: ({ before, after }) => {
    const now = new Set(after.facts.config?.gateway.allowedOrigins ?? []);
    const missing = allowedOriginsAfter(before).filter((o) => !now.has(o));
    return missing.length
      ? { held: false, observed: `gateway.controlUi.allowedOrigins still lacks ${missing.join(', ')}` }
      : { held: true, observed: 'gateway.controlUi.allowedOrigins lists the refused origin' };
  },
});

/** The host's `openclaw config set` edits the host's config: a container's is set inside the container. */
function setOriginsCommands(view: DiagnosisView): string[] {
  const value = allowedOriginsAfter(view);
  if (!view.gatewayContainer) return configCommands([{ path: 'gateway.controlUi.allowedOrigins', value }]);
  return [gatewayCli(view, configSetArgs('gateway.controlUi.allowedOrigins', value)).line];
}

/** A container publishing its port on another host port: the gateway only knows its own port. */
function remapped(view: DiagnosisView) {
  const m = view.gatewayContainer?.portMapping;
  return m && m.host !== m.container ? m : null;
}

function alternative(view: DiagnosisView): string {
  const m = remapped(view);
  if (m)
    return `# or publish the gateway on its own port (ports: "${m.hostIp && m.hostIp !== '0.0.0.0' ? `${m.hostIp}:` : ''}${m.container}:${m.container}") and open http://127.0.0.1:${m.container}/`;
  return `# or open it from the gateway host: http://127.0.0.1:${view.facts.target.port}/`;
}

/** Why this origin is refused when Docker maps the port: the gateway allows only origins with its in-container port. */
function mappingNote(view: DiagnosisView, h: LogHandshake): string {
  const m = remapped(view);
  if (!m || !h.origin) return '';
  return ` The gateway runs in container ${view.gatewayContainer!.name}, which Docker publishes on host port ${m.host} while the gateway listens on ${m.container} inside it: it allows the local origins of port ${m.container} (http://localhost:${m.container}, http://127.0.0.1:${m.container}), not ${h.origin}. Allow exactly ${h.origin}, or publish the same port on the host.`;
}

function mappingEvidence(view: DiagnosisView): string[] {
  const m = remapped(view);
  return m ? [`container ${view.gatewayContainer!.name}: host ${m.hostIp || '0.0.0.0'}:${m.host} → container port ${m.container}/${m.protocol}`] : [];
}

export const originNotAllowed = defineCheck({
  id: 'origin-not-allowed',
  severity: 'error',
  title: 'The Control UI was opened from an origin the gateway does not allow',
  fixes: [allowOrigin],
  detect(view) {
    const current = view.facts.config?.gateway.allowedOrigins ?? [];
    const found = recordsOf(view, 'origin-not-allowed').map((h) => ({
      detail: `The Control UI was opened from ${h.origin ?? 'an origin the log does not name'}, which is not in gateway.controlUi.allowedOrigins${current.length ? ` (${current.join(', ')})` : ''}.${mappingNote(view, h)}`,
      evidence: [...clientEvidence(view, h), ...mappingEvidence(view)],
      ...(h.origin ? { step: allowOrigin } : { advice: [alternative(view)] }),
    }));
    return withRefusal(view, 'origin-not-allowed', found, () => [
      `openclaw config set gateway.controlUi.allowedOrigins '["https://<the origin you open the UI from>"]' --strict-json`,
      '# or keep the gateway on loopback: openclaw config set gateway.bind loopback',
    ]);
  },
});
