/**
 * `open`: the Control UI link. A link is printed only if it can work: with the real token
 * (--show-token) or without a token at all, never with a fingerprint where the token belongs.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { cleanupAll, e2eSandbox, expectClean, runCli, startGatewayProcess, writeConfig } from '../support/e2e.js';
import { fakeToken, freePort } from '../support/sandbox.js';

const TOKEN = fakeToken('open');

afterEach(cleanupAll);

async function gateway() {
  const sb = await e2eSandbox();
  const gw = await startGatewayProcess(sb, { token: TOKEN, logFile: sb.logFile });
  await writeConfig(sb, { gateway: { mode: 'local', port: gw.port, auth: { mode: 'token', token: TOKEN } } });
  return { sb, gw };
}

describe('open --print / --json (point 3: no link with a fingerprint for a token)', () => {
  it('open --print prints the link without the fragment and says how to get the full one', async () => {
    const { sb, gw } = await gateway();
    const r = await runCli(sb, ['open', '--print', '--timeout', '3000'], { env: { ...sb.env, NO_COLOR: '1' } });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe(`http://127.0.0.1:${gw.port}/\n`);
    expect(r.stdout).not.toContain('#token=');
    expect(r.stderr).toContain('add --show-token to print the link with it');
    expectClean(r, [TOKEN]);
  });

  it('open --json says tokenIncluded: false and gives the link without the token', async () => {
    const { sb, gw } = await gateway();
    const r = await runCli(sb, ['open', '--json', '--timeout', '3000'], { env: { ...sb.env, NO_COLOR: '1' } });
    const j = JSON.parse(r.stdout) as { url: string; tokenIncluded: boolean; tokenFingerprint: string | null; accepted: boolean };
    expect(j).toMatchObject({ url: `http://127.0.0.1:${gw.port}/`, tokenIncluded: false, accepted: true });
    expect(j.tokenFingerprint).toMatch(/^sha256:[0-9a-f]{8}$/);
    expectClean(r, [TOKEN]);
  });

  it('open --json --show-token includes the real token, and says so', async () => {
    const { sb, gw } = await gateway();
    const r = await runCli(sb, ['open', '--json', '--show-token', '--timeout', '3000'], { env: { ...sb.env, NO_COLOR: '1' } });
    const j = JSON.parse(r.stdout) as { url: string; tokenIncluded: boolean };
    expect(j).toMatchObject({ url: `http://127.0.0.1:${gw.port}/#token=${TOKEN}`, tokenIncluded: true });
  });
});

describe('open with no way to show a browser (point 2: never "opened" when nothing opened)', () => {
  it('Linux without DISPLAY/WAYLAND_DISPLAY: says why nothing opened and how to get the link; exit 1', async () => {
    const { sb } = await gateway();
    const r = await runCli(sb, ['open', '--timeout', '3000'], { env: { ...sb.env, NO_COLOR: '1', DISPLAY: '', WAYLAND_DISPLAY: '', BROWSER: '' } });
    expect(r.stdout).not.toMatch(/Opened|in your browser/);
    expect(r.stdout).toContain('Nothing opened: cannot open a browser: no graphical session here (neither DISPLAY nor WAYLAND_DISPLAY is set).');
    expect(r.stdout).toContain('openclaw-token-wizard open --print --show-token');
    expect(r.exitCode).toBe(1);
    expectClean(r, [TOKEN]);
  });

  it('an SSH session: offers the ssh port-forward line for this port', async () => {
    const { sb, gw } = await gateway();
    const r = await runCli(sb, ['open', '--timeout', '3000'], { env: { ...sb.env, NO_COLOR: '1', SSH_CONNECTION: '10.0.0.2 50000 10.0.0.1 22', DISPLAY: '', BROWSER: '' } });
    expect(r.stdout).toContain('this is an SSH session without a display');
    expect(r.stdout).toContain(`ssh -N -L ${gw.port}:127.0.0.1:${gw.port} `);
    expect(r.exitCode).toBe(1);
  });

  it('an opener that fails (xdg-open finds no browser): "Nothing opened", exit 1', async () => {
    const { sb } = await gateway();
    const r = await runCli(sb, ['open', '--timeout', '3000'], { env: { ...sb.env, NO_COLOR: '1', DISPLAY: ':99', BROWSER: '' } });
    expect(r.stdout).toMatch(/^Nothing opened: could not open a browser: the opener failed/);
    expect(r.exitCode).toBe(1);
    expectClean(r, [TOKEN]);
  });

  it('no gateway running: nothing is opened', async () => {
    const sb = await e2eSandbox();
    await writeConfig(sb, { gateway: { mode: 'local', port: await freePort(), auth: { mode: 'token', token: TOKEN } } });
    const r = await runCli(sb, ['open', '--timeout', '3000'], { env: { ...sb.env, NO_COLOR: '1', DISPLAY: ':99', BROWSER: '/bin/true' } });
    expect(r.stdout).toMatch(/^Nothing opened: no gateway answers at ws:\/\/127\.0\.0\.1:\d+/);
    expect(r.exitCode).toBe(1);
  });
});
