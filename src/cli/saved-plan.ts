/**
 * `fix --dry-run --from FILE`: the fix plan of a saved diagnosis (a `diagnose --json` document or a
 * support report's `.diagnosis.json`), so a supporter sees what the user's wizard would do next.
 * Nothing on this machine is read, run or written: the plan is built from the saved findings alone
 * (a finding with a step carries that step's plan as its `fix`).
 */
import { dueSteps } from '../checks/derive.js';
import { isStepId, STEP_IDS, stepById } from '../checks/index.js';
import type { DiagnosisReport } from '../diagnosis/types.js';
import { EXIT, UsageError, type Io } from './core.js';
import { READS_MACHINE } from './diagnose-command.js';
import type { CliValues } from './spec.js';
import { fitToWidth } from './width.js';

/** Each step the saved diagnosis asks for, in the order fix takes them, with the commands it would show. */
export function savedPlan(report: DiagnosisReport): { steps: Array<{ title: string; findings: string[]; commands: string[] }>; advice: Array<{ title: string; commands: string[] }> } {
  const withStep = report.findings.filter((f) => f.step && isStepId(f.step));
  const steps = dueSteps(withStep, STEP_IDS).map((id) => {
    const named = withStep.filter((f) => f.step === id);
    return { title: stepById(id).title, findings: named.map((f) => f.id), commands: named[0]!.fix };
  });
  const advice = report.findings.filter((f) => !(f.step && isStepId(f.step)) && f.severity !== 'info' && f.fix.length).map((f) => ({ title: f.title, commands: f.fix }));
  return { steps, advice };
}

export function renderSavedPlan(file: string, report: DiagnosisReport): string {
  const { steps, advice } = savedPlan(report);
  const out = [`Saved diagnosis ${file} (openclaw-token-wizard ${report.wizardVersion}, gateway ${report.gateway.url}); nothing on this machine was read, run or changed.`, ''];
  if (!steps.length && !advice.length) out.push(report.healthy ? 'Nothing to do: the saved diagnosis is healthy.' : 'No step of the wizard applies to the saved findings.');
  if (steps.length) {
    out.push('Plan (dry run), in the order fix takes the steps; fix checks again after each one, so a later step may no longer be needed:');
    steps.forEach((s, i) => out.push(`${i + 1}. ${s.title} [${s.findings.join(', ')}]`, ...s.commands.map((c) => `   $ ${c}`)));
  }
  if (advice.length) {
    out.push('', 'By hand (no automatic step):');
    for (const a of advice) out.push(`• ${a.title}`, ...a.commands.map((c) => `   $ ${c}`));
  }
  return out.join('\n') + '\n';
}

/** Options that change the machine or read it: meaningless for a plan rendered from a file. */
const NOT_WITH_FROM = [...READS_MACHINE, 'yes', 'resume', 'json'] as const;

export async function runSavedPlan(values: CliValues, io: Io): Promise<number> {
  const file = values.from!;
  if (!values['dry-run']) throw new UsageError('fix --from renders the plan of a saved diagnosis and changes nothing: add --dry-run (fix --dry-run --from FILE)');
  const clash = NOT_WITH_FROM.filter((o) => values[o] !== undefined);
  if (clash.length)
    throw new UsageError(
      `--from renders a saved diagnosis and reads nothing on this machine: it cannot be combined with ${clash.map((o) => `--${o}`).join(', ')}${clash.includes('json') ? ' (the saved document itself: diagnose --from FILE --json)' : ''}`,
    );
  const { readSavedDiagnosis } = await import('../diagnosis/saved.js');
  const saved = await readSavedDiagnosis(file);
  if (!saved.ok) throw new UsageError(`cannot render ${file}: ${saved.message}`);
  const text = renderSavedPlan(file, saved.report);
  io.stdout.write(io.stdout.isTTY ? fitToWidth(text, io.stdout.columns) : text);
  return saved.report.findings.some((f) => f.severity === 'error') ? EXIT.problems : EXIT.ok;
}
