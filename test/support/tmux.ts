// A small tmux driver for TTY tests. Every instance runs its OWN tmux server on a unique socket
// (`-L otw-<pid>-<n>-<rand>`) with `-f /dev/null`, so tests never see or touch a user's tmux
// server or ~/.tmux.conf, and kill() ends only that server.
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { sleep } from './sleep.js';

export interface TmuxOptions {
  /** Shell command line run in the pane (via the server's default-shell, /bin/sh here). */
  cmd: string;
  /** Full environment of the pane (the fresh server is started with it). Default: process.env. */
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  width?: number;
  height?: number;
}

export interface TmuxSession {
  /** Socket name given to `tmux -L`. */
  socket: string;
  session: string;
  /** tmux key names: 'Enter', 'Down', 'C-c', 'Space', or literal single chars. */
  sendKeys(...keys: string[]): Promise<void>;
  /** Types text literally (send-keys -l), no Enter. */
  type(text: string): Promise<void>;
  /** Polls screen + scrollback until it contains text / matches the RegExp; returns the visible screen. */
  waitForText(text: string | RegExp, timeoutMs?: number): Promise<string>;
  /**
   * The visible screen (capture-pane -p), trailing spaces and trailing blank lines removed.
   * history: true prepends the scrollback (-S -): lines can leave the visible screen when tmux
   * scrolls it, e.g. when it writes "Pane is dead" on exit.
   */
  capture(opts?: { history?: boolean }): Promise<string>;
  /** Waits for the command to exit (remain-on-exit keeps the pane) and returns its exit status. */
  waitForExit(timeoutMs?: number): Promise<number>;
  /** Kills this driver's own tmux server. Idempotent. */
  kill(): Promise<void>;
}

let counter = 0;

export async function startTmux(opts: TmuxOptions): Promise<TmuxSession> {
  const socket = `otw-${process.pid}-${++counter}-${randomBytes(3).toString('hex')}`;
  const session = 'otw';
  const target = `${session}:0.0`;
  const width = opts.width ?? 100;
  const height = opts.height ?? 30;
  const env: NodeJS.ProcessEnv = { ...(opts.env ?? process.env) };
  delete env.TMUX; // we may be running inside the user's tmux: this must not attach to it
  delete env.TMUX_PANE;
  env.TERM ??= 'xterm-256color';

  const statusFile = join(tmpdir(), `${socket}.status`);
  const readStatusFile = (): number | null => {
    try {
      const t = readFileSync(statusFile, 'utf8').trim();
      return t === '' ? null : Number(t);
    } catch {
      return null;
    }
  };

  const tmux = async (args: string[]) => {
    const r = await execa('tmux', ['-L', socket, '-f', '/dev/null', ...args], { env, extendEnv: false, reject: false, cwd: opts.cwd });
    if (r.exitCode !== 0) throw new Error(`tmux ${args[0]} failed (exit ${r.exitCode}): ${String(r.stderr).trim()}`);
    return String(r.stdout ?? '');
  };

  // One invocation, so the global options exist before the pane's command can run or exit:
  //   remain-on-exit: an exited command leaves a dead pane whose status we can read;
  //   status off: the pane gets the full width x height; default-shell: predictable `sh -c`.
  await tmux([
    'start-server',
    ';',
    'set-option',
    '-g',
    'remain-on-exit',
    'on',
    ';',
    'set-option',
    '-g',
    'status',
    'off',
    ';',
    'set-option',
    '-g',
    'default-shell',
    '/bin/sh',
    ';',
    'set-option',
    '-g',
    'history-limit',
    '5000',
    ';',
    'new-session',
    '-d',
    '-s',
    session,
    '-x',
    String(width),
    '-y',
    String(height),
    ...(opts.cwd ? ['-c', opts.cwd] : []),
    // The exit status goes to a file, not the screen (an `echo __EXIT__` would pollute captures).
    // Subshell: an `exit N` inside cmd ends only the subshell, so the status is still recorded.
    `(${opts.cmd}\n); echo $? > '${statusFile}'`,
  ]);

  let killed = false;
  const capture = async (o: { history?: boolean } = {}) => {
    const raw = await tmux(['capture-pane', '-p', ...(o.history ? ['-S', '-'] : []), '-t', target]);
    return raw
      .split('\n')
      .map((l) => l.replace(/\s+$/, ''))
      .join('\n')
      .replace(/\n+$/, '');
  };
  const paneStatus = async (): Promise<{ dead: boolean; status: number }> => {
    const out = (await tmux(['display-message', '-p', '-t', target, '#{pane_dead} #{pane_dead_status}'])).trim();
    const [dead, status] = out.split(' ');
    // The pane is marked dead at pty EOF, slightly before the child is reaped and its status is
    // known (observed: "1 " then "1 3"), so only a dead pane WITH a status counts as exited.
    return { dead: dead === '1' && !!status, status: Number(status) };
  };

  return {
    socket,
    session,
    sendKeys: async (...keys) => {
      await tmux(['send-keys', '-t', target, ...keys]);
    },
    type: async (text) => {
      await tmux(['send-keys', '-t', target, '-l', text]);
    },
    waitForText: async (text, timeoutMs = 10_000) => {
      const t0 = Date.now();
      let screen = '';
      while (Date.now() - t0 < timeoutMs) {
        const all = await capture({ history: true });
        if (typeof text === 'string' ? all.includes(text) : text.test(all)) return capture();
        screen = all;
        await sleep(100);
      }
      throw new Error(`tmux: ${String(text)} did not appear within ${timeoutMs} ms; screen:\n${screen}`);
    },
    capture,
    waitForExit: async (timeoutMs = 10_000) => {
      const t0 = Date.now();
      while (Date.now() - t0 < timeoutMs) {
        // tmux's own #{pane_dead_status} is not enough: under the vitest worker it stayed empty
        // for a dead pane (works from a plain shell), so the status file is the primary source.
        const fromFile = readStatusFile();
        if (fromFile !== null) return fromFile;
        const s = await paneStatus();
        // The pane's own status is the shell's (0, from the `echo`): the file, written before the
        // shell exited, is the command's. Read it again: the first read can fall between the
        // shell's truncating it and the echo's write.
        if (s.dead) return readStatusFile() ?? s.status;
        await sleep(100);
      }
      throw new Error(`tmux: command did not exit within ${timeoutMs} ms; screen:\n${await capture().catch(() => '')}`);
    },
    kill: async () => {
      if (killed) return;
      killed = true;
      await execa('tmux', ['-L', socket, 'kill-server'], { env, extendEnv: false, reject: false });
      // kill-server removes the socket normally; make sure no stale file is left behind.
      const uid = typeof process.getuid === 'function' ? process.getuid() : 0;
      rmSync(`${env.TMUX_TMPDIR || tmpdir()}/tmux-${uid}/${socket}`, { force: true });
      rmSync(statusFile, { force: true });
    },
  };
}
