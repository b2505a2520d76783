/** The config does not parse: OpenClaw cannot read it either, so nothing else can be trusted yet. */
import { shellQuote } from '../actions/openclaw-cli.js';
import type { DiagnosisView } from '../diagnosis/view.js';
import { defineCheck, defineStep } from './check.js';

function editCommand(view: DiagnosisView): string {
  const c = view.facts.config;
  const where = c?.error?.line ? `   # line ${c.error.line}, column ${c.error.column ?? '?'}` : '';
  return `$EDITOR ${shellQuote(view.configPath)}${where}`;
}

export const repairConfigFile = defineStep({
  id: 'repairConfigFile',
  stage: 'fix-sequence',
  title: 'Repair the config file',
  say: 'Your OpenClaw config file has a syntax error, so OpenClaw cannot read your token from it. Let us fix that line first.',
  plan: (view) => [editCommand(view)],
  apply: async () => ({ ok: false, waiting: true, message: 'edit the file by hand; the wizard re-reads it when you continue' }),
  proof: ({ after }) =>
    after.facts.config?.error ? { held: false, observed: `${after.configPath} still does not parse: ${after.facts.config.error.message}` } : { held: true, observed: `${after.configPath} parses` },
});

export const configUnreadable = defineCheck({
  id: 'config-unreadable',
  severity: 'error',
  title: 'The OpenClaw config cannot be read',
  fixes: [repairConfigFile],
  detect(view) {
    const cfg = view.facts.config;
    if (!cfg?.error) return [];
    const where = cfg.error.line ? ` at line ${cfg.error.line}, column ${cfg.error.column ?? '?'}` : '';
    return [
      {
        detail: `${cfg.path}${where}: ${cfg.error.message}. OpenClaw cannot read it either, so the gateway will not start with it.`,
        evidence: [`config: ${cfg.path}`, `error: ${cfg.error.message}${where}`],
        step: repairConfigFile,
      },
    ];
  },
});
