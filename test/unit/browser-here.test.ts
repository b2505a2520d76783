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
    expect(sshForwardCommand(18789, 'box')).toBe('ssh -N -L 18789:127.0.0.1:18789 box   # on your own computer; then open http://127.0.0.1:18789/');
    expect(sshForwardCommand(1, 'a b')).toContain("'a b'");
  });
  it('OSC 52 only in a terminal that is not dumb; the sequence carries the text base64-encoded', () => {
    expect(terminalMayCopy({ TERM: 'xterm-256color' }, true)).toBe(true);
    expect(terminalMayCopy({ TERM: 'dumb' }, true)).toBe(false);
    expect(terminalMayCopy({ TERM: 'xterm' }, false)).toBe(false);
    expect(osc52('hi')).toBe('\x1b]52;c;aGk=\x07');
  });
});
