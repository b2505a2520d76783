/**
 * Whether a browser can open on the person's screen from here, decided before trying: Linux with
 * neither DISPLAY nor WAYLAND_DISPLAY (nor a $BROWSER command) has no graphical session, and in an
 * SSH session a browser would open, if at all, on the remote machine. What can work instead: a
 * port forward from the person's own computer, and copying through the terminal (OSC 52).
 */
import { isIP } from 'node:net';
import { shellCommand } from '../text/shell-quote.js';

export interface BrowserHere {
  canOpen: boolean;
  /** Why a browser cannot open here, in words; null when it can. */
  reason: string | null;
  /** An SSH session: the person's browser is on another computer. */
  ssh: boolean;
}

export function browserHere(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): BrowserHere {
  const ssh = !!(env.SSH_CONNECTION || env.SSH_TTY);
  const display = !!(env.DISPLAY || env.WAYLAND_DISPLAY);
  // A $BROWSER command is the person's own choice of opener (xdg-open falls back to it); the demo
  // sandbox names its simulated Control UI, which runs anywhere.
  if (env.BROWSER || env.OTW_DEMO_BROWSER) return { canOpen: true, reason: null, ssh };
  if (ssh && !display) return { canOpen: false, reason: 'this is an SSH session without a display (SSH_CONNECTION is set, DISPLAY is not)', ssh };
  if (platform === 'linux' && !display) return { canOpen: false, reason: 'no graphical session here (neither DISPLAY nor WAYLAND_DISPLAY is set)', ssh };
  return { canOpen: true, reason: null, ssh };
}

/**
 * The command to run on the person's own computer so that its browser reaches this gateway. This
 * machine's own hostname is often not a name the person's computer can reach, so the login and
 * address come from the SSH session itself (SSH_CONNECTION: the address and port it came in on);
 * without them the line says USER@HOST and which values to put there.
 */
export function sshForwardCommand(port: number, env: NodeJS.ProcessEnv): string {
  const [, , serverIp, serverPort] = (env.SSH_CONNECTION ?? '').trim().split(/\s+/);
  const user = env.USER || env.LOGNAME;
  const host = serverIp && isIP(serverIp) ? serverIp : null;
  const open = `then open http://127.0.0.1:${port}/`;
  const forward = ['ssh', '-N', ...(host && serverPort && serverPort !== '22' && /^\d+$/.test(serverPort) ? ['-p', serverPort] : []), '-L', `${port}:127.0.0.1:${port}`];
  if (host) return `${shellCommand([...forward, user ? `${user}@${host}` : host])}   # on your own computer (the address this SSH session came in on; use the name you ssh to if it differs); ${open}`;
  // A placeholder, unquoted so that it reads as one: the person puts in their login and this machine's address.
  return `${shellCommand(forward)} USER@HOST   # on your own computer, with the login and address you use to ssh here; ${open}`;
}

/** The terminal may put text on the clipboard (OSC 52): most terminals do, also over SSH; dumb ones and none do not. */
export function terminalMayCopy(env: NodeJS.ProcessEnv, isTTY: boolean): boolean {
  return isTTY && !!env.TERM && env.TERM !== 'dumb';
}

/** The OSC 52 sequence that asks the terminal to put `text` on the system clipboard. */
export function osc52(text: string): string {
  return `\x1b]52;c;${Buffer.from(text, 'utf8').toString('base64')}\x07`;
}
