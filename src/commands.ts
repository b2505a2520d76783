/**
 * The interactive commands: recover (default), fix, setup, support, rotate, open, graph, demo.
 * They live apart from cli.ts so that `diagnose` never loads clack or xstate.
 */
import { existsSync } from 'node:fs';
import { EXIT, UsageError, type CommandRunner, type Io } from './cli/core.js';
import { diagnoseOptionsFrom, intOption } from './cli/diagnose-options.js';
import { runDiagnose } from './cli/diagnose-command.js';
import type { CliValues } from './cli/spec.js';
import { fitToWidth } from './cli/width.js';
import { diagnose } from './diagnosis/gather.js';
import { findOnPath } from './facts/openclaw-cli.js';
import { OPENCLAW_INSTALL } from './checks/words.js';
import { resolveOpenClawPaths } from './facts/paths.js';
// Loaded on demand below (clack, xstate, open): a type import costs nothing at start-up.
import type { FlowName } from '../flows/runtime.js';

function isTty(io: Io): boolean {
  return !!io.stdin.isTTY && !!io.stdout.isTTY;
}

/**
 * `recover` on a machine with neither an `openclaw` on PATH nor a config: nothing to fix here, so
 * say so and offer the demo. Returns the demo's exit code when the person took it, else null.
 */
async function offerDemo(values: CliValues, io: Io): Promise<number | null> {
  if (await findOnPath('openclaw', io.env)) return null;
  let configPath: string;
  try {
    configPath = resolveOpenClawPaths({ env: io.env, configFlag: values.config, profile: values.profile, dev: values.dev }).configPath;
  } catch {
    return null;
  }
  if (existsSync(configPath)) return null;
  const why = `OpenClaw is not installed here (no openclaw on PATH) and there is no config at ${configPath}.`;
  // Without a terminal and without --yes the flow only diagnoses (it writes nothing): let it.
  if (!isTty(io) && !values.yes && !values['dry-run']) {
    io.stderr.write(`${why}
To see what the wizard does, try it against a built-in fake gateway: openclaw-token-wizard demo (openclaw-token-wizard demo --list for the scenarios)

`);
    return null;
  }
  const { createPrompter, CANCELLED } = await import('./prompter.js');
  const p = createPrompter({ yes: !!values.yes || !!values['dry-run'], tty: isTty(io), input: io.stdin, output: io.stdout });
  p.warn(why);
  if (isTty(io) && !values.yes && !values['dry-run']) {
    const a = await p.confirm('Try the demo instead? (a fake gateway in a temp sandbox; nothing on this machine changes)', { initial: true });
    if (a === CANCELLED) return EXIT.cancelled;
    if (a) return runDemo(values, [], io);
  }
  // Every later step (the config, the gateway) needs the openclaw CLI: nothing is written before it is there.
  p.step('Step 1: install OpenClaw');
  p.commands([OPENCLAW_INSTALL], 'Run');
  p.outro('Nothing was changed. Install OpenClaw first, then run openclaw-token-wizard again (or openclaw-token-wizard demo to try it).');
  return EXIT.problems;
}

function flowRunner(flow: FlowName, opts: { offerDemo?: boolean } = {}): CommandRunner {
  return async (values, _positionals, io) => {
    // fix --dry-run --from FILE: the plan of a saved diagnosis; nothing here is read, run or written.
    if (values.from !== undefined) return (await import('./cli/saved-plan.js')).runSavedPlan(values, io);
    if (opts.offerDemo) {
      const code = await offerDemo(values, io);
      if (code !== null) return code;
    }
    const json = !!values.json;
    // --json keeps stdout for the one document: the run talks to the person on stderr, and may ask there.
    const tty = json ? !!io.stdin.isTTY && !!io.stderr.isTTY : isTty(io);
    if (json && !tty && !values.yes && !values['dry-run'])
      throw new UsageError(`--json without a terminal cannot ask before it changes anything: add --yes to apply the automatic fixes, or --dry-run for the plan`);
    // Without a terminal and without --yes nothing may be asked, so the flows behave like diagnose.
    if (!tty && !values.yes && !values['dry-run'] && flow !== 'support') {
      const code = await runDiagnose(values, [], io);
      io.stderr.write(`\nNot a terminal: nothing was changed. Run in a terminal to be guided, or add --yes to apply the automatic fixes (--dry-run to see them first).\n`);
      return code;
    }
    if (flow === 'support' && !tty && !values.yes && !values['dry-run']) {
      throw new UsageError('support needs a terminal (it asks the user questions); use --yes or --dry-run to run it unattended');
    }
    // A named report file that exists is refused before the session, not after it.
    if (flow === 'support' && values.report && !values.force && !values['dry-run'] && existsSync(values.report))
      throw new UsageError(`${values.report} already exists: add --force to overwrite it, or choose another file with --report`);
    const { runFlow } = await import('../flows/runtime.js');
    const r = await runFlow({
      flow,
      diagnose: await diagnoseOptionsFrom(values, io),
      yes: !!values.yes,
      dryRun: !!values['dry-run'],
      tty,
      showToken: !!values['show-token'],
      resume: !!values.resume,
      reportPath: values.report,
      force: !!values.force,
      controlUiWaitMs: (intOption('wait', values.wait, 0, 3600) ?? 90) * 1000,
      input: io.stdin,
      output: json ? io.stderr : io.stdout,
    });
    if (json) io.stdout.write(JSON.stringify(r.document, null, 2) + '\n');
    return r.exitCode;
  };
}

