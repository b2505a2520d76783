/**
 * What the command line accepts, as one declarative table: the parser, the help texts, the
 * "does this option apply to this command" check and the shell completions are all read from it,
 * so they cannot disagree. Loaded on every start: nothing here may import more than node:util types.
 */
import type { ParseArgsConfig } from 'node:util';

export const BIN = 'openclaw-token-wizard';

export const OPTIONS = {
  json: { type: 'boolean' },
  timeout: { type: 'string' },
  config: { type: 'string' },
  profile: { type: 'string' },
  dev: { type: 'boolean' },
  port: { type: 'string' },
  url: { type: 'string' },
  'compose-file': { type: 'string' },
  container: { type: 'string' },
  'log-file': { type: 'string' },
  'allow-insecure-ws': { type: 'boolean' },
  'token-stdin': { type: 'boolean' },
  'show-token': { type: 'boolean' },
  'no-color': { type: 'boolean' },
  yes: { type: 'boolean', short: 'y' },
  'dry-run': { type: 'boolean' },
  report: { type: 'string' },
  force: { type: 'boolean' },
  from: { type: 'string' },
  resume: { type: 'boolean' },
  wait: { type: 'string' },
  print: { type: 'boolean' },
  list: { type: 'boolean' },
  debug: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  // -V is accepted too (parseCli maps it to -v): both spellings are common.
  version: { type: 'boolean', short: 'v' },
} as const satisfies ParseArgsConfig['options'];

export type OptionName = keyof typeof OPTIONS;

export type CliValues = {
  [K in OptionName]?: (typeof OPTIONS)[K]['type'] extends 'boolean' ? boolean : string;
};

/** How each option reads in help: its value's name and one line. */
export const OPTION_HELP: Record<OptionName, { value?: string; text: string }> = {
  json: { text: 'one JSON document on stdout: the diagnosis, the run (the flows: each step, change and the exit code; people read stderr) or the link (open); schemas in the README' },
  timeout: { value: 'MS', text: 'per-check timeout in milliseconds (default 2000)' },
  config: { value: 'PATH', text: 'the OpenClaw config file (like OPENCLAW_CONFIG_PATH)' },
  profile: { value: 'NAME', text: 'an OpenClaw profile (~/.openclaw-NAME)' },
  dev: { text: 'the dev profile (~/.openclaw-dev, port 19001)' },
  port: { value: 'N', text: 'gateway port (beats OPENCLAW_GATEWAY_PORT and gateway.port)' },
  url: { value: 'URL', text: 'probe this gateway URL instead of the configured one' },
  'compose-file': { value: 'PATH', text: 'docker compose file to inspect (default: compose files in the cwd)' },
  container: { value: 'NAME', text: 'docker container to inspect' },
  'log-file': { value: 'PATH', text: 'gateway log file (default: logging.file or /tmp/openclaw/openclaw-DATE.log)' },
  'allow-insecure-ws': {
    text: 'send tokens over plain ws:// to a gateway that is not loopback (a LAN, Tailscale or .local address): anyone on the network path can read them; prefer wss:// or an SSH tunnel',
  },
  'token-stdin': { text: 'read a token you hold (e.g. from your browser) on stdin and check it' },
  'show-token': { text: 'show raw tokens instead of fingerprints (never in reports)' },
  'no-color': { text: 'plain output (also NO_COLOR=1, FORCE_COLOR=0, TERM=dumb, or not a terminal)' },
  yes: {
    text: 'answer yes to every confirmation except the explicit ones (stopping a process other than the gateway being fixed, recreating a compose project that does not run it, approving a device, allowing an origin, rotating), which default to No',
  },
  'dry-run': { text: 'print the plan (the commands, in order) and change nothing' },
  report: { value: 'FILE', text: 'where to write the redacted Markdown report (and the diagnosis JSON beside it)' },
  force: { text: 'support: let the report (and the diagnosis JSON beside it) replace existing files' },
  from: {
    value: 'FILE',
    text: 'render a saved diagnosis (diagnose --json, or the .diagnosis.json of a support report): diagnose shows it, fix --dry-run its fix plan; reads nothing else',
  },
  resume: { text: 'continue a flow that stopped to wait for you (e.g. a manual restart)' },
  wait: { value: 'SECONDS', text: 'how long to watch the gateway log for the Control UI to connect after it got the link (default 90; 0: do not wait; Enter ends the wait early)' },
  print: { text: 'print the Control UI link instead of opening a browser' },
  list: { text: 'list (demo: the scenarios; undo: the run journals, pending or undone)' },
  debug: { text: 'write a redacted debug log (each check and its timing) to a file and say where (also OTW_DEBUG=1)' },
  help: { text: 'this help (COMMAND --help: the help of one command)' },
  version: { text: 'print the version (-v or -V)' },
};

