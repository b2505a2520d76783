/**
 * `undo`: puts back what the last run that changed something changed. It shows what it will
 * restore (a diff per file, tokens as fingerprints), asks (default No), restores each file
 * byte-exactly from its backup, lists the actions no file restore can reverse with the command
 * that does, marks the journal as undone, and probes the gateway again.
 * --yes answers the question for scripts, except when a file changed after the wizard wrote it:
 * discarding someone else's edit needs an explicit yes in a terminal.
 */
import { listJournals, markUndone, type Journal } from '../actions/journal.js';
import { planRestore, restoreDiff, restoreFile, type FilePlan } from '../actions/restore.js';
import { resolveOpenClawPaths } from '../facts/paths.js';
import { EXIT, UsageError, type Io } from './core.js';
import { diagnoseOptionsFrom } from './diagnose-options.js';
import type { CliValues } from './spec.js';

function stateDirOf(values: CliValues, io: Io): string {
  try {
    return resolveOpenClawPaths({ env: io.env, configFlag: values.config, profile: values.profile, dev: values.dev }).stateDir;
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

function describeRun(j: Journal): string {
  return `the ${j.flow} run of ${j.startedAt}${j.end ? ` (ended: ${j.end})` : ''}`;
}

export async function runUndo(values: CliValues, _positionals: string[], io: Io): Promise<number> {
  const stateDir = stateDirOf(values, io);
  const journals = await listJournals(stateDir);
  if (values.list) {
    io.stdout.write(
      journals.length ? journals.map(({ path, journal: j }) => `${j.undoneAt ? 'undone ' : 'pending'}  ${describeRun(j)}  ${path}\n`).join('') : `No journals under ${stateDir}/otw-journal\n`,
    );
    return EXIT.ok;
  }
  const next = journals.find((j) => !j.journal.undoneAt);
  if (!next) {
    io.stdout.write(`Nothing to undo: no run journal${journals.length ? ' that is not undone yet' : ''} under ${stateDir}/otw-journal.\n`);
    return EXIT.ok;
  }
  const { createPrompter, CANCELLED } = await import('../prompter.js');
  const tty = !!io.stdin.isTTY && !!io.stdout.isTTY;
  const p = createPrompter({ yes: !!values.yes, tty, input: io.stdin, output: io.stdout });
  const j = next.journal;
  p.intro(`openclaw-token-wizard undo: ${describeRun(j)}${values['dry-run'] ? ' (dry run: nothing will change)' : ''}`);
  p.info(`Journal: ${next.path}`);

  const plans = await planRestore(j);
  for (const plan of plans) showPlan(p, plan);
  const byHand = j.actions.filter((a) => !a.files.length && (a.reverse || a.note));
  if (byHand.length)
    p.note(byHand.map((a) => `• ${a.what}\n  ${a.reverse ? `$ ${a.reverse}${a.note ? `  (${a.note})` : ''}` : a.note}`).join('\n'), 'Not reversed by undo (do these by hand if you need to)');
  const todo = plans.filter((x) => !x.same);
  if (!todo.length) {
    p.outro('Every file is already as it was before that run: nothing to restore.');
    if (!values['dry-run']) await markUndone(next.path, j, new Date());
    return EXIT.ok;
  }
  if (values['dry-run']) {
    p.outro(`Dry run: ${todo.length} file${todo.length > 1 ? 's' : ''} would be restored; nothing was changed.`);
    return EXIT.ok;
  }
  const explicit = todo.some((x) => x.changedSince);
  const a = await p.confirm(`Restore ${todo.length === 1 ? 'this file' : `these ${todo.length} files`} as shown?`, { initial: false, explicit });
  if (a === CANCELLED) {
    p.outro('Cancelled: nothing was restored.');
    return EXIT.cancelled;
  }
  if (!a) {
    p.outro(`Nothing was restored.${!tty && !values.yes ? ' Not a terminal: add --yes to restore without asking.' : ''}`);
    return EXIT.problems;
  }
  let failed = 0;
  for (const plan of todo) {
    const r = await restoreFile(plan);
    if (r.ok) p.success(r.message);
    else {
      failed += 1;
      p.error(`Not restored: ${r.message}`);
    }
  }
  if (!failed) await markUndone(next.path, j, new Date());
  const verdictLine = await probeAgain(values, io);
  p.info(verdictLine);
  p.outro(failed ? `${failed} file${failed > 1 ? 's were' : ' was'} not restored; see above.` : `Restored${byHand.length ? '; the actions listed above are yours to reverse' : ''}.`);
  return failed ? EXIT.problems : EXIT.ok;
}

function showPlan(p: import('../prompter.js').Prompter, plan: FilePlan): void {
  const path = plan.file.path;
  if (plan.problem) return p.error(`${path}: ${plan.problem}; it cannot be restored`);
  if (plan.same) return p.info(`${path}: already as it was before the run`);
  if (plan.changedSince) p.warn(`${path} changed after the wizard wrote it: restoring discards that later change too`);
  p.note(restoreDiff(plan), plan.restore ? `${path} (restored from ${plan.file.backup})` : `${path} (created by the run: removed)`);
}

/** Diagnose again and say what the gateway answers now: undo never claims an outcome it did not see. */
async function probeAgain(values: CliValues, io: Io): Promise<string> {
  try {
    const [{ diagnose }, { verdict }, { painter }] = await Promise.all([import('../diagnosis/gather.js'), import('../render/human.js'), import('../render/style.js')]);
    const { report } = await diagnose(await diagnoseOptionsFrom(values, io));
    return `Checked again: ${verdict(report, painter(false))}`;
  } catch (err) {
    return `Could not check the gateway again: ${(err as Error).message}`;
  }
}
