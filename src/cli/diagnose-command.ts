/** `diagnose`: read-only, so it loads no prompts, machines, browser opener or process runner. */
import { diagnose } from '../diagnosis/gather.js';
import { secretValues } from '../hygiene.js';
import { redactText, type Secret } from '../secret.js';
import { EXIT, type Io } from './core.js';
import { diagnoseOptionsFrom } from './diagnose-options.js';
import type { CliValues } from './spec.js';

export async function runDiagnose(values: CliValues, _positionals: string[], io: Io): Promise<number> {
  const opts = await diagnoseOptionsFrom(values, io);
  const { report, facts } = await diagnose(opts);
  const secrets = secretValues(facts.sources);
  if (facts.userToken) secrets.push(facts.userToken);
  if (values.json) {
    // Belt and braces: the report holds only fingerprints, and this proves no raw value slipped in.
    io.stdout.write(redactText(JSON.stringify(report, null, 2), secrets) + '\n');
  } else {
    // Only the human report needs the renderer and the width fitting.
    const [{ renderDiagnosis }, { painter, wantColor }, { fitToWidth }] = await Promise.all([import('../render/human.js'), import('../render/style.js'), import('./width.js')]);
    const paint = painter(wantColor(io.stdout, io.env, !!values['no-color']));
    let text = renderDiagnosis(report, paint);
    if (values['show-token']) text += showTokens(facts.sources);
    else text = redactText(text, secrets);
    // A terminal gets lines broken at spaces within its width, keeping the │ margin; a pipe gets them whole.
    io.stdout.write(io.stdout.isTTY ? fitToWidth(text, io.stdout.columns) : text);
  }
  return report.findings.some((f) => f.severity === 'error') ? EXIT.problems : EXIT.ok;
}

function showTokens(sources: { label: string; value: Secret | null }[]): string {
  const lines = sources.filter((s) => s.value).map((s) => `  ${s.value!.fingerprint}  ${JSON.stringify(s.value!.reveal())}  ${s.label}`);
  return lines.length ? `\nRaw tokens (--show-token):\n${lines.join('\n')}\n` : '';
}
