/**
 * The support report: Markdown a supporter can paste into a public ticket. Built only from the
 * redacted diagnosis (fingerprints), the recorded transcript and the change list, and passed
 * through the redactor once more with every secret the wizard knows.
 */
import type { DiagnosisReport } from '../diagnosis/types.js';
import type { Change } from '../actions/types.js';
import type { TranscriptEntry } from '../prompter.js';
import type { StepOutcome } from '../checks/check.js';
import { plural } from './style.js';

export interface SupportReportInput {
  generatedAt: string;
  wizardVersion: string;
  openclawVersion: string | null;
  platform: string;
  node: string;
  symptom: string | null;
  /** The message the user sees, as pasted (secrets removed), and the finding `explain` names for it. */
  pasted?: { quote: string; finding: string | null } | null;
  first: DiagnosisReport | null;
  last: DiagnosisReport | null;
  outcomes: StepOutcome[];
  changes: Change[];
  transcript: TranscriptEntry[];
  end: string;
  durationMs: number;
  /** The run's --debug log, attached in a collapsed section. */
  debugLog?: { path: string; text: string } | null;
}

/**
 * Where the diagnosis JSON goes beside a report: `ticket.md` → `ticket.diagnosis.json`. A
 * supporter replays it with `diagnose --from`.
 */
export function diagnosisPathBeside(reportPath: string): string {
  return `${reportPath.replace(/\.md$/i, '')}.diagnosis.json`;
}

/** What the user saw, as the message itself (the support flow asks which one). */
export const SYMPTOM_MESSAGES = {
  'token-missing': 'disconnected (1008): unauthorized: gateway token missing',
  'token-mismatch': 'unauthorized: gateway token mismatch',
} as const;