/** Everything that reads the OpenClaw install: where it is, which gateway, what to show. */
const READS = ['config', 'profile', 'dev', 'port', 'url', 'allow-insecure-ws', 'compose-file', 'container', 'log-file', 'timeout', 'token-stdin', 'show-token', 'debug'] as const;
const CHANGES = ['yes', 'dry-run', 'resume', 'wait'] as const;
/** Accepted by every command. */
export const GLOBAL_OPTIONS = ['help', 'version', 'no-color'] as const satisfies readonly OptionName[];

export const FLOW_NAMES = ['recovery', 'setup', 'rotate', 'support'] as const;
export const SHELLS = ['bash', 'zsh', 'fish'] as const;

const FLOW_EXIT = [
  '0  connected / ready: the gateway accepts the token and no client reports a failure',
  '1  error findings remain, or the flow stopped to wait for you (run again with --resume)',
  '2  could not run: bad arguments, internal error',
  '3  the gateway is ready, but the Control UI has not been seen connecting since the last change',
  '130  cancelled (Esc / Ctrl-C); what was already changed is listed',
];

export interface CommandSpec {
  usage: string;
  summary: string;
  description: string;
  options: readonly OptionName[];
  /** Positional arguments: at most this many. */
  maxArgs: number;
  /** The allowed values of the positional argument, for completion and "did you mean". */
  argValues?: readonly string[];
  examples: string[];
  exit: string[];
}

export const COMMANDS = ['recover', 'diagnose', 'explain', 'fix', 'setup', 'support', 'rotate', 'undo', 'open', 'graph', 'demo', 'completion', 'help'] as const;
export type Command = (typeof COMMANDS)[number];

