/**
 * A spinner drawn like clack's (`◒  message [12s]`), that owns the keyboard while it runs. clack's
 * own spinner puts the terminal in raw mode and calls process.exit(0) on Ctrl-C: a wait stopped
 * that way skipped the summary of what was already changed and exited 0. Here Ctrl-C raises a
 * real SIGINT, so the run stops the way it stops anywhere else (exit 130 and its summary), and
 * Enter reaches the wait that asked for it (e.g. "done, stop waiting").
 */
import { emitKeypressEvents } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { styleText } from 'node:util';

export interface SpinnerStartOptions {
  /** Enter was pressed while waiting: the wait decides what that means. */
  onEnter?: () => void;
}

export interface KeySpinner {
  start(message: string, opts?: SpinnerStartOptions): void;
  message(message: string): void;
  stop(message: string): void;
  error(message: string): void;
}

type TtyInput = Readable & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };

export interface KeySpinnerDeps {
  input: TtyInput;
  output: Writable;
  /** Stops drawing with a "stopped" line (the run was interrupted elsewhere). */
  signal: AbortSignal;
  /** What Ctrl-C does: by default the process receives SIGINT, as in a terminal in cooked mode. */
  interrupt?: () => void;
  now?: () => number;
}

const FRAMES = ['◒', '◐', '◓', '◑'];
const BAR = '│';

export function elapsedLabel(ms: number): string {
  const s = Math.floor(ms / 1000);
  return s >= 60 ? `[${Math.floor(s / 60)}m ${s % 60}s]` : `[${s}s]`;
}

export function keySpinner(deps: KeySpinnerDeps): KeySpinner {
  const { input, output } = deps;
  const now = deps.now ?? Date.now;
  const interrupt = deps.interrupt ?? (() => process.kill(process.pid, 'SIGINT'));
  let text = '';
  let started = 0;
  let frame = 0;
  let timer: NodeJS.Timeout | null = null;
  let onEnter: (() => void) | undefined;
  let wasRaw = false;

  const line = (symbol: string, m: string) => `\r\x1b[2K${symbol}  ${m} ${elapsedLabel(now() - started)}`;
  const draw = () => {
    output.write(line(styleText('magenta', FRAMES[frame % FRAMES.length]!), text));
    frame += 1;
  };
  const onKey = (_s: string | undefined, key: { name?: string; ctrl?: boolean } | undefined) => {
    if (key?.ctrl && key.name === 'c') interrupt();
    else if ((key?.name === 'return' || key?.name === 'enter') && onEnter) onEnter();
  };
  const onAbort = () => finish(styleText('red', '■'), `${text}: stopped`);
  const finish = (symbol: string, m: string) => {
    if (!timer) return;
    clearInterval(timer);
    timer = null;
    deps.signal.removeEventListener('abort', onAbort);
    input.off('keypress', onKey);
    if (input.isTTY && input.setRawMode) input.setRawMode(wasRaw);
    input.pause();
    output.write(`${line(symbol, m)}\n\x1b[?25h`);
  };
  return {
    start(m, opts) {
      if (timer) finish(styleText('green', '◇'), text);
      text = m;
      onEnter = opts?.onEnter;
      started = now();
      frame = 0;
      output.write(`${styleText('gray', BAR)}\n\x1b[?25l`);
      emitKeypressEvents(input);
      wasRaw = !!(input as { isRaw?: boolean }).isRaw;
      if (input.isTTY && input.setRawMode) input.setRawMode(true);
      input.on('keypress', onKey);
      input.resume();
      deps.signal.addEventListener('abort', onAbort, { once: true });
      timer = setInterval(draw, 80);
      draw();
      if (deps.signal.aborted) onAbort();
    },
    message(m) {
      text = m;
    },
    stop: (m) => finish(styleText('green', '◇'), m),
    error: (m) => finish(styleText('red', '▲'), m),
  };
}
