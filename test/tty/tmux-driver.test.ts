import { afterEach, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { startTmux, type TmuxSession } from '../support/tmux.js';

// Proves the tmux driver itself: a real pty, typed input, screen capture and exit status.
describe('tmux driver', () => {
  let t: TmuxSession | undefined;
  afterEach(async () => {
    await t?.kill();
    t = undefined;
  });

  it('runs a prompt, types an answer, reads the screen and the exit code', async () => {
    t = await startTmux({ cmd: `bash --noprofile --norc -c 'read -p "name? " n; echo hello $n; exit 3'`, width: 60, height: 10 });
    expect(await t.waitForText('name?')).toBe('name?');
    await t.type('Ada');
    await t.sendKeys('Enter');
    await t.waitForText(/hello Ada/);
    expect(await t.waitForExit(5_000)).toBe(3);
    // Scrollback + screen, so the check does not depend on whether tmux scrolled on exit.
    const all = await t.capture({ history: true });
    expect(all).toMatch(/^name\? Ada\nhello Ada(\n|$)/);
    // Trailing spaces are trimmed from every line of the capture.
    expect(all.split('\n').every((l) => l === l.trimEnd())).toBe(true);
  });

  it('honours width and cwd and env', async () => {
    t = await startTmux({ cmd: 'echo "$OTW_PROBE $(pwd) $(tput cols)x$(tput lines)"; sleep 30', env: { ...process.env, OTW_PROBE: 'probe-ok' }, cwd: '/tmp', width: 70, height: 12 });
    expect(await t.waitForText('probe-ok')).toBe('probe-ok /tmp 70x12');
  });

  it('uses its own server: kill() ends it and leaves nothing on its socket', async () => {
    t = await startTmux({ cmd: 'sleep 30' });
    const before = await execa('tmux', ['-L', t.socket, 'list-sessions', '-F', '#{session_name}'], { reject: false });
    expect(String(before.stdout).trim()).toBe(t.session);
    await t.kill();
    const after = await execa('tmux', ['-L', t.socket, 'list-sessions'], { reject: false });
    expect(after.exitCode).not.toBe(0);
  });
});
