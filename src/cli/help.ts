/** The help texts, rendered from the command table (src/cli/spec.ts). */
import { BIN, COMMANDS, ENVIRONMENT, OPTION_HELP, SPECS, type Command, type OptionName } from './spec.js';

/** Word wrap for plain help text (no escape sequences): never breaks a word. */
function wrap(text: string, width: number, indent: string): string {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width - indent.length) {
      out.push(indent + line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(indent + line);
  return out.join('\n');
}

function optionRows(names: readonly OptionName[]): string[] {
  const rows = names.map((n) => {
    const h = OPTION_HELP[n];
    const short = n === 'yes' ? ', -y' : n === 'help' ? ', -h' : n === 'version' ? ', -v' : '';
    return [`--${n}${h.value ? ` ${h.value}` : ''}${short}`, h.text] as const;
  });
  const w = Math.max(...rows.map(([l]) => l.length));
  return rows.map(([l, t]) => `  ${l.padEnd(w)}  ${t}`);
}

function table(rows: readonly (readonly [string, string])[]): string[] {
  const w = Math.max(...rows.map(([l]) => l.length));
  return rows.map(([l, t]) => `  ${l.padEnd(w)}  ${t}`);
}

export function globalHelp(version: string): string {
  const commands = table(
    COMMANDS.map((c) => {
      const arg = SPECS[c].usage.match(/ (\[?[A-Z]+\]?)(?: |$)/)?.[1];
      return [c === 'recover' ? '(none), recover' : `${c}${arg ? ` ${arg}` : ''}`, SPECS[c].summary] as const;
    }),
  );
  const allOptions = (Object.keys(OPTION_HELP) as OptionName[]).filter((o) => o !== 'help' && o !== 'version');
  return `${BIN} ${version}
From "disconnected (1008): unauthorized: gateway token missing" to a connected Control UI.

Usage: ${BIN} [command] [options]

Commands:
${commands.join('\n')}

Options (each command takes only some of them: see COMMAND --help):
${optionRows([...allOptions, 'help', 'version']).join('\n')}

Environment:
${table(ENVIRONMENT).join('\n')}

Exit codes: 0 healthy / no error findings, 1 error findings remain, 2 could not run, 130 cancelled.
Run \`${BIN} COMMAND --help\` for a command's options, examples and exit codes.
`;
}

export function commandHelp(command: Command): string {
  const s = SPECS[command];
  const options = [...s.options, 'no-color', 'help'] as OptionName[];
  return `${BIN} ${command}: ${s.summary}

Usage: ${s.usage}

${wrap(s.description, 80, '')}

Options:
${optionRows(options).join('\n')}

Examples:
${s.examples.map((e) => `  $ ${e}`).join('\n')}

Exit codes:
${s.exit.map((e) => `  ${e}`).join('\n')}
`;
}
