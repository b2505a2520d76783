/**
 * The fatal line the gateway printed when it refused to start, named with the finding it is. The
 * gateway writes it to its log (and a service's output) and exits: each check whose problem it is
 * cites it, and when the config the wizard reads does not show the problem (another config was
 * used, the value came from a service's environment) the line alone names the finding.
 */
import type { DiagnosisView } from '../diagnosis/view.js';
import type { Detection } from './check.js';

export type RefusalId = 'token-invalid-value' | 'ambiguous-auth-mode' | 'no-token-configured' | 'origin-not-allowed' | 'gateway-mode-not-local';

/** OpenClaw 2026.9.6's startup guards, as their messages read (server-runtime-config.ts, known-weak-gateway-secrets.ts, auth-mode-policy.ts). */
const REFUSALS: ReadonlyArray<{ id: RefusalId; re: RegExp; cause: string }> = [
  {
    id: 'token-invalid-value',
    re: /gateway auth (?:token|password) is blank, a published example placeholder, or the literal string undefined\/null|known redaction sentinel/i,
    cause: 'its token or password is blank, an example placeholder or "undefined"/"null"',
  },
  {
    id: 'ambiguous-auth-mode',
    re: /gateway\.auth\.token and gateway\.auth\.password are both configured, but gateway\.auth\.mode is unset/i,
    cause: 'a token and a password are both set with no gateway.auth.mode',
  },
  { id: 'no-token-configured', re: /refusing to bind gateway to \S+ without auth/i, cause: 'it would listen beyond loopback without a token or password' },
  { id: 'origin-not-allowed', re: /non-loopback Control UI requires gateway\.controlUi\.allowedOrigins/i, cause: 'a Control UI served beyond loopback needs gateway.controlUi.allowedOrigins' },
  { id: 'gateway-mode-not-local', re: /Gateway start blocked:.*gateway\.mode/i, cause: 'gateway.mode is not "local"' },
];

export interface StartRefusal {
  id: RefusalId;
  line: string;
  cause: string;
}

/** The gateway's last start, when it was refused with one of the known fatal lines. */
export function startRefusal(view: DiagnosisView): StartRefusal | null {
  const line = view.facts.log?.startBlocked ?? view.containerFatalLine;
  if (!line) return null;
  const hit = REFUSALS.find((r) => r.re.test(line));
  return hit ? { id: hit.id, line, cause: hit.cause } : null;
}

/** The refusal's evidence line, for the check it names. */
export function refusalEvidence(view: DiagnosisView, id: RefusalId): string[] {
  const r = startRefusal(view);
  if (!r || r.id !== id) return [];
  const where = view.facts.log?.startBlocked ? `log ${view.facts.log.file ?? ''}`.trim() : `docker logs ${view.gatewayContainer?.name ?? ''}`.trim();
  return [`${where}: ${r.line}`];
}

/**
 * The check's detections with the refusal cited; when the check found nothing itself, one built
 * from the line alone (`fallback` gives its advice).
 */
export function withRefusal(view: DiagnosisView, id: RefusalId, found: Detection[], advice: () => string[]): Detection[] {
  const evidence = refusalEvidence(view, id);
  if (!evidence.length) return found;
  if (found.length) return found.map((d, i) => (i === 0 ? { ...d, evidence: [...d.evidence, ...evidence] } : d));
  const r = startRefusal(view)!;
  return [{ detail: `The gateway refused to start: ${r.cause}.`, evidence, advice: advice() }];
}
