/**
 * Argument parsing and command dispatch. Exit codes: 0 no error findings, 1 error findings,
 * 2 the wizard could not run (bad arguments, internal error), 130 cancelled by the person.
 * Start-up cost matters (`--version`, `--help` must be as quick as node itself): this module loads
 * only the command table; each command's code is imported when that command runs.
 */
import { parseArgs } from 'node:util';
import { WIZARD_VERSION } from './version.js';
import { EXIT, UsageError, type CommandRunner, type Io } from './cli/core.js';
import { BIN, COMMANDS, OPTIONS, SPECS, isCommand, optionsOf, type CliValues, type Command, type OptionName } from './cli/spec.js';
import { didYouMean } from './cli/suggest.js';
import { wantColor, syncNodeColor } from './render/style.js';

export { EXIT, UsageError, type CommandRunner, type Io } from './cli/core.js';
export { COMMANDS, type CliValues, type Command } from './cli/spec.js';

/** A usage error that knows which command's help to point at. */
class CommandUsageError extends UsageError {
  constructor(
    message: string,
    readonly command?: Command,
  ) {
    super(message);
  }
}

const FLOW_COMMANDS = new Set<Command>(['recover', 'fix', 'setup', 'support', 'rotate', 'demo']);
const ARG_NOUN: Partial<Record<Command, string>> = { graph: 'flow', demo: 'demo scenario', completion: 'shell', help: 'command' };

function parseError(raw: string): string {
  // Node's messages span several lines; the usage error is one line.
  const ambiguous = /^Option '(--[\w-]+)[^']*' argument is ambiguous/.exec(raw);
  if (ambiguous) return `${ambiguous[1]} needs a value; write a value that starts with "-" as ${ambiguous[1]}=VALUE`;
  const unknown = /^Unknown option '(-{1,2}[^']*)'/.exec(raw);
  if (unknown) return `Unknown option '${unknown[1]}'${didYouMean(unknown[1]!.replace(/^-+/, ''), Object.keys(OPTIONS), (o) => `--${o}`)}`;
  return raw.replace(/\. To specify a positional[\s\S]*$/, '').replace(/\s*\n\s*/g, ' ');
}

/** An option given to a command it means nothing to is an error, not silently ignored. */
function checkOptionsApply(command: Command, values: CliValues): void {
  const allowed = optionsOf(command);
  for (const name of Object.keys(values) as OptionName[]) {
    if (allowed.has(name)) continue;
    if (name === 'json' && FLOW_COMMANDS.has(command))
      throw new CommandUsageError(
        `${command} has no --json output (it is the guided flow); for the run as JSON use \`${BIN} fix --json\` (with --yes or --dry-run), for the diagnosis \`${BIN} diagnose --json\``,
        command,
      );
    const owners = COMMANDS.filter((c) => SPECS[c].options.includes(name));
    throw new CommandUsageError(`--${name} does not apply to ${command}${owners.length ? ` (it is an option of ${owners.join(', ')})` : ''}`, command);
  }
}

function checkArguments(command: Command, args: string[]): void {
  const spec = SPECS[command];
  if (args.length > spec.maxArgs) throw new CommandUsageError(`${command} takes ${spec.maxArgs ? `at most ${spec.maxArgs} argument` : 'no arguments'}, got: ${args.join(' ')}`, command);
  const [arg] = args;
  if (arg !== undefined && spec.argValues && !spec.argValues.includes(arg))
    throw new CommandUsageError(`unknown ${ARG_NOUN[command] ?? 'argument'} "${arg}"${didYouMean(arg, spec.argValues)} (one of: ${spec.argValues.join(', ')})`, command);
}

