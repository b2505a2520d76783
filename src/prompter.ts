/**
 * The only module that talks to @clack/prompts. It decides once whether the wizard may ask
 * (a terminal, no --yes), so flows and actions never need to know: under --yes a confirmation
 * is answered "yes" and says so; without a terminal nothing is asked (a clack prompt on a pipe
 * would hang, then kill the process) and the default "no" is recorded instead.
 */
import * as clack from '@clack/prompts';
import { emitKeypressEvents } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { styleText } from 'node:util';
import { fitBlock, widthOf } from './cli/width.js';
import { keySpinner, type SpinnerStartOptions } from './terminal-spinner.js';

// One spelling everywhere: clack's own word (its spinner says it on Ctrl-C) is the American one.
clack.updateSettings({ messages: { cancel: 'Cancelled' } });

import { CANCELLED, type Cancellable } from './cancelled.js';

export { CANCELLED, type Cancellable };

export interface TranscriptEntry {
  at: string;
  kind: 'intro' | 'step' | 'say' | 'info' | 'warn' | 'error' | 'success' | 'note' | 'command' | 'ask' | 'answer' | 'outro';
  text: string;
}

export interface Spinner {
  /** `onEnter`: Enter pressed while it spins (a terminal only). Ctrl-C stops the run like anywhere else. */
  start(message: string, opts?: SpinnerStartOptions): void;
  message(message: string): void;
  stop(message: string): void;
  error(message: string): void;
}

export interface SelectOption<T extends string> {
  value: T;
  label: string;
  hint?: string;
}