async function runOpen(values: CliValues, _p: string[], io: Io): Promise<number> {
  const { controlUiUrl, openInBrowser } = await import('./actions/control-ui.js');
  const { facts, view } = await diagnose(await diagnoseOptionsFrom(values, io));
  const token = view.tokenForClients;
  const accepted = !!view.acceptedSource;
  const url = controlUiUrl({ facts }, token);
  // A fingerprint where the secret belongs would hand the Control UI the string `sha256:…`, a
  // token mismatch: without --show-token the link leaves the token out altogether.
  const withToken = !!token && !!values['show-token'];
  const shown = withToken ? url : controlUiUrl({ facts }, null);
  if (!accepted)
    io.stderr.write(
      `Warning: the gateway at ${facts.target.url} did not accept ${token ? `the config token (${token.describe()})` : 'any token found here'}; run openclaw-token-wizard to fix that first.\n`,
    );
  if (values.print || values.json) {
    if (values.json) io.stdout.write(JSON.stringify({ url: shown, tokenIncluded: withToken, tokenFingerprint: token?.fingerprint ?? null, accepted }) + '\n');
    else io.stdout.write(shown + '\n');
    if (token && !withToken) io.stderr.write(`(the link leaves out the token ${token.describe()}; add --show-token to print the link with it)\n`);
    return accepted ? EXIT.ok : EXIT.problems;
  }
  // A page no gateway serves cannot connect: say so rather than open it.
  const r = view.reachable ? await openInBrowser(url) : { ok: false, message: `no gateway answers at ${facts.target.url}` };
  if (r.ok) io.stdout.write(`Handed ${shown}${token ? ' (with the token)' : ''} to your browser\n`);
  else {
    const { browserHere, sshForwardCommand } = await import('./actions/browser-here.js');
    const ssh = browserHere(io.env).ssh ? `\nFrom your own computer, forward the port first:\n  ${sshForwardCommand(facts.target.port, io.env)}` : '';
    io.stdout.write(`Nothing opened: ${r.message}.${ssh}\nGet the link with the token: openclaw-token-wizard open --print --show-token\n`);
  }
  return r.ok && accepted ? EXIT.ok : EXIT.problems;
}

/**
 * `graph FLOW`: one Mermaid document (for mmdc or a .mmd file). `graph`: every flow as a Markdown
 * section with a fenced mermaid block, since several diagrams in one file parse only that way.
 */
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
  if (wanted) {
    io.stdout.write(`%% flow: ${wanted}\n${toMermaid(machines[wanted as keyof typeof machines] as never)}\n`);
    return EXIT.ok;
  }
  const sections = Object.entries(machines).map(([name, m]) => `## ${name}\n\n\`\`\`mermaid\n%% flow: ${name}\n${toMermaid(m as never)}\`\`\`\n`);
  io.stdout.write(sections.join('\n'));
  return EXIT.ok;
}

/**
 * `demo [SCENARIO]`: the recovery flow against a fake gateway in a temp sandbox (its own HOME,
 * config, log, port, and an `openclaw` stand-in first on PATH). The sandbox and every process in
 * it go away at the end, also after Ctrl-C or an error.
 */
async function runDemo(values: CliValues, positionals: string[], io: Io): Promise<number> {
  const { DEFAULT_SCENARIO, isScenarioName, scenarioList, startScenario } = await import('./demo/scenarios.js');
  if (values.list) {
    io.stdout.write(`Demo scenarios (openclaw-token-wizard demo SCENARIO):\n${scenarioList()}`);
    return EXIT.ok;
  }
  const name = positionals[0] ?? DEFAULT_SCENARIO;
  if (!isScenarioName(name)) {
    io.stderr.write(`Demo scenarios:\n${scenarioList()}`);
    throw new UsageError(`unknown demo scenario "${name}"`);
  }
  if (positionals.length > 1) throw new UsageError(`demo takes one scenario, got: ${positionals.join(' ')}`);

  // Ctrl-C while the sandbox is being built must still clean up; during the flow, runFlow turns
  // Ctrl-C into a cancel and we clean up after it returns.
  let interrupted = false;
  const onSigint = () => {
    interrupted = true;
  };
  process.on('SIGINT', onSigint);
  let sandbox: Awaited<ReturnType<typeof startScenario>> | null = null;
  const onExit = () => sandbox?.stopSync();
  process.on('exit', onExit);
  try {
    sandbox = await startScenario(name);
    if (interrupted) return EXIT.cancelled;
    // Under --json stdout carries only the run's document.
    const screen = values.json ? io.stderr : io.stdout;
    const fit = (text: string) => (screen.isTTY ? fitToWidth(text, (screen as { columns?: number }).columns) : text);
    screen.write(
      fit(
        `Demo "${name}": sandbox ${sandbox.root} (HOME=${sandbox.home}, config ${sandbox.configPath}, gateway log ${sandbox.logFile}), fake gateway port ${sandbox.port}. Nothing outside the sandbox is touched; it is removed at the end.\n`,
      ),
    );
    const run = flowRunner('recovery');
    return await run(values, [], { ...io, env: sandbox.env, cwd: sandbox.cwd });
  } finally {
    process.off('SIGINT', onSigint);
    await sandbox?.stop();
    process.off('exit', onExit);
  }
}

/** The commands that run flows or need the wider toolset; cli.ts imports this module only for them. */
export const FLOW_RUNNERS = {
  demo: runDemo,
  recover: flowRunner('recovery', { offerDemo: true }),
  fix: flowRunner('recovery'),
  setup: flowRunner('setup'),
  support: flowRunner('support'),
  rotate: flowRunner('rotate'),
  open: runOpen,
  graph: runGraph,
} satisfies Record<string, CommandRunner>;
