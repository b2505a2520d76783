/** `diagnose`: read-only, so it loads no prompts, machines, browser opener or process runner. */
import { debugLog } from '../debug-log.js';
import { diagnose } from '../diagnosis/gather.js';
import { secretValues } from '../hygiene.js';
import { redactText, type Secret } from '../secret.js';
import type { DiagnosisReport } from '../diagnosis/types.js';
import { EXIT, UsageError, type Io } from './core.js';
import { diagnoseOptionsFrom } from './diagnose-options.js';
import type { CliValues } from './spec.js';

export async function runDiagnose(values: CliValues, _positionals: string[], io: Io): Promise<number> {
  if (values.from !== undefined) return renderSaved(values.from, values, io);
  const opts = await diagnoseOptionsFrom(values, io);
  const t0 = Date.now();
  const { report, facts } = await diagnose(opts);
  const secrets = secretValues(facts.sources);
  if (facts.userToken) secrets.push(facts.userToken);
  debugLog()?.addSecrets(secrets);
  debugLog()?.diagnosis('diagnose', report, Date.now() - t0);
  if (values.json) {
    // Belt and braces: the report holds only fingerprints, and this proves no raw value slipped in.
    io.stdout.write(redactText(JSON.stringify(report, null, 2), secrets) + '\n');
  } else {
    let text = await renderHuman(report, values, io);
    if (values['show-token']) text += showTokens(facts.sources);
    else text = redactText(text, secrets);
    await writeFitted(text, io);
  }
  return exitFor(report);
}

const exitFor = (report: DiagnosisReport) => (report.findings.some((f) => f.severity === 'error') ? EXIT.problems : EXIT.ok);

async function renderHuman(report: DiagnosisReport, values: CliValues, io: Io): Promise<string> {
  // Only the human report needs the renderer and the width fitting.
  const [{ renderDiagnosis }, { painter, wantColor }] = await Promise.all([import('../render/human.js'), import('../render/style.js')]);
  return renderDiagnosis(report, painter(wantColor(io.stdout, io.env, !!values['no-color'])));
}

async function writeFitted(text: string, io: Io): Promise<void> {
  const { fitToWidth } = await import('./width.js');
  // A terminal gets lines broken at spaces within its width, keeping the │ margin; a pipe gets them whole.
  io.stdout.write(io.stdout.isTTY ? fitToWidth(text, io.stdout.columns) : text);
}

/** The options that read this machine: meaningless with a saved diagnosis, so refused. */
export const READS_MACHINE = ['config', 'profile', 'dev', 'port', 'url', 'compose-file', 'container', 'log-file', 'timeout', 'token-stdin', 'show-token'] as const;

/** `diagnose --from FILE`: a saved diagnosis, rendered as it was; nothing on this machine is read. */
async function renderSaved(file: string, values: CliValues, io: Io): Promise<number> {
  const clash = READS_MACHINE.filter((o) => values[o] !== undefined);
  if (clash.length) throw new UsageError(`--from renders a saved diagnosis and reads nothing on this machine: it cannot be combined with ${clash.map((o) => `--${o}`).join(', ')}`);
  const { readSavedDiagnosis } = await import('../diagnosis/saved.js');
  const saved = await readSavedDiagnosis(file);
  if (!saved.ok) throw new UsageError(`cannot render ${file}: ${saved.message}`);
  const report = saved.report;
  if (values.json) io.stdout.write(JSON.stringify(report, null, 2) + '\n');
  else {
    const head = `Saved diagnosis ${file} (openclaw-token-wizard ${report.wizardVersion}); nothing on this machine was read.\n\n`;
    await writeFitted(head + (await renderHuman(report, values, io)), io);
  }
  return exitFor(report);
}

function showTokens(sources: { label: string; value: Secret | null }[]): string {
  const lines = sources.filter((s) => s.value).map((s) => `  ${s.value!.fingerprint}  ${JSON.stringify(s.value!.reveal())}  ${s.label}`);
  return lines.length ? `\nRaw tokens (--show-token):\n${lines.join('\n')}\n` : '';
}
