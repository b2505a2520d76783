/**
 * The interactive commands: recover (default), fix, setup, support, rotate, open, graph, demo.
 * They live apart from cli.ts so that `diagnose` never loads clack or xstate.
 */
import { diagnoseOptionsFrom, EXIT, UsageError, type CliValues, type Command, type CommandRunner, type Io } from './cli.js';
import type { FlowName } from './flow-runtime.js';

function isTty(io: Io): boolean {
  return !!io.stdin.isTTY && !!io.stdout.isTTY;
}

function flowRunner(flow: FlowName): CommandRunner {
  return async (values, _positionals, io) => {
    const tty = isTty(io);
    // Without a terminal and without --yes nothing may be asked, so the flows behave like diagnose.
    if (!tty && !values.yes && !values['dry-run'] && flow !== 'support') {
      const { runners } = await import('./cli.js');
      const code = await runners.diagnose!(values, [], io);
      io.stderr.write(`\nNot a terminal: nothing was changed. Run in a terminal to be guided, or add --yes to apply the automatic fixes (--dry-run to see them first).\n`);
      return code;
    }
    if (flow === 'support' && !tty && !values.yes && !values['dry-run']) {
      throw new UsageError('support needs a terminal (it asks the user questions); use --yes or --dry-run to run it unattended');
    }
    const { runFlow } = await import('./flow-runtime.js');
    const r = await runFlow({
      flow,
      diagnose: await diagnoseOptionsFrom(values, io),
      yes: !!values.yes,
      dryRun: !!values['dry-run'],
      tty,
      showToken: !!values['show-token'],
      resume: !!values.resume,
      reportPath: values.report,
      input: io.stdin,
      output: io.stdout,
    });
    return r.exitCode;
  };
}

async function runOpen(values: CliValues, _p: string[], io: Io): Promise<number> {
  const { diagnose } = await import('./diagnose.js');
  const { tokenForClients, controlUiUrl, openInBrowser } = await import('./actions/control-ui.js');
  const { redactText } = await import('./secret.js');
  const { facts } = await diagnose(await diagnoseOptionsFrom(values, io));
  const token = tokenForClients({ facts });
  const accepted = facts.sources.some((s) => facts.accepted.get(s.id) === true);
  const url = controlUiUrl({ facts }, token);
  const shown = values['show-token'] ? url : redactText(url, token ? [token] : []);
  if (!accepted) io.stderr.write(`Warning: the gateway at ${facts.target.url} did not accept ${token ? `the config token (${token.describe()})` : 'any token found here'}; run openclaw-token-wizard to fix that first.\n`);
  if (values.print || values.json) {
    if (values.json) io.stdout.write(JSON.stringify({ url: shown, tokenIncluded: !!token, tokenFingerprint: token?.fingerprint ?? null, accepted }) + '\n');
    else io.stdout.write(shown + '\n');
    if (!values['show-token'] && token) io.stderr.write('(token shown as its fingerprint; add --show-token to print the real link)\n');
    return accepted ? EXIT.ok : EXIT.problems;
  }
  const r = await openInBrowser(url);
  io.stdout.write(`${r.ok ? 'Opened' : 'Could not open'} ${redactText(url, token ? [token] : [])} ${r.ok ? 'in your browser' : `(${r.message}); use --print --show-token to get the link`}\n`);
  return r.ok && accepted ? EXIT.ok : EXIT.problems;
}

async function runGraph(_values: CliValues, positionals: string[], io: Io): Promise<number> {
  const { toMermaid } = await import('./render/mermaid.js');
  const machines = {
    recovery: (await import('../flows/recovery.js')).recoveryMachine,
    setup: (await import('../flows/setup.js')).setupMachine,
    rotate: (await import('../flows/rotate.js')).rotateMachine,
    support: (await import('../flows/support.js')).supportMachine,
  };
  const wanted = positionals[0];
  if (wanted && !(wanted in machines)) throw new UsageError(`unknown flow "${wanted}"; one of: ${Object.keys(machines).join(', ')}`);
  for (const [name, m] of Object.entries(machines)) {
    if (wanted && wanted !== name) continue;
    io.stdout.write(`%% flow: ${name}\n${toMermaid(m as never)}\n`);
  }
  return EXIT.ok;
}

export function registerFlowCommands(runners: Partial<Record<Command, CommandRunner>>): void {
  runners.recover = flowRunner('recovery');
  runners.fix = flowRunner('recovery');
  runners.setup = flowRunner('setup');
  runners.support = flowRunner('support');
  runners.rotate = flowRunner('rotate');
  runners.open = runOpen;
  runners.graph = runGraph;
}