export function parseCli(argv: string[]): { command: Command; positionals: string[]; values: CliValues } {
  let parsed;
  try {
    // -V is -v (parseArgs has one short name per option).
    parsed = parseArgs({ args: argv.map((a) => (a === '-V' ? '-v' : a)), options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    // The command is not parsed yet; the first word that names one is what the person meant.
    throw new CommandUsageError(parseError(err instanceof Error ? err.message : String(err)), argv.find(isCommand));
  }
  const values = parsed.values;
  const [first, ...rest] = parsed.positionals;
  let command: Command = 'recover';
  if (first !== undefined) {
    if (!isCommand(first)) throw new UsageError(`unknown command "${first}"${didYouMean(first, COMMANDS)}`);
    command = first;
  }
  if (!values.help && !values.version) {
    checkOptionsApply(command, values);
    checkArguments(command, rest);
  }
  return { command, positionals: rest, values };
}

/** Each command's code, imported only when it runs. */
const flow = (c: keyof typeof import('./commands.js').FLOW_RUNNERS) => async () => (await import('./commands.js')).FLOW_RUNNERS[c];
const LOADERS: Record<Exclude<Command, 'help'>, () => Promise<CommandRunner>> = {
  diagnose: async () => (await import('./cli/diagnose-command.js')).runDiagnose,
  explain: async () => (await import('./cli/explain-command.js')).runExplain,
  completion: async () => (await import('./cli/completion.js')).runCompletion,
  undo: async () => (await import('./cli/undo-command.js')).runUndo,
  recover: flow('recover'),
  fix: flow('fix'),
  setup: flow('setup'),
  support: flow('support'),
  rotate: flow('rotate'),
  open: flow('open'),
  graph: flow('graph'),
  demo: flow('demo'),
};

/** Tests and embedders may replace a command. */
export const runners: Partial<Record<Command, CommandRunner>> = {};

export async function main(argv: string[], io: Io): Promise<number> {
  let parsed;
  try {
    parsed = parseCli(argv);
  } catch (err) {
    return usageFailure(err, argv.includes('--json'), io);
  }
  const { command, positionals, values } = parsed;
  if (values.version) {
    io.stdout.write(`${WIZARD_VERSION}\n`);
    return EXIT.ok;
  }
  if (values.help || command === 'help') {
    const { globalHelp, commandHelp } = await import('./cli/help.js');
    const about = command === 'help' ? (positionals[0] as Command | undefined) : argv.some((a) => a === command) ? command : undefined;
    io.stdout.write(about ? commandHelp(about) : globalHelp(WIZARD_VERSION));
    return EXIT.ok;
  }
  // One decision about colour for everything this process prints, clack's prompts included.
  if (io.env === process.env) syncNodeColor(wantColor(io.stdout, io.env, !!values['no-color']), process.env);
  const log = values.debug || io.env.OTW_DEBUG?.trim() ? await openDebugLog(command, values, argv, io) : null;
  try {
    const runner = runners[command] ?? (await LOADERS[command]());
    const code = await runner(values, positionals, io);
    log?.line('exit', String(code));
    return code;
  } catch (err) {
    log?.line('error', err instanceof Error ? (err.stack ?? err.message) : String(err));
    return usageFailure(err, !!values.json, io, command);
  } finally {
    if (log) {
      io.stderr.write(`Debug log: ${log.path}\n`);
      (await import('./debug-log.js')).stopDebugLog();
    }
  }
}

/** The debug log goes to the state dir of the install being looked at; the demo's stays out of it. */
async function openDebugLog(command: Command, values: CliValues, argv: string[], io: Io) {
  const [{ startDebugLog }, { resolveOpenClawPaths }] = await Promise.all([import('./debug-log.js'), import('./facts/paths.js')]);
  let stateDir: string | null = null;
  try {
    if (command !== 'demo') stateDir = resolveOpenClawPaths({ env: io.env, configFlag: values.config, profile: values.profile, dev: values.dev }).stateDir;
  } catch {
    stateDir = null;
  }
  const log = startDebugLog(stateDir);
  log.line('start', `openclaw-token-wizard ${WIZARD_VERSION} (node ${process.version}, ${process.platform} ${process.arch}) ${command}; argv: ${argv.join(' ')}`);
  // Where the log is gets said once, when the run ends (main's finally), where a person looks.
  return log;
}

function usageFailure(err: unknown, json: boolean, io: Io, command?: Command): number {
  const usage = err instanceof UsageError;
  const message = err instanceof Error ? err.message : String(err);
  const about = err instanceof CommandUsageError ? err.command : command;
  // One line: what was wrong, then where to read how it is used.
  const command_ = about && about !== 'help' ? about : undefined;
  const hint = usage ? `${message.endsWith('?') ? '' : '.'} Run \`${BIN}${command_ ? ` ${command_}` : ''} --help\` for ${command_ ? 'its options' : 'the commands'}.` : '';
  if (json) io.stdout.write(JSON.stringify({ schema: 'openclaw-token-wizard.error/v1', error: message + hint, usage }) + '\n');
  io.stderr.write(`${BIN}: ${usage ? '' : 'internal error: '}${message}${hint}\n`);
  if (!usage && process.env.OTW_DEBUG && err instanceof Error && err.stack) io.stderr.write(err.stack + '\n');
  else if (!usage) io.stderr.write(`(set OTW_DEBUG=1 for the stack trace)\n`);
  return EXIT.usage;
}
