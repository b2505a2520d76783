import { describe, expect, it } from 'vitest';
import { browserHere, osc52, sshForwardCommand, terminalMayCopy } from '../../src/actions/browser-here.js';

describe('browserHere: can a browser open on the person screen from here?', () => {
  it('Linux without DISPLAY or WAYLAND_DISPLAY cannot, and says why', () => {
    expect(browserHere({}, 'linux')).toEqual({ canOpen: false, reason: 'no graphical session here (neither DISPLAY nor WAYLAND_DISPLAY is set)', ssh: false });
  });
  it('Linux with DISPLAY or WAYLAND_DISPLAY can', () => {
    expect(browserHere({ DISPLAY: ':0' }, 'linux').canOpen).toBe(true);
    expect(browserHere({ WAYLAND_DISPLAY: 'wayland-0' }, 'linux').canOpen).toBe(true);
  });
  it('an SSH session without a display cannot, on any platform (SSH_CONNECTION or SSH_TTY)', () => {
    expect(browserHere({ SSH_CONNECTION: '1 2 3 4' }, 'darwin')).toMatchObject({ canOpen: false, ssh: true });
    expect(browserHere({ SSH_TTY: '/dev/pts/1' }, 'linux')).toMatchObject({ canOpen: false, ssh: true });
    expect(browserHere({ SSH_TTY: '/dev/pts/1', DISPLAY: 'localhost:10.0' }, 'linux')).toMatchObject({ canOpen: true, ssh: true });
  });
  it('a $BROWSER command is an opener', () => {
    expect(browserHere({ BROWSER: 'w3m' }, 'linux').canOpen).toBe(true);
  });
  it('macOS locally can', () => {
    expect(browserHere({}, 'darwin').canOpen).toBe(true);
  });
});

describe('what can work instead', () => {
  it('the ssh port forward for this port, quoted for a POSIX shell', () => {
    // The login and the address the SSH session came in on (not this machine's own hostname, which the person's computer may not resolve).
    expect(sshForwardCommand(18789, { USER: 'ana', SSH_CONNECTION: '198.51.100.7 52000 203.0.113.5 22' })).toBe(
      'ssh -N -L 18789:127.0.0.1:18789 ana@203.0.113.5   # on your own computer (the address this SSH session came in on; use the name you ssh to if it differs); then open http://127.0.0.1:18789/',
    );
    // sshd on another port: the same -p.
    expect(sshForwardCommand(1, { USER: 'ana', SSH_CONNECTION: '198.51.100.7 52000 203.0.113.5 2222' })).toMatch(/^ssh -N -p 2222 -L 1:127\.0\.0\.1:1 ana@203\.0\.113\.5 /);
    // Nothing known (SSH_TTY only): a placeholder that says what to put there, never a made-up host.
    expect(sshForwardCommand(18789, { SSH_TTY: '/dev/pts/1' })).toBe(
      'ssh -N -L 18789:127.0.0.1:18789 USER@HOST   # on your own computer, with the login and address you use to ssh here; then open http://127.0.0.1:18789/',
    );
    // A login with a space is quoted for the shell.
    expect(sshForwardCommand(1, { USER: 'a b', SSH_CONNECTION: '1.2.3.4 1 5.6.7.8 22' })).toContain("'a b@5.6.7.8'");
  });
  it('OSC 52 only in a terminal that is not dumb; the sequence carries the text base64-encoded', () => {
    expect(terminalMayCopy({ TERM: 'xterm-256color' }, true)).toBe(true);
    expect(terminalMayCopy({ TERM: 'dumb' }, true)).toBe(false);
    expect(terminalMayCopy({ TERM: 'xterm' }, false)).toBe(false);
    expect(osc52('hi')).toBe('\x1b]52;c;aGk=\x07');
  });
});
