/** `completion bash|zsh|fish`: completion scripts generated from the command table. */
import { EXIT, UsageError, type Io } from './core.js';
import { BIN, COMMANDS, OPTION_HELP, SHELLS, SPECS, optionsOf, type CliValues, type OptionName } from './spec.js';
import { didYouMean } from './suggest.js';

const FILE_OPTIONS = new Set<OptionName>(['config', 'compose-file', 'log-file', 'report']);
const SHORT: Partial<Record<OptionName, string>> = { yes: 'y', help: 'h', version: 'v' };
const sq = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const takesValue = (o: OptionName) => !!OPTION_HELP[o].value;
/** The recover options are also what the bare program takes. */
const topOptions = () => [...optionsOf('recover')];

function bash(): string {
  const valueOptions = (Object.keys(OPTION_HELP) as OptionName[]).filter(takesValue);
  const cases = COMMANDS.map((c) => {
    const opts = [...optionsOf(c)].flatMap((o) => [`--${o}`, ...(SHORT[o] ? [`-${SHORT[o]}`] : [])]).join(' ');
    return `    ${c}) opts=${sq(opts)}; args=${sq((SPECS[c].argValues ?? []).join(' '))} ;;`;
  });
  return `# bash completion for ${BIN}. Load it with: source <(${BIN} completion bash)
_openclaw_token_wizard() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}" cmd="" skip="" i opts args
  for ((i = 1; i < COMP_CWORD; i++)); do
    if [[ -n $skip ]]; then skip=""; continue; fi
    case "\${COMP_WORDS[i]}" in
      ${valueOptions.map((o) => `--${o}`).join('|')}) skip=1 ;;
      -*) ;;
      *) cmd="\${COMP_WORDS[i]}"; break ;;
    esac
  done
  case "$prev" in
    ${[...FILE_OPTIONS].map((o) => `--${o}`).join('|')}) COMPREPLY=($(compgen -f -- "$cur")); return ;;
    ${valueOptions
      .filter((o) => !FILE_OPTIONS.has(o))
      .map((o) => `--${o}`)
      .join('|')}) COMPREPLY=(); return ;;
  esac
  case "$cmd" in
    "") opts=${sq(
      topOptions()
        .map((o) => `--${o}`)
        .join(' '),
    )}; args=${sq(COMMANDS.join(' '))} ;;
${cases.join('\n')}
    *) opts=""; args="" ;;
  esac
  if [[ "$cur" == -* ]]; then
    COMPREPLY=($(compgen -W "$opts" -- "$cur"))
  else
    COMPREPLY=($(compgen -W "$args" -- "$cur"))
  fi
}
complete -o default -F _openclaw_token_wizard ${BIN}
`;
}

/** zsh's option spec: --name[help] or --name=[help]:VALUE:action. */
function zshOption(o: OptionName): string {
  const h = OPTION_HELP[o];
  const help = h.text.replace(/[[\]]/g, '').replace(/:/g, ' -');
  const spec = h.value ? `--${o}=[${help}]:${h.value}:${FILE_OPTIONS.has(o) ? '_files' : ' '}` : `--${o}[${help}]`;
  const short = SHORT[o];
  return short ? `${sq(`(--${o} -${short})--${o}[${help}]`)} ${sq(`(--${o} -${short})-${short}[${help}]`)}` : sq(spec);
}

function zsh(): string {
  const described = COMMANDS.map((c) => sq(`${c}:${SPECS[c].summary.replace(/:/g, ' -')}`)).join(' ');
  const cases = COMMANDS.map((c) => {
    const values = SPECS[c].argValues;
    const arg = values ? ` ${sq(`1:${c === 'completion' ? 'shell' : 'argument'}:(${values.join(' ')})`)}` : '';
    return `    ${c}) _arguments -s ${[...optionsOf(c)].map(zshOption).join(' ')}${arg} ;;`;
  });
  return `#compdef ${BIN}
# zsh completion for ${BIN}. Save it as _${BIN} in a directory on $fpath, e.g.
#   ${BIN} completion zsh > "\${fpath[1]}/_${BIN}"
_openclaw_token_wizard() {
  local -a commands
  commands=(${described})
  local curcontext="$curcontext" state line
  _arguments -C ${topOptions().map(zshOption).join(' ')} '1: :->command' '*:: :->args'
  case $state in
    command) _describe -t commands command commands ;;
    args)
      case $words[1] in
${cases.map((l) => '    ' + l).join('\n')}
      esac ;;
  esac
}
compdef _openclaw_token_wizard ${BIN}
`;
}

function fish(): string {
  const c = `complete -c ${BIN}`;
  const lines = [`# fish completion for ${BIN}. Save it as ~/.config/fish/completions/${BIN}.fish`, `${c} -f`];
  for (const cmd of COMMANDS) lines.push(`${c} -n __fish_use_subcommand -a ${cmd} -d ${sq(SPECS[cmd].summary)}`);
  const option = (cond: string, o: OptionName) => {
    const h = OPTION_HELP[o];
    const short = SHORT[o] ? ` -s ${SHORT[o]}` : '';
    const value = h.value ? (FILE_OPTIONS.has(o) ? ' -r -F' : ' -r') : '';
    return `${c} -n ${sq(cond)} -l ${o}${short}${value} -d ${sq(h.text)}`;
  };
  for (const o of topOptions()) lines.push(option('__fish_use_subcommand', o));
  for (const cmd of COMMANDS) {
    const cond = `__fish_seen_subcommand_from ${cmd}`;
    for (const o of optionsOf(cmd)) lines.push(option(cond, o));
    const values = SPECS[cmd].argValues;
    if (values) lines.push(`${c} -n ${sq(cond)} -a ${sq(values.join(' '))}`);
  }
  return lines.join('\n') + '\n';
}

export async function runCompletion(_values: CliValues, positionals: string[], io: Io): Promise<number> {
  const shell = positionals[0];
  if (!shell) throw new UsageError(`completion needs a shell: ${SHELLS.join(', ')} (e.g. ${BIN} completion bash)`);
  const scripts: Record<(typeof SHELLS)[number], () => string> = { bash, zsh, fish };
  if (!(SHELLS as readonly string[]).includes(shell)) throw new UsageError(`unknown shell "${shell}"${didYouMean(shell, SHELLS)} (one of: ${SHELLS.join(', ')})`);
  io.stdout.write(scripts[shell as keyof typeof scripts]());
  return EXIT.ok;
}