export interface Prompter {
  /** A person can be asked (a terminal and no --yes). */
  readonly interactive: boolean;
  readonly yes: boolean;
  intro(title: string): void;
  outro(message: string): void;
  step(message: string): void;
  /** A line for a supporter to read out to the user (support flow). */
  say(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  success(message: string): void;
  note(body: string, title?: string): void;
  /** Show commands in a titled box: the ones a change runs, or those a person would type for the same effect (the title says which). */
  commands(commands: string[], title: string): void;
  confirm(message: string, opts?: { initial?: boolean; /** Not implied by --yes (e.g. stopping a process), and No unless the person picks Yes. */ explicit?: boolean }): Promise<Cancellable<boolean>>;
  select<T extends string>(message: string, options: SelectOption<T>[], initial: T): Promise<Cancellable<T>>;
  /** A line of free text (a pasted message); '' without a person to ask. Not recorded verbatim: the caller records what it keeps. */
  text?(message: string): Promise<Cancellable<string>>;
  spinner(): Spinner;
  readonly transcript: TranscriptEntry[];
  /** Abort the prompt on screen (Ctrl-C handling outside clack's own keys). */
  readonly signal: AbortSignal;
}

export interface PrompterOptions {
  yes: boolean;
  /** stdin and stdout are terminals. */
  tty: boolean;
  input?: Readable;
  output?: Writable;
  /** Applied to every line before it is shown or recorded: raw tokens become fingerprints. */
  redact?: (text: string) => string;
  signal?: AbortSignal;
  now?: () => Date;
}

/**
 * clack prints a log line as is, so a line wider than the terminal wraps at its edge and loses
 * the `│` guide. Break it at spaces to the terminal's width instead (clack prefixes every line).
 */
export function wrapToWidth(text: string, width: number | undefined): string {
  if (!width || width < 20) return text;
  return text
    .split('\n')
    .map((line) => {
      const out: string[] = [];
      let rest = line;
      while (rest.length > width) {
        // Never inside a word (a path or a command copied from the screen must stay whole): a word
        // wider than the line runs on, and the terminal's own wrap keeps it one line when copied.
        const cut = rest.lastIndexOf(' ', width);
        const after = rest.indexOf(' ', width);
        const at = cut > 0 ? cut : after > 0 ? after : rest.length;
        if (at >= rest.length) break;
        out.push(rest.slice(0, at).trimEnd());
        rest = rest.slice(at).replace(/^ +/, '');
      }
      out.push(rest);
      return out.join('\n');
    })
    .join('\n');
}

export function createPrompter(opts: PrompterOptions): Prompter {
  const redact = opts.redact ?? ((s: string) => s);
  const out = (opts.output ?? process.stdout) as Writable & { columns?: number; isTTY?: boolean };
  // The 3 columns of clack's `│  ` prefix.
  const fit = (text: string) => (out.isTTY ? wrapToWidth(text, (out.columns ?? 0) - 3) : text);
  const transcript: TranscriptEntry[] = [];
  const controller = new AbortController();
  if (opts.signal) opts.signal.addEventListener('abort', () => controller.abort(), { once: true });
  const common = { input: opts.input, output: opts.output, signal: controller.signal };
  const now = opts.now ?? (() => new Date());
  const record = (kind: TranscriptEntry['kind'], text: string) => {
    const clean = redact(text);
    transcript.push({ at: now().toISOString(), kind, text: clean });
    return clean;
  };
  const interactive = opts.tty && !opts.yes;
  /**
   * Ctrl-D (end of input) at a prompt is a cancel, like Ctrl-C and Esc. clack leaves it to
   * readline, which closes its interface: the prompt then never answers and the process ends
   * with exit 0 and no summary. The key is caught first and cancels the prompt instead.
   */
  const withCtrlD = async <R>(ask: (signal: AbortSignal) => Promise<R>): Promise<R> => {
    const input = (opts.input ?? process.stdin) as Readable;
    const prompt = new AbortController();
    const stop = () => prompt.abort();
    controller.signal.addEventListener('abort', stop, { once: true });
    const onKey = (_s: string | undefined, key: { name?: string; ctrl?: boolean } | undefined) => {
      if (key?.ctrl && key.name === 'd') prompt.abort();
    };
    emitKeypressEvents(input);
    // Prepended: it must run before readline's own handler closes the interface on the same key.
    input.prependListener('keypress', onKey);
    try {
      return await ask(prompt.signal);
    } finally {
      input.off('keypress', onKey);
      controller.signal.removeEventListener('abort', stop);
    }
  };
  /**
   * A titled block (commands, a plan, what changed). In a terminal: a box whose lines break only
   * at spaces and between a command's arguments; when a line cannot fit (one word wider than the
   * box), or on a pipe, the lines unboxed and whole, so that what is copied out of them runs.
   */
  const block = (body: string, title?: string) => {
    const room = (out.columns ?? 80) - 6;
    const lines = out.isTTY ? fitBlock(body, room) : null;
    // A title wider than the box would push clack's right edge past the terminal's: unboxed too.
    const titleFits = !title || widthOf(title) + 2 <= room;
    if (lines && titleFits && lines.every((l) => widthOf(l) <= room)) clack.note(lines.join('\n'), title, common);
    // Unboxed in a terminal: still broken at spaces and between a command's arguments (` \`), so
    // no row loses the │ margin; a word wider than the line (a long path) runs on, whole.
    else clack.log.step(`${title ? `${fit(title)}:\n` : ''}${(lines ?? body.split('\n')).map((l) => `  ${l}`).join('\n')}`, common);
  };

  return {
    interactive,
    yes: opts.yes,
    transcript,
    signal: controller.signal,
    intro: (t) => clack.intro(fit(record('intro', t)).replace(/\n/g, `\n${styleText('gray', clack.S_BAR)}  `), common),
    outro: (m) => clack.outro(fit(record('outro', m)).replace(/\n/g, '\n   '), common),
    step: (m) => clack.log.step(fit(record('step', m)), common),
    say: (m) => clack.log.message(fit(`Say: “${record('say', m)}”`), { ...common, symbol: '»' }),
    info: (m) => clack.log.info(fit(record('info', m)), common),
    warn: (m) => clack.log.warn(fit(record('warn', m)), common),
    error: (m) => clack.log.error(fit(record('error', m)), common),
    success: (m) => clack.log.success(fit(record('success', m)), common),
    note: (body, title) => {
      record('note', title ? `${title}: ${body}` : body);
      block(redact(body), title ? redact(title) : undefined);
    },
    commands: (cmds, title) => {
      for (const c of cmds) record('command', c);
      block(cmds.map((c) => `$ ${redact(c)}`).join('\n'), redact(title));
    },
    async confirm(message, o = {}) {
      const q = record('ask', message);
      if (opts.yes && !o.explicit) {
        clack.log.step(fit(`${q} ${'yes (--yes)'}`), common);
        record('answer', 'yes (--yes)');
        return true;
      }
      if (!opts.tty) {
        const a = o.explicit ? 'no (needs an explicit answer in a terminal)' : 'no (not a terminal: nothing changed)';
        clack.log.step(fit(`${q} ${a}`), common);
        record('answer', a);
        return false;
      }
      const r = await withCtrlD((signal) => clack.confirm({ message: q, initialValue: o.initial ?? !o.explicit, ...common, signal }));
      if (clack.isCancel(r)) {
        record('answer', 'cancelled');
        return CANCELLED;
      }
      record('answer', r ? 'yes' : 'no');
      return r;
    },
    async select<T extends string>(message: string, options: SelectOption<T>[], initial: T): Promise<Cancellable<T>> {
      const q = record('ask', message);
      if (!interactive) {
        const chosen = options.find((o) => o.value === initial) ?? options[0]!;
        // The label is shown as recorded, i.e. redacted (an option label can carry a link with a token).
        const label = record('answer', chosen.label);
        clack.log.step(fit(`${q} ${label} (${opts.yes ? '--yes' : 'default'})`), common);
        return chosen.value;
      }
      const r = await withCtrlD((signal) =>
        clack.select<T>({
          message: q,
          options: options.map((o) => ({ value: o.value, label: redact(o.label), hint: o.hint ? redact(o.hint) : undefined })) as never,
          initialValue: initial,
          ...common,
          signal,
        }),
      );
      if (clack.isCancel(r)) {
        record('answer', 'cancelled');
        return CANCELLED;
      }
      record('answer', options.find((o) => o.value === r)?.label ?? String(r));
      return r;
    },
    async text(message: string): Promise<Cancellable<string>> {
      const q = record('ask', message);
      if (!interactive) return '';
      const r = await clack.text({ message: q, ...common });
      if (clack.isCancel(r)) {
        record('answer', 'cancelled');
        return CANCELLED;
      }
      return typeof r === 'string' ? r : '';
    },
    spinner() {
      // Not a terminal (a pipe, a CI log): no animation frames, just where a wait began and how it ended.
      if (!out.isTTY) {
        const started = Date.now();
        const took = () => `[${Math.round((Date.now() - started) / 1000)}s]`;
        return {
          start: (m) => clack.log.step(`${record('step', m)}…`, common),
          message: () => undefined,
          stop: (m) => clack.log.success(`${record('success', m)} ${took()}`, common),
          error: (m) => clack.log.warn(`${record('error', m)} ${took()}`, common),
        };
      }
      // Every wait says how long it has been; Ctrl-C in it stops the run like anywhere else.
      const s = keySpinner({ input: opts.input ?? process.stdin, output: out, signal: controller.signal });
      // A frame is erased as one row: a running message kept within one row leaves no stale rows behind. The final line wraps
      // at spaces under the │ margin like every other line.
      const cols = out.columns ?? 80;
      const oneRow = (m: string) => (m.length > cols - 14 ? `${m.slice(0, Math.max(10, cols - 15))}…` : m);
      const last = (m: string) => wrapToWidth(m, cols - 9).replace(/\n/g, `\n${styleText('gray', clack.S_BAR)}  `);
      return {
        start: (m, o) => s.start(oneRow(record('step', m)), o),
        message: (m) => s.message(oneRow(redact(m))),
        stop: (m) => s.stop(last(record('success', m))),
        error: (m) => s.error(last(record('error', m))),
      };
    },
  };
}
