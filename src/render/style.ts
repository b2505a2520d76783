import { styleText } from 'node:util';

type Style = Parameters<typeof styleText>[0];

/**
 * The one decision about colour, for every command: off with --no-color, a non-empty NO_COLOR
 * (an empty one does not count) or NODE_DISABLE_COLORS; FORCE_COLOR=0/false turns it off and any
 * other FORCE_COLOR value on; then off for TERM=dumb; else on only when the stream is a terminal.
 */
export function wantColor(stream: NodeJS.WriteStream | { isTTY?: boolean }, env: NodeJS.ProcessEnv, noColorFlag: boolean): boolean {
  if (noColorFlag || env.NO_COLOR || env.NODE_DISABLE_COLORS) return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  if (env.TERM === 'dumb') return false;
  return !!stream.isTTY;
}

/**
 * clack colours through node:util's styleText, which asks the environment itself (and counts an
 * empty NO_COLOR as set). Align the environment with the decision so clack's prompts follow it:
 * FORCE_COLOR=0 wins over everything Node looks at; an empty NO_COLOR goes when colour is on.
 */
export function syncNodeColor(color: boolean, env: NodeJS.ProcessEnv): void {
  if (!color) {
    env.FORCE_COLOR = '0';
    return;
  }
  if (env.NO_COLOR === '') delete env.NO_COLOR;
  if (env.NODE_DISABLE_COLORS === '') delete env.NODE_DISABLE_COLORS;
}

/** `1 problem`, `2 problems`: a count with its noun in the right number. */
export function plural(n: number, noun: string, nouns = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : nouns}`;
}

export interface Painter {
  (style: Style, text: string): string;
  color: boolean;
}

export function painter(color: boolean): Painter {
  const p = ((style: Style, text: string) => (color ? styleText(style, text, { validateStream: false }) : text)) as Painter;
  p.color = color;
  return p;
}

/** Clack's glyphs, so the report sits naturally next to the wizard's prompts. */
export const GLYPH = {
  bar: '│',
  start: '┌',
  end: '└',
  step: '◇',
  pass: '✔',
  warn: '▲',
  fail: '■',
  skip: '○',
  info: '●',
} as const;