function symptomLine(symptom: string | null): string {
  if (!symptom) return 'not asked';
  if (symptom === 'token-missing' || symptom === 'token-mismatch') return `“${SYMPTOM_MESSAGES[symptom]}”`;
  return symptom === 'other' ? 'another message (not one of the gateway token messages)' : 'not sure which message';
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A report goes into a public ticket: the home directory becomes `~` and the user's login name
 * `<user>` wherever they appear (paths, command lines, log lines), as whole words or path segments.
 */
export function anonymizeReport(text: string, who: { home: string | null; users: string[] }): string {
  let out = text;
  const home = who.home?.replace(/\/+$/, '');
  if (home && home.length > 1) out = out.replace(new RegExp(`${escapeRegExp(home)}(?![\\w-])`, 'g'), '~');
  for (const u of new Set(who.users.filter((u) => u.length >= 2))) out = out.replace(new RegExp(`(?<![\\w.-])${escapeRegExp(u)}(?![\\w-])`, 'g'), '<user>');
  return out;
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function renderSupportReport(r: SupportReportInput): string {
  const out: string[] = [];
  const d = r.last ?? r.first;
  out.push('# OpenClaw gateway token: support report', '');
  out.push(`Generated ${r.generatedAt} by openclaw-token-wizard ${r.wizardVersion}. Tokens appear only as \`sha256:\` fingerprints with their length.`, '');
  out.push('## Summary', '');
  out.push(`- Outcome: **${r.end}**${d ? (d.healthy ? ' (healthy at the end)' : ' (problems remain)') : ''}`);
  out.push(`- Next: ${nextStep(r)}`);
  if (r.pasted) out.push('- What the user saw (pasted):', `  > ${r.pasted.quote.replace(/`/g, "'")}`, `  (explain: ${r.pasted.finding ?? 'not a message the wizard knows'})`);
  else out.push(`- What the user saw: ${symptomLine(r.symptom)}`);
  out.push(`- OpenClaw: ${r.openclawVersion ?? 'not found'}; gateway reports ${d?.gateway.version ?? 'no version (not reached)'}`);
  out.push(`- Platform: ${r.platform}, Node ${r.node}`);
  out.push(`- Duration: ${(r.durationMs / 1000).toFixed(1)} s`);
  if (d) {
    out.push(`- Config: \`${d.gateway.configPath ?? '(none)'}\` (gateway.mode=${d.gateway.mode ?? 'unset'}, bind=${d.gateway.bind ?? 'default'}, auth=${d.gateway.authMode ?? 'default'})`);
    out.push(`- Gateway: ${d.gateway.url} (port from ${d.gateway.portSource}), reachable: ${d.gateway.reachable ? 'yes' : 'no'}, accepts: ${d.gateway.acceptedSource ?? 'none of the tokens found'}`);
  }
  out.push('');
  for (const [title, rep] of [
    ['Token sources (at the end)', r.last],
    ['Token sources (at the start)', r.last ? null : r.first],
  ] as const) {
    if (!rep) continue;
    out.push(`## ${title}`, '', '| source | where | fingerprint | length | gateway | problems |', '|---|---|---|---|---|---|');
    for (const s of rep.sources)
      out.push(
        `| ${cell(s.id)} | ${cell(s.label)} | ${s.fingerprint ?? '-'} | ${s.length ?? '-'} | ${s.accepted === true ? 'accepted' : s.accepted === false ? 'rejected' : 'not probed'} | ${cell(s.problems.join(', ') || '-')} |`,
      );
    out.push('');
  }
  for (const [title, rep] of [
    ['Findings at the start', r.first],
    ['Findings at the end', r.last],
  ] as const) {
    if (!rep) continue;
    out.push(`## ${title}`, '');
    if (!rep.findings.length) out.push('None.');
    for (const f of rep.findings) {
      out.push(`- **${f.severity}** \`${f.id}\`: ${f.title}. ${f.detail}`);
      for (const e of f.evidence) out.push(`  - ${e}`);
    }
    out.push('');
  }
  out.push('## Steps', '');
  if (!r.outcomes.length) out.push('No fix steps were taken.');
  r.outcomes.forEach((o, i) => out.push(`${i + 1}. \`${o.step}\`: ${o.ok ? 'done' : 'not done'}: ${o.message} (${o.at})`));
  out.push('', '## Changes made', '');
  if (!r.changes.length) out.push('Nothing was changed on the machine.');
  for (const c of r.changes) {
    out.push(`- ${c.at}: ${c.what}`);
    for (const cmd of c.commands) out.push(`  - \`${cmd}\``);
    for (const b of c.backups) out.push(`  - backup: \`${b}\``);
  }
  // Long sections collapse (GitHub and most trackers render <details>); a blank line after
  // <summary> lets the Markdown inside render.
  if (r.last) {
    out.push('', '## Checks (last run)', '', `<details><summary>${plural(r.last.checks.length, 'check')}</summary>`, '', '| check | status | ms | note |', '|---|---|---|---|');
    for (const c of r.last.checks) out.push(`| ${c.id} | ${c.status} | ${c.ms} | ${cell(c.note)} |`);
    out.push('', '</details>');
  }
  out.push('', '## Session transcript', '', `<details><summary>${plural(r.transcript.length, 'line')}</summary>`, '', '```');
  for (const t of r.transcript) out.push(`${t.at.slice(11, 19)} ${t.kind.padEnd(7)} ${fence(t.text.replace(/\n/g, ' / '))}`);
  out.push('```', '', '</details>', '');
  if (r.debugLog) {
    out.push('## Debug log', '', `<details><summary>${r.debugLog.path}</summary>`, '', '```', fence(r.debugLog.text.trimEnd()), '```', '', '</details>', '');
  }
  return out.join('\n');
}

/** A line inside a code fence cannot close it early. */
const fence = (s: string) => s.replace(/```/g, "'''");

/** What the person or supporter does next, from how the session ended and what remains. */
export function nextStep(r: Pick<SupportReportInput, 'end' | 'last' | 'first' | 'changes'>): string {
  const undo = r.changes.length ? ' To put back what was changed: `openclaw-token-wizard undo`.' : '';
  const d = r.last ?? r.first;
  const firstError = d?.findings.find((f) => f.severity === 'error');
  const start = firstError ? ` Start with "${firstError.title}"${firstError.fix[0] ? `: \`${firstError.fix[0]}\`` : ''}.` : '';
  switch (r.end) {
    case 'connected':
    case 'ready':
      return 'nothing: the gateway accepts the token and no client reports a failure.';
    case 'paused':
      return `do the manual step the transcript ends with, then run \`openclaw-token-wizard --resume\`.${undo}`;
    case 'cancelled':
      return `the session was stopped before the end; run \`openclaw-token-wizard\` again when ready.${start}${undo}`;
    case 'failed':
      return `the wizard hit an internal error: run it again with \`--debug\` and attach the debug log to this ticket.${undo}`;
    default:
      return `work through "Findings at the end" (each lists the exact commands), then run \`openclaw-token-wizard diagnose\` to check.${start}${undo}`;
  }
}
