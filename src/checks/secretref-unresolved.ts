/**
 * A credential in the config is a SecretRef (`{source: "env" | "file" | "exec" | "store", …}` or
 * `$NAME`) that does not resolve in this shell. The gateway's service may still resolve it (its
 * own environment, EnvironmentFile, env wrapper), so the Control UI works while every `openclaw`
 * command fails. Exec refs are never run by the wizard, and it says so.
 */
import type { DiagnosisView } from '../diagnosis/view.js';
import type { SecretRefFact } from '../facts/types.js';
import type { Detection } from './check.js';
import { defineCheck } from './check.js';

function refLabel(r: SecretRefFact): string {
  return `${r.configPath} = {source: "${r.source}", provider: "${r.provider}", id: "${r.id}"}`;
}

function adviceFor(r: SecretRefFact): string[] {
  if (r.source === 'env') return [`# put ${r.id}=<the token> in ~/.openclaw/.env (read by the CLI and by the gateway service), or export it in this shell`, `grep -n ${r.id} ~/.openclaw/.env`];
  if (r.source === 'file') return [`ls -l ${r.id}   # OpenClaw needs an absolute path to a private regular file it can read`];
  return ['openclaw secrets audit --allow-exec   # runs the exec provider: only if you trust the command in the config'];
}

function detection(view: DiagnosisView, r: SecretRefFact): Detection {
  const accepted =
    view.helloOk && view.acceptedSource
      ? ` The running gateway accepted ${view.acceptedSource.label}, so its own environment resolves what yours does not: \`openclaw\` commands here fail ("this CLI has no token/password").`
      : '';
  if (r.status === 'not-run')
    return {
      detail: `${r.configPath} comes from an exec SecretRef; the wizard never runs the command it names, so it cannot tell whether it resolves.`,
      evidence: [refLabel(r), 'exec ref: not run'],
      advice: adviceFor(r),
      severity: 'info',
    };
  return {
    detail: `${r.configPath} is a SecretRef that does not resolve here: ${r.reason ?? 'no value'}.${accepted}`,
    evidence: [refLabel(r), `unresolved: ${r.reason ?? 'no value'}`],
    advice: adviceFor(r),
    ...(r.configPath === 'gateway.auth.token' || r.configPath === 'gateway.remote.token' ? {} : { severity: 'warning' as const }),
  };
}

export const secretrefUnresolved = defineCheck({
  id: 'secretref-unresolved',
  severity: 'error',
  title: 'A SecretRef credential does not resolve in this shell',
  fixes: [],
  detect(view) {
    return (view.facts.config?.secretRefs ?? []).filter((r) => r.status === 'unresolved' || r.status === 'not-run').map((r) => detection(view, r));
  },
});
