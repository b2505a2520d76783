/**
 * Argument parsing and command dispatch. Exit codes: 0 no error findings, 1 error findings,
 * 2 the wizard could not run (bad arguments, internal error), 130 cancelled by the person.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { text as readStream } from 'node:stream/consumers';
import { diagnose } from './diagnosis/gather.js';
import type { DiagnoseOptions } from './diagnosis/types.js';
import { renderDiagnosis } from './render/human.js';
import { painter, wantColor } from './render/style.js';
import { Secret, redactText } from './secret.js';
import { WIZARD_VERSION } from './version.js';
import { secretValues } from './hygiene.js';


export const EXIT = { ok: 0, problems: 1, usage: 2, cancelled: 130 } as const;

export class UsageError extends Error {}

const OPTIONS = {
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
  'token-stdin': { type: 'boolean' },
  'show-token': { type: 'boolean' },
  'no-color': { type: 'boolean' },
  yes: { type: 'boolean', short: 'y' },
  'dry-run': { type: 'boolean' },
  report: { type: 'string' },
  resume: { type: 'boolean' },
  print: { type: 'boolean' },
  list: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const satisfies ParseArgsConfig['options'];

export type CliValues = {
  [K in keyof typeof OPTIONS]?: (typeof OPTIONS)[K]['type'] extends 'boolean' ? boolean : string;
};

export const COMMANDS = ['recover', 'diagnose', 'fix', 'setup', 'support', 'rotate', 'open', 'graph', 'demo', 'help'] as const;
export type Command = (typeof COMMANDS)[number];

export interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export const HELP = `openclaw-token-wizard ${WIZARD_VERSION}
From "disconnected (1008): unauthorized: gateway token missing" to a connected Control UI.

Usage: openclaw-token-wizard [command] [options]

Commands:
  (none), recover   Self-serve recovery: diagnose, fix step by step, verify, repeat
  diagnose          Read-only report: every token source, the live gateway's answer, findings
  fix               Apply the automatic fixes (with --yes: without prompts; --dry-run: plan only)
  setup             First-time walkthrough: mode, token, gateway, Control UI
  support           Support session script: numbered steps and a redacted report (--report FILE)
  rotate            Replace the token, make the gateway enforce it, propagate it to every client
  open              Open the Control UI with the token the gateway accepts (--print to print the URL)
  graph [FLOW]      Print the flows as Mermaid state diagrams
  demo [SCENARIO]   Run the wizard against a built-in fake gateway in a temp sandbox

Options:
  --json               diagnose: one JSON document on stdout (schema in README)
  --timeout MS         per-check timeout (default 2000)
  --config PATH        OpenClaw config file (like OPENCLAW_CONFIG_PATH)
  --profile NAME       OpenClaw profile (~/.openclaw-NAME); --dev for the dev profile
  --port N             gateway port (beats OPENCLAW_GATEWAY_PORT and gateway.port)
  --url URL            probe this gateway URL instead of the configured one
  --compose-file PATH  docker compose file to inspect (default: compose files in the cwd)
  --container NAME     docker container to inspect
  --log-file PATH      gateway log file (default: logging.file or /tmp/openclaw/openclaw-DATE.log)
  --token-stdin        read a token you hold (e.g. from your browser) on stdin and check it
  --show-token         show raw tokens instead of fingerprints (never in reports)
  --yes, -y            answer yes to every confirmation (apply fixes without prompts)
  --dry-run            print the plan (the commands, in order) and change nothing
  --report FILE        support: write the redacted Markdown report there
  --list               demo: list the scenarios
  --resume             continue a flow that was waiting (e.g. for a manual restart)
  --no-color           plain output (also NO_COLOR=1, or when not a terminal)
  --version, --help

Exit codes: 0 healthy / no error findings, 1 error findings remain, 2 could not run, 130 cancelled.
`;

export function parseCli(argv: string[]): { command: Command; positionals: string[]; values: CliValues } {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    const raw = err instanceof Error ? err.message : String(err);
    // Node's messages span several lines; the usage error is one line.
    const ambiguous = /^Option '(--[\w-]+)[^']*' argument is ambiguous/.exec(raw);
    throw new UsageError(
      ambiguous
        ? `${ambiguous[1]} needs a value; write a value that starts with "-" as ${ambiguous[1]}=VALUE`
        : raw.replace(/\. To specify a positional[\s\S]*$/, '').replace(/\s*\n\s*/g, ' '),
    );
  }
  const [first, ...rest] = parsed.positionals;
  let command: Command = 'recover';
  if (first !== undefined) {
    if (!(COMMANDS as readonly string[]).includes(first)) throw new UsageError(`unknown command "${first}" (try --help)`);
    command = first as Command;
  }
  return { command, positionals: rest, values: parsed.values as CliValues };
}