export const SPECS: Record<Command, CommandSpec> = {
  recover: {
    usage: `${BIN} [recover] [options]`,
    summary: 'Self-serve recovery: diagnose, fix step by step, verify, repeat',
    description:
      'Diagnoses, then fixes the first thing that is wrong after your OK (each change shown first and backed up), probes the gateway again, and repeats until the gateway accepts the token and no client reports a failure. Without a terminal it never asks: it behaves like diagnose unless --yes or --dry-run is given.',
    options: [...READS, ...CHANGES],
    maxArgs: 0,
    examples: [BIN, `${BIN} --dry-run`, `${BIN} --profile work --yes`],
    exit: FLOW_EXIT,
  },
  diagnose: {
    usage: `${BIN} diagnose [options]`,
    summary: "Read-only report: every token source, the live gateway's answer, findings",
    description:
      'Reads every place a gateway token lives, asks the live gateway which one it accepts, reads what clients saw from the gateway log, and prints the findings with the exact commands that fix them. Changes nothing.',
    options: [...READS, 'json', 'from'],
    maxArgs: 0,
    examples: [`${BIN} diagnose`, `${BIN} diagnose --json | jq .findings`, `pbpaste | ${BIN} diagnose --token-stdin`, `${BIN} diagnose --from ticket-1234.diagnosis.json`],
    exit: ['0  no error findings', '1  error findings', '2  could not run: bad arguments, internal error'],
  },
  explain: {
    usage: `${BIN} explain "MESSAGE"`,
    summary: 'What an OpenClaw auth message means: finding, cause, fix (offline)',
    description:
      'Takes an OpenClaw auth message as you pasted it (the Control UI card, a CLI error, a gateway log line; or on stdin) and answers without reading anything or connecting anywhere: the finding, its cause, the fix, and what diagnose checks to confirm it. Nothing from the message is printed back.',
    options: ['json'],
    maxArgs: Number.MAX_SAFE_INTEGER,
    examples: [`${BIN} explain "disconnected (1008): unauthorized: gateway token missing"`, `pbpaste | ${BIN} explain`, `${BIN} explain --json "origin not allowed"`],
    exit: ['0  recognised', '1  not a message the wizard knows', '2  could not run: no message, bad arguments'],
  },
  fix: {
    usage: `${BIN} fix [options]`,
    summary: 'Apply the fixes (--yes: without prompts; --dry-run: the plan only)',
    description:
      'The recovery flow for scripts: with --yes it applies every automatic fix without asking, with --dry-run it prints the plan (the commands, in order) and changes nothing. --json prints the run as one document on stdout (the person-readable output goes to stderr); without a terminal it needs --yes or --dry-run.',
    options: [...READS, ...CHANGES, 'json', 'from'],
    maxArgs: 0,
    examples: [`${BIN} fix --dry-run`, `${BIN} fix --yes --json | jq .outcome`, `${BIN} fix --dry-run --from ticket-1234.diagnosis.json`],
    exit: FLOW_EXIT,
  },
  setup: {
    usage: `${BIN} setup [options]`,
    summary: 'First-time walkthrough: mode, token, gateway, Control UI',
    description: 'OpenClaw present, gateway.mode=local, a saved token, the gateway running with it, the Control UI opened with the token and seen connecting in the gateway log.',
    options: [...READS, ...CHANGES, 'json'],
    maxArgs: 0,
    examples: [`${BIN} setup`, `${BIN} setup --port 18789`, `${BIN} setup --dry-run`],
    exit: FLOW_EXIT,
  },
  support: {
    usage: `${BIN} support [options]`,
    summary: 'Support session script: numbered steps and a redacted report',
    description:
      'For a supporter on a call: numbered steps with a line to read out at each one, every answer recorded, and a redacted Markdown report at the end, safe to paste into a public ticket. Needs a terminal unless --yes or --dry-run is given.',
    options: [...READS, ...CHANGES, 'report', 'force', 'json'],
    maxArgs: 0,
    examples: [`${BIN} support`, `${BIN} support --report ticket-1234.md`, `${BIN} support --dry-run`],
    exit: FLOW_EXIT.map((l) => (l.startsWith('1 ') ? `${l}; or the report could not be written (printed on stdout instead)` : l)),
  },
  rotate: {
    usage: `${BIN} rotate [options]`,
    summary: 'Replace the token, make the gateway enforce it, propagate it to every client',
    description:
      'Asks for an explicit confirmation (a new token locks out every client until it gets it), saves the new token, makes the gateway enforce it, then walks every place that still holds the old one.',
    options: [...READS, ...CHANGES, 'json'],
    maxArgs: 0,
    examples: [`${BIN} rotate`, `${BIN} rotate --dry-run`, `${BIN} rotate --profile work`],
    exit: FLOW_EXIT,
  },
  undo: {
    usage: `${BIN} undo [options]`,
    summary: 'Put back what the last run changed, from its journal and backups',
    description:
      'Reads the journal of the last run that changed something (<state dir>/otw-journal/), shows a diff of each file it will restore (tokens as fingerprints), asks (default No), restores each file byte-exactly from its 0600 backup (through symlinks, keeping the mode), lists the actions a file cannot undo (a restart, a started gateway) with the command that reverses them, and checks the gateway again. --yes restores without asking, except a file edited after the wizard wrote it: that needs an explicit yes in a terminal. Run it again to undo the run before.',
    options: ['config', 'profile', 'dev', 'port', 'url', 'timeout', 'log-file', 'yes', 'dry-run', 'list', 'debug'],
    maxArgs: 0,
    examples: [`${BIN} undo`, `${BIN} undo --dry-run`, `${BIN} undo --list`],
    exit: [
      '0  restored (or nothing to undo); the verdict of the new check is printed',
      '1  declined, not a terminal without --yes, or a file could not be restored',
      '2  could not run: bad arguments, internal error',
      '130  cancelled (Esc / Ctrl-C): nothing was restored',
    ],
  },
  open: {
    usage: `${BIN} open [options]`,
    summary: 'Open the Control UI with the token the gateway accepts',
    description:
      'Opens the Control UI in your browser with the token in the link. --print prints the link instead, --json prints {url, tokenIncluded, tokenFingerprint, accepted}; the token in the link is a fingerprint unless --show-token.',
    options: [...READS, 'print', 'json'],
    maxArgs: 0,
    examples: [`${BIN} open`, `${BIN} open --print`, `${BIN} open --print --show-token`],
    exit: ['0  opened (or printed) and the gateway accepts the token', '1  the gateway did not accept the token, or no browser could be opened', '2  could not run: bad arguments, internal error'],
  },
  graph: {
    usage: `${BIN} graph [FLOW]`,
    summary: 'Print the flows as Mermaid state diagrams',
    description: `Generated from the flow machines themselves. With a FLOW (${FLOW_NAMES.join(', ')}) prints that one Mermaid document, ready for mmdc; without one prints every flow as a Markdown section with a fenced mermaid block.`,
    options: [],
    maxArgs: 1,
    argValues: FLOW_NAMES,
    examples: [`${BIN} graph recovery > recovery.mmd`, `${BIN} graph > flows.md`, `${BIN} graph rotate | mmdc -i - -o rotate.svg`],
    exit: ['0  printed', '2  unknown flow'],
  },
  demo: {
    usage: `${BIN} demo [SCENARIO] [options]`,
    summary: 'Run the wizard against a built-in fake gateway in a temp sandbox',
    description:
      'Builds a sandbox (its own HOME, config, log, port and an openclaw stand-in), runs the recovery flow in it, and removes it at the end. Nothing outside the sandbox is read or changed.',
    options: ['list', 'yes', 'dry-run', 'wait', 'timeout', 'show-token', 'debug', 'json'],
    maxArgs: 1,
    argValues: ['token-missing', 'token-mismatch', 'restart-pending', 'env-override', 'docker', 'not-running', 'healthy'],
    examples: [`${BIN} demo`, `${BIN} demo --list`, `${BIN} demo healthy --yes`],
    exit: FLOW_EXIT,
  },
  completion: {
    usage: `${BIN} completion SHELL`,
    summary: 'Print a shell completion script (bash, zsh, fish)',
    description: "Prints a completion script for the commands, their options and arguments. Load it from your shell's startup file (see the examples).",
    options: [],
    maxArgs: 1,
    argValues: SHELLS,
    examples: [`echo 'source <(${BIN} completion bash)' >> ~/.bashrc`, `${BIN} completion zsh > "\${fpath[1]}/_${BIN}"`, `${BIN} completion fish > ~/.config/fish/completions/${BIN}.fish`],
    exit: ['0  printed', '2  unknown or missing shell'],
  },
  help: {
    usage: `${BIN} help [COMMAND]`,
    summary: 'This help, or the help of one command',
    description: "Prints the overview, or with a COMMAND that command's help (the same as COMMAND --help).",
    options: [],
    maxArgs: 1,
    argValues: COMMANDS.filter((c) => c !== 'help'),
    examples: [`${BIN} help`, `${BIN} help diagnose`, `${BIN} fix --help`],
    exit: ['0  printed', '2  unknown command'],
  },
};

export const ENVIRONMENT = [
  ['OPENCLAW_CONFIG_PATH, OPENCLAW_STATE_DIR, OPENCLAW_GATEWAY_PORT', 'read as OpenClaw reads them'],
  ['NO_COLOR', 'non-empty: plain output'],
  ['FORCE_COLOR', '0: plain output; any other value: colour even when not a terminal'],
  ['TERM=dumb', 'plain output'],
  ['OTW_DEBUG', 'non-empty: as --debug (a redacted debug log in a file), and print the stack trace of an internal error'],
] as const;

export function isCommand(s: string): s is Command {
  return (COMMANDS as readonly string[]).includes(s);
}

/** The options a command accepts, global ones included. */
export function optionsOf(command: Command): Set<OptionName> {
  return new Set<OptionName>([...GLOBAL_OPTIONS, ...SPECS[command].options]);
}
