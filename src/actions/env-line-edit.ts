/**
 * Changing one assignment in a `.env` file: exactly that line, quoted so that dotenv (the parser
 * OpenClaw uses) reads the value back unchanged, after a backup, atomically, and then read back
 * from disk to check. A line that no longer assigns the variable (the file changed since the
 * diagnosis) is left alone.
 */
import { envValues, parseEnvLines } from '../facts/env-lines.js';
import { readBounded, SMALL_FILE_BYTES } from '../fs/read-bounded.js';
import { backupFile, writeFileAtomic } from './fs-safe.js';

/**
 * What dotenv reads from a text: env-lines.ts gives dotenv.parse's values (its tests compare the
 * two on generated input) in linear time; dotenv's own regex rescans a run of blank lines from
 * each of its lines (4.8 s for 50 000 of them), and the edit reads a file up to five times.
 */
const parse = (text: string): Record<string, string> => envValues(parseEnvLines(text));

export type EnvLineEdit = { ok: true; file: string; line: number; backup: string } | { ok: false; message: string };

export interface EnvLineOptions {
  stateDir?: string | null;
  /** Why a line is commented out, written after it. */
  note?: string;
  now?: Date;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Ways to write `value` on one line, plainest first. dotenv takes an unquoted value up to `#`,
 * trimmed; single quotes and backticks literally; double quotes with `\n` and `\r` expanded.
 * Which one reads back exactly is decided by dotenv's grammar (see chooseLine), not guessed here.
 * Bare only for plain words and single quotes next: docker compose reads the same `.env` and
 * expands `$` in unquoted and double-quoted values, never in single-quoted ones.
 */
function candidates(value: string): string[] {
  const bare = /^[A-Za-z0-9_\-+/=.:@%,~]*$/.test(value) ? [value] : [];
  const quoted: Array<[string, string]> = [
    ["'", `'${value}'`],
    ['"', `"${value.replace(/\r/g, '\\r').replace(/\n/g, '\\n')}"`],
    ['`', `\`${value}\``],
  ];
  // Quotes the value does not contain first: dotenv reads some others back too, other readers may not.
  return [...bare, ...quoted.filter(([q]) => !value.includes(q)).map(([, v]) => v), ...quoted.filter(([q]) => value.includes(q)).map(([, v]) => v)];
}

/** The assignment that makes dotenv read `value` for `name`, in the context of the whole file. */
function chooseLine(lines: string[], index: number, prefix: string, name: string, value: string): string | null {
  const others = parse([...lines.slice(0, index), ...lines.slice(index + 1)].join('\n'));
  for (const quoted of candidates(value)) {
    if (/[\r\n]/.test(quoted)) continue; // one line stays one line
    const line = `${prefix}${quoted}`;
    const next = [...lines];
    next[index] = line;
    const back = parse(next.join('\n'));
    const { [name]: got, ...rest } = back;
    const { [name]: _before, ...restBefore } = others;
    if (got === value && JSON.stringify(rest) === JSON.stringify(restBefore)) return line;
  }
  return null;
}

/**
 * Set (or, with `value` null, comment out) the assignment of `name` on 1-based `line` of `file`.
 * Refuses when the line does not assign `name` any more, when its value spans several lines, or
 * when no quoting reads back exactly; in each case nothing is written.
 */
export async function setEnvLine(file: string, line: number, name: string, value: string | null, opts: EnvLineOptions = {}): Promise<EnvLineEdit> {
  const read = await readBounded(file, { maxBytes: SMALL_FILE_BYTES });
  if (!read.ok) return { ok: false, message: `cannot read ${file}: ${read.message}` };
  const eol = read.text.includes('\r\n') ? '\r\n' : '\n';
  const lines = read.text.split(eol);
  // A line past the end reads as empty: it assigns nothing, so it is refused like a changed line.
  const current = lines[line - 1] ?? '';
  const head = new RegExp(`^(\\s*(?:export\\s+)?${escapeRegExp(name)})(\\s*=\\s*|:\\s+)`).exec(current);
  if (!head) return { ok: false, message: `${file} line ${line} no longer sets ${name}: left unchanged` };
  const rest = current.slice(head[0].length);
  if (/^['"`]/.test(rest) && !rest.slice(1).includes(rest[0]!)) return { ok: false, message: `${file} line ${line}: the value of ${name} spans several lines: left unchanged` };

  if (parse(lines.slice(line).join('\n'))[name] !== undefined) return { ok: false, message: `${file} sets ${name} again after line ${line} (that later line wins): left unchanged` };

  let replacement: string | null;
  if (value === null) {
    const date = (opts.now ?? new Date()).toISOString().slice(0, 10);
    replacement = `# ${current.trim()}   # disabled by openclaw-token-wizard ${date}${opts.note ? `: ${opts.note.replace(/[\r\n]+/g, ' ')}` : ''}`;
  } else {
    replacement = chooseLine(lines, line - 1, `${head[1]}=`, name, value);
    if (replacement === null) return { ok: false, message: `${name} cannot be written to ${file} so that it reads back exactly (it holds every kind of quote): left unchanged` };
  }
  const next = [...lines];
  next[line - 1] = replacement;
  const backup = await backupFile(file, { stateDir: opts.stateDir ?? null, now: opts.now });
  const written = await writeFileAtomic(file, next.join(eol));
  return readBack(file, written, line, name, value, backup, lines);
}

/** What dotenv now reads from disk: the value set, or (commented out) no longer this line's. */
async function readBack(file: string, written: string, line: number, name: string, value: string | null, backup: string, before: string[]): Promise<EnvLineEdit> {
  const again = await readBounded(written, { maxBytes: SMALL_FILE_BYTES });
  if (!again.ok) return { ok: false, message: `${file} was written but cannot be read back (${again.message}); backup ${backup}` };
  const got = parse(again.text)[name];
  if (value !== null && got !== value) return { ok: false, message: `${file} was written but ${name} reads back differently; the previous file is at ${backup}` };
  if (value === null) {
    const others = parse(before.filter((_l, i) => i !== line - 1).join('\n'))[name];
    if (got !== others) return { ok: false, message: `${file} was written but ${name} still reads from line ${line}; the previous file is at ${backup}` };
  }
  return { ok: true, file: written, line, backup };
}
