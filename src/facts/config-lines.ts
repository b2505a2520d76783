/**
 * Line numbers of config keys (json5 does not report positions) and a cheap nesting-depth scan,
 * both single linear passes over the text.
 */
import { MAX_TRACKED_DEPTH } from './env-substitution.js';

type Tok = { t: 'punct'; v: string; line: number } | { t: 'key'; v: string; line: number };

function tokenize(text: string): Tok[] {
  const toks: Tok[] = [];
  let line = 1;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i] as string;
    if (c === '\n') {
      line += 1;
      i += 1;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < n && text[i] !== '\n') i += 1;
    } else if (c === '/' && text[i + 1] === '*') {
      i += 2;
      while (i < n && !(text[i] === '*' && text[i + 1] === '/')) {
        if (text[i] === '\n') line += 1;
        i += 1;
      }
      i += 2;
    } else if (c === '"' || c === "'") {
      const startLine = line;
      let v = '';
      i += 1;
      while (i < n && text[i] !== c) {
        if (text[i] === '\\') {
          i += 1;
          if (text[i] === '\n') line += 1;
          else v += text[i] ?? '';
        } else {
          if (text[i] === '\n') line += 1;
          v += text[i];
        }
        i += 1;
      }
      i += 1;
      toks.push({ t: 'key', v, line: startLine });
    } else if ('{}[]:,'.includes(c)) {
      toks.push({ t: 'punct', v: c, line });
      i += 1;
    } else if (/[\s\u00a0\ufeff]/.test(c)) {
      i += 1;
    } else {
      let v = '';
      while (i < n && !/[\s{}[\]:,"'/]/.test(text[i] as string)) v += text[i++];
      if (v === '') i += 1;
      else toks.push({ t: 'key', v, line });
    }
  }
  return toks;
}

/**
 * Dotted key path → the line of its last occurrence (JSON5 keeps the last duplicate).
 * Array elements appear as `[]`. Best effort: used only for labels.
 */
export function keyLines(text: string): Map<string, number> {
  const toks = tokenize(text);
  const lines = new Map<string, number>();
  // path null: deeper than MAX_TRACKED_DEPTH, not labelled (copying ever longer paths would be quadratic).
  const stack: Array<{ kind: 'obj' | 'arr'; path: string[] | null }> = [];
  let pendingKey: string | null = null;
  for (let i = 0; i < toks.length; i += 1) {
    const tok = toks[i] as Tok;
    const top = stack[stack.length - 1];
    if (tok.t === 'key') {
      const next = toks[i + 1];
      if (top?.kind === 'obj' && next?.t === 'punct' && next.v === ':') {
        pendingKey = tok.v;
        if (top.path) lines.set([...top.path, tok.v].join('.'), tok.line);
        i += 1;
      }
      continue;
    }
    if (tok.v === '{' || tok.v === '[') {
      let parent: string[] | null = [];
      if (top) parent = !top.path || top.path.length >= MAX_TRACKED_DEPTH ? null : [...top.path, top.kind === 'obj' ? (pendingKey ?? '?') : '[]'];
      stack.push({ kind: tok.v === '{' ? 'obj' : 'arr', path: parent });
      pendingKey = null;
    } else if (tok.v === '}' || tok.v === ']') {
      stack.pop();
      pendingKey = null;
    }
  }
  return lines;
}

/**
 * The deepest `{`/`[` nesting in JSON5 text, stopping as soon as it exceeds `limit`. Strings and
 * comments are skipped, so a `{` inside a value does not count.
 */
export function nestingDepth(text: string, limit: number): number {
  let depth = 0;
  let max = 0;
  const n = text.length;
  for (let i = 0; i < n; i += 1) {
    const c = text.charCodeAt(i);
    if (c === 0x7b || c === 0x5b) {
      depth += 1;
      if (depth > max) {
        max = depth;
        if (max > limit) return max;
      }
    } else if (c === 0x7d || c === 0x5d) {
      depth = Math.max(0, depth - 1);
    } else if (c === 0x22 || c === 0x27) {
      for (i += 1; i < n && text.charCodeAt(i) !== c; i += 1) if (text.charCodeAt(i) === 0x5c) i += 1;
    } else if (c === 0x2f && text.charCodeAt(i + 1) === 0x2f) {
      while (i < n && text.charCodeAt(i) !== 0x0a) i += 1;
    } else if (c === 0x2f && text.charCodeAt(i + 1) === 0x2a) {
      const end = text.indexOf('*/', i + 2);
      i = end === -1 ? n : end + 1;
    }
  }
  return max;
}
