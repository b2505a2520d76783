/**
 * Fitting output to a terminal's width without breaking what people copy: prose breaks at
 * spaces under its `│` margin, a shell command breaks only between arguments with a ` \`
 * continuation (a comment goes on its own `#` lines), and a word wider than the terminal stays
 * whole (the terminal wraps it, and copying a soft-wrapped line gives it back in one piece).
 */
import { stripVTControlCharacters } from 'node:util';
import stringWidth from 'fast-string-width';
import { wrapAnsi } from 'fast-wrap-ansi';

/** A leading clack-style glyph (│ ┌ └ ◇ ■ ▲ ● ✔ ○ ◆ »), possibly coloured, and the spaces after it. */
const MARGIN = /^((?:\x1b\[[\d;]*m)*[│┌└◇■▲●✔○◆»](?:\x1b\[[\d;]*m)*)( +)/;
const SGR_AROUND = /^((?:\x1b\[[\d;]*m)*)([\s\S]*?)((?:\x1b\[[\d;]*m)*)$/;

/** Splits a shell command line at unquoted spaces; a `#` starting a word begins the comment. */
export function shellWords(command: string): { words: string[]; comment: string } {
  const words: string[] = [];
  let word = '';
  let quote: "'" | '"' | null = null;
  let depth = 0;
  for (let i = 0; i < command.length; i++) {
    const ch = command[i]!;
    if (quote === "'") {
      if (ch === "'") quote = null;
    } else if (ch === '\\') {
      word += ch + (command[i + 1] ?? '');
      i++;
      continue;
    } else if (quote === '"') {
      if (ch === '"') quote = null;
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '$' && command[i + 1] === '(') depth++;
    else if (ch === ')' && depth > 0) depth--;
    else if (ch === '#' && word === '' && depth === 0) return { words, comment: command.slice(i) };
    else if (ch === ' ' && depth === 0) {
      if (word) words.push(word);
      word = '';
      continue;
    }
    word += ch;
  }
  if (word) words.push(word);
  return { words, comment: '' };
}

/**
 * `$ command` as lines of at most `width` columns where possible: breaks between arguments with
 * ` \` and indents the continuation, so the lines pasted together run the same command.
 */
export function breakCommand(command: string, width: number, prompt = '$ '): string[] {
  if (stringWidth(prompt + command) <= width) return [prompt + command];
  const { words, comment } = shellWords(command);
  const indent = ' '.repeat(prompt.length + 2);
  const lines: string[] = [];
  let line = prompt;
  for (const w of words) {
    const first = line === prompt || line === indent;
    if (!first && stringWidth(`${line} ${w} \\`) > width) {
      lines.push(`${line} \\`);
      line = indent + w;
    } else line = first ? line + w : `${line} ${w}`;
  }
  lines.push(line);
  // A continuation inside a comment would end the comment and run its next line: comments go on # lines.
  if (comment) {
    const text = comment.replace(/^#\s*/, '');
    const room = Math.max(20, width - indent.length - 2);
    lines.push(
      ...wrapAnsi(text, room, { hard: false, trim: true })
        .split('\n')
        .map((l) => `${indent}# ${l}`),
    );
  }
  return lines;
}

function fitLine(line: string, width: number): string {
  if (stringWidth(line) <= width) return line;
  const m = MARGIN.exec(line);
  const margin = m ? m[0] : '';
  const marginWidth = stringWidth(margin);
  const rest = line.slice(margin.length);
  // Continuation rows keep the margin's colour with a │ in place of the glyph (none after the
  // closing └), and sit two columns in under a bulleted row (a check, a piece of evidence).
  const bullet = /^[✔○▲■●·•] /.test(stripVTControlCharacters(rest)) ? '  ' : '';
  const cont = m ? m[1]!.replace(/└/, ' ').replace(/[┌◇■▲●✔○◆»]/, '│') + m[2] + bullet : '';
  const room = width - marginWidth;
  if (room < 10) return line;
  const [, open = '', body = '', close = ''] = SGR_AROUND.exec(rest) ?? [];
  const plain = stripVTControlCharacters(body);
  if (plain.startsWith('$ ') && plain === body) {
    return breakCommand(plain.slice(2), room)
      .map((l, i) => (i ? cont : margin) + open + l + close)
      .join('\n');
  }
  // Wrapped at the continuation rows' room, which the bullet indent makes the narrower.
  const rowRoom = room - bullet.length;
  return wrapAnsi(rest, rowRoom, { hard: false, trim: true })
    .split('\n')
    .flatMap((row) => splitOverlong(row, rowRoom))
    .map((l, i) => (i ? cont : margin) + l)
    .join('\n');
}

/** wrap-ansi keeps the words after a too-long word on its row: give them a row of their own. */
function splitOverlong(row: string, room: number): string[] {
  if (stringWidth(row) <= room) return [row];
  const rows: string[] = [];
  let current = '';
  for (const word of row.split(' ')) {
    if (current && stringWidth(`${current} ${word}`) > room) {
      rows.push(current);
      current = word;
    } else current = current ? `${current} ${word}` : word;
  }
  rows.push(current);
  return rows;
}

/** Every line of `text` fitted to `width` columns (unchanged when the width is unknown or tiny). */
export function fitToWidth(text: string, width: number | undefined): string {
  if (!width || width < 30) return text;
  return text
    .split('\n')
    .map((l) => fitLine(l, width))
    .join('\n');
}

/** A command line inside a block: `$ cmd` or a numbered plan step `1. cmd`, after any indent. */
const BLOCK_COMMAND = /^(\s*(?:\$|\d+\.) )(.*)$/;

/**
 * The lines of a box body fitted to `width`: commands broken between arguments, other lines at
 * spaces with their indent kept. A line may still be wider (one long word): the caller checks.
 */
export function fitBlock(body: string, width: number): string[] {
  return body.split('\n').flatMap((line) => {
    if (stringWidth(line) <= width) return [line];
    const cmd = BLOCK_COMMAND.exec(stripVTControlCharacters(line));
    if (cmd && stripVTControlCharacters(line) === line) return breakCommand(cmd[2]!, width, cmd[1]);
    const indent = /^\s*(?:[•■▲·] )?/.exec(line)![0].replace(/\S/g, ' ');
    return wrapAnsi(line, width, { hard: false, trim: false })
      .split('\n')
      .map((l, i) => (i ? indent + l.trimStart() : l.trimEnd()));
  });
}

export function widthOf(line: string): number {
  return stringWidth(line);
}
