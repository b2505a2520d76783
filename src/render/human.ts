import type { DiagnosisReport } from '../diagnosis/types.js';
import type { CheckStatus, Finding } from '../types.js';
import { GLYPH, type Painter } from './style.js';

const STATUS_GLYPH: Record<CheckStatus, string> = { pass: GLYPH.pass, warn: GLYPH.warn, fail: GLYPH.fail, skip: GLYPH.skip };

/** The human `diagnose` report: checks with time, findings with their fix commands, one verdict. */
export function renderDiagnosis(r: DiagnosisReport, paint: Painter): string {
  const out: string[] = [];
  const bar = paint('gray', GLYPH.bar);
  out.push(`${paint('gray', GLYPH.start)}  ${paint('inverse', ' openclaw-token-wizard diagnose ')}`);
  out.push(bar);
  out.push(`${paint('cyan', GLYPH.step)}  Gateway ${r.gateway.url} ${paint('dim', `(port ${r.gateway.port} from ${r.gateway.portSource})`)}`);
  out.push(`${bar}  config ${r.gateway.configPath ?? '(none)'}  mode=${r.gateway.mode ?? 'unset'} bind=${r.gateway.bind ?? 'default'} auth=${r.gateway.authMode ?? 'default(token)'}`);
  out.push(bar);
  out.push(`${paint('cyan', GLYPH.step)}  Checks`);
  const idWidth = Math.max(...r.checks.map((c) => c.id.length));
  for (const c of r.checks) {
    const g =
      c.status === 'pass'
        ? paint('green', STATUS_GLYPH[c.status])
        : c.status === 'warn'
          ? paint('yellow', STATUS_GLYPH[c.status])
          : c.status === 'fail'
            ? paint('red', STATUS_GLYPH[c.status])
            : paint('dim', STATUS_GLYPH[c.status]);
    out.push(`${bar}  ${g} ${c.id.padEnd(idWidth)} ${paint('dim', `${String(c.ms).padStart(5)} ms`)}  ${c.note}`);
  }
  if (r.sources.length) {
    out.push(bar);
    out.push(`${paint('cyan', GLYPH.step)}  Tokens found ${paint('dim', '(fingerprints; the gateway was asked about each)')}`);
    for (const s of r.sources) {
      // Unknown because nothing answered reads differently from a value the wizard did not present.
      const verdict = s.accepted === true ? paint('green', 'accepted') : s.accepted === false ? paint('red', 'rejected') : paint('dim', r.gateway.reachable ? 'not probed' : 'no answer');
      const fp = s.fingerprint ? `${s.fingerprint} (${s.length} chars)` : 'no readable value';
      out.push(`${bar}  ${verdict.padEnd(paint.color ? 19 : 10)} ${fp}  ${s.label}${s.problems.length ? paint('yellow', ` [${s.problems.join(', ')}]`) : ''}`);
    }
  }
  for (const f of r.findings) out.push(bar, ...renderFinding(f, paint));
  out.push(bar);
  out.push(`${paint('gray', GLYPH.end)}  ${verdict(r, paint)}`);
  return out.join('\n') + '\n';
}

export function renderFinding(f: Finding, paint: Painter): string[] {
  const bar = paint('gray', GLYPH.bar);
  const head = f.severity === 'error' ? paint('red', GLYPH.fail) : f.severity === 'warning' ? paint('yellow', GLYPH.warn) : paint('blue', GLYPH.info);
  const lines = [`${head}  ${paint('bold', f.title)} ${paint('dim', `[${f.id}]`)}`, `${bar}  ${f.detail}`];
  for (const e of f.evidence) lines.push(`${bar}  ${paint('dim', `· ${e}`)}`);
  if (f.fix.length) {
    lines.push(`${bar}  Fix:`);
    for (const c of f.fix) lines.push(`${bar}    ${paint('cyan', `$ ${c}`)}`);
  }
  return lines;
}

export function verdict(r: DiagnosisReport, paint: Painter): string {
  const errors = r.findings.filter((f) => f.severity === 'error').length;
  const warnings = r.findings.filter((f) => f.severity === 'warning').length;
  if (r.healthy) return paint('green', `Healthy: the gateway accepts ${acceptedLabel(r)}${warnings ? ` (${warnings} warning${warnings > 1 ? 's' : ''})` : ''}.`);
  if (!errors) return paint('yellow', `No errors, but the gateway did not accept any token found here${warnings ? ` (${warnings} warning${warnings > 1 ? 's' : ''})` : ''}.`);
  const first = r.findings.find((f) => f.severity === 'error')!;
  return paint('red', `${errors} problem${errors > 1 ? 's' : ''} found. Start with: ${first.title}. Run \`openclaw-token-wizard\` to fix it step by step.`);
}

/** The accepted source as a person reads it (its label), not its id. */
function acceptedLabel(r: DiagnosisReport): string {
  const s = r.sources.find((x) => x.id === r.gateway.acceptedSource);
  return s ? `the token from ${s.label}` : 'the configured token';
}