function intOption(name: string, raw: string | undefined, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw)) throw new UsageError(`--${name} takes a whole number, got "${raw}"`);
  const n = Number(raw);
  if (n < min || n > max) throw new UsageError(`--${name} must be between ${min} and ${max}, got ${n}`);
  return n;
}

export async function diagnoseOptionsFrom(values: CliValues, io: Io): Promise<DiagnoseOptions> {
  if (values.dev && values.profile) throw new UsageError('--dev and --profile cannot be combined');
  if (values.url) {
    try {
      const u = new URL(values.url);
      if (!['ws:', 'wss:', 'http:', 'https:'].includes(u.protocol)) throw new Error('scheme');
    } catch {
      throw new UsageError(`--url must be a ws://, wss://, http:// or https:// URL, got "${values.url}"`);
    }
  }
  let userToken: Secret | undefined;
  if (values['token-stdin']) {
    if (io.stdin.isTTY) throw new UsageError('--token-stdin reads the token from a pipe, e.g. `pbpaste | openclaw-token-wizard diagnose --token-stdin`');
    const raw = await readStream(io.stdin);
    userToken = new Secret(raw.replace(/\r?\n$/, ''));
  }
  return {
    env: io.env,
    cwd: io.cwd,
    timeoutMs: intOption('timeout', values.timeout, 50, 120_000) ?? 2000,
    configFlag: values.config,
    profile: values.profile,
    dev: values.dev,
    port: intOption('port', values.port, 1, 65535),
    url: values.url,
    composeFile: values['compose-file'],
    container: values.container,
    logFile: values['log-file'],
    userToken,
  };
}

async function runDiagnose(values: CliValues, io: Io): Promise<number> {
  const opts = await diagnoseOptionsFrom(values, io);
  const { report, facts } = await diagnose(opts);
  const secrets = secretValues(facts.sources);
  if (facts.userToken) secrets.push(facts.userToken);
  if (values.json) {
    // Belt and braces: the report holds only fingerprints, and this proves no raw value slipped in.
    io.stdout.write(redactText(JSON.stringify(report, null, 2), secrets) + '\n');
  } else {
    const paint = painter(wantColor(io.stdout, io.env, !!values['no-color']));
    let text = renderDiagnosis(report, paint);
    if (values['show-token']) text += showTokens(facts.sources);
    else text = redactText(text, secrets);
    io.stdout.write(text);
  }
  return report.findings.some((f) => f.severity === 'error') ? EXIT.problems : EXIT.ok;
}

function showTokens(sources: { label: string; value: Secret | null }[]): string {
  const lines = sources.filter((s) => s.value).map((s) => `  ${s.value!.fingerprint}  ${JSON.stringify(s.value!.reveal())}  ${s.label}`);
  return lines.length ? `\nRaw tokens (--show-token):\n${lines.join('\n')}\n` : '';
}

export type CommandRunner = (values: CliValues, positionals: string[], io: Io) => Promise<number>;

/** Flow commands register here (src/commands.ts) so this module stays free of clack and xstate. */
export const runners: Partial<Record<Command, CommandRunner>> = {
  diagnose: (values, _p, io) => runDiagnose(values, io),
};

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
    io.stdout.write(HELP);
    return EXIT.ok;
  }
  const runner = runners[command];
  if (!runner) return usageFailure(new UsageError(`"${command}" is not available in this build`), !!values.json, io);
  try {
    return await runner(values, positionals, io);
  } catch (err) {
    return usageFailure(err, !!values.json, io);
  }
}

function usageFailure(err: unknown, json: boolean, io: Io): number {
  const usage = err instanceof UsageError;
  const message = err instanceof Error ? err.message : String(err);
  if (json) io.stdout.write(JSON.stringify({ schema: 'openclaw-token-wizard.error/v1', error: message, usage }) + '\n');
  io.stderr.write(`openclaw-token-wizard: ${usage ? '' : 'internal error: '}${message}\n`);
  if (!usage && process.env.OTW_DEBUG && err instanceof Error && err.stack) io.stderr.write(err.stack + '\n');
  return EXIT.usage;
}
