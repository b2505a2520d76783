import { styleText } from 'node:util';

type Style = Parameters<typeof styleText>[0];

/** Colour on only for a TTY without NO_COLOR / --no-color (FORCE_COLOR forces it, as clack does). */
export function wantColor(stream: NodeJS.WriteStream | { isTTY?: boolean }, env: NodeJS.ProcessEnv, noColorFlag: boolean): boolean {
  if (noColorFlag || env.NO_COLOR !== undefined) return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return !!stream.isTTY;
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
