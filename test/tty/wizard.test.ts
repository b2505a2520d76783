/**
 * The wizard the way a person meets it: the built CLI in a real terminal (tmux, 100x30), against
 * the demo sandboxes (fake `openclaw` first on PATH, fake gateway, temp HOME), answered by keys.
 * The browser is a script named by $BROWSER (the `open` package runs its bundled xdg-open, which
 * with no desktop falls back to $BROWSER): it reads the link's #token= and connects to the fake
 * gateway as the Control UI, so the gateway logs "webchat connected" as it would for a real tab.
 * Screens at the key points are golden files in snapshots/tty (UPDATE_SNAPSHOTS=1 rewrites them).
 * Build first: npx tsc -p .
 */
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { execa } from 'execa';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startScenario, type DemoSandbox, type ScenarioName } from '../../src/demo/scenarios.js';
import { golden } from '../support/golden.js';
import { startTmux, type TmuxSession } from '../support/tmux.js';
import { filesUnder } from '../support/files.js';
import { BIN, REPO } from '../support/cli.js';
import { scrubbedEnv } from '../support/env.js';
import { expectNoLeak } from '../support/leaks.js';
import { sleep } from '../support/sleep.js';

/** The wizard's backups of `file`: <stateDir>/otw-backups/<stamp>/<escaped path>. */
function backupsOf(stateDir: string, file: string): string[] {
  const root = join(stateDir, 'otw-backups');
  if (!existsSync(root)) return [];
  return readdirSync(root).flatMap((stamp) =>
    readdirSync(join(root, stamp))
      .filter((n) => file.endsWith(decodeURIComponent(n).replace(/^~/, '')))
      .map((n) => join(root, stamp, n)),
  );
}

const PROBE = join(REPO, 'dist', 'src', 'gateway', 'probe.js');

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const fp = (token: string) => `sha256:${createHash('sha256').update(token, 'utf8').digest('hex').slice(0, 8)}`;
/** A log line clack printed over several rows (the wizard wraps them, each row after a `│  `), as one line. */
const flat = (screen: string) => screen.replace(/\n│ {2}(?=\S)/g, ' ');
/** The screen without box drawing and whitespace, for long paths the boxes wrap. */
const unboxed = (screen: string) => screen.replace(/[\s│╮╯├─]/g, '');

async function scenario(name: ScenarioName): Promise<DemoSandbox> {
  const sb = await startScenario(name);
  cleanups.push(() => sb.stop());
  return sb;
}

interface Run {
  t: TmuxSession;
  sb: DemoSandbox;
  /** Every screen captured (with scrollback), for the no-raw-token check. */
  seen: string[];
  screen(): Promise<string>;
  /** Waits until `question` is the active prompt (◆) and fully drawn; returns the screen. */
  prompt(question: string, timeoutMs?: number): Promise<string>;
  snap(name: string, screen: string): void;
  normalise(text: string): string;
  exit(timeoutMs?: number): Promise<number>;
  /**
   * After exit: the last 30 rows the wizard drew (scrollback included), without tmux's own
   * "Pane is dead" line, whose arrival scrolls the visible screen by a varying number of rows.
   */
  finalScreen(): Promise<string>;
}

/**
 * The CLI in tmux with the sandbox's environment, written into a launcher in the sandbox so the
 * pane (and the fake openclaw it runs) never sees the test runner's VITEST/TEST variables.
 */
async function launch(
  sb: DemoSandbox,
  args: string[],
  opts: {
    env?: NodeJS.ProcessEnv;
    pipe?: boolean;
    privateLogDir?: string;
    /**
     * 'silent': a browser that takes the link and never connects; 'stale-token': one that connects
     * with another token than the link's (as a tab with an old one saved); 'none': no $BROWSER at all.
     */
    browser?: 'connects' | 'silent' | 'stale-token' | 'none';
  } = {},
): Promise<Run> {
  // As a person's terminal: no desktop (xdg-open goes straight to $BROWSER), no CI (clack draws
  // spinners differently under CI=true), no test-runner markers.
  const env: NodeJS.ProcessEnv = { ...scrubbedEnv(sb.env, { asPerson: true }), ...opts.env };
  // The demo sandbox's own simulated Control UI would take the link first: these tests watch their own $BROWSER.
  delete env.OTW_DEMO_BROWSER;
  if (opts.browser === 'none') delete env.BROWSER;
  else env.BROWSER = join(sb.root, 'browser');
  writeFileSync(
    join(sb.root, 'browser.mjs'),
    [
      `import { appendFileSync } from 'node:fs';`,
      `import { probeGateway } from ${JSON.stringify(PROBE)};`,
      `const url = new URL(process.argv[2]);`,
      `const linked = new URLSearchParams(url.hash.slice(1)).get('token') ?? undefined;`,
      `const token = ${opts.browser === 'stale-token' ? `'stale-' + linked` : 'linked'};`,
      `const r = await probeGateway({ url: 'ws://' + url.host, token, timeoutMs: 3000, clientId: 'openclaw-control-ui', clientMode: 'webchat', origin: 'http://' + url.host });`,
      `appendFileSync(${JSON.stringify(join(sb.root, 'browser.log'))}, (token ? 'token ' : 'no token ') + r.kind + '\\n');`,
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(sb.root, 'browser'),
    opts.browser === 'silent' ? `#!/bin/sh\necho "silent $#" >> ${q(join(sb.root, 'browser.log'))}\n` : `#!/bin/sh\nexec ${q(process.execPath)} ${q(join(sb.root, 'browser.mjs'))} "$1"\n`,
  );
  chmodSync(join(sb.root, 'browser'), 0o755);
  const exports = Object.entries(env)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `export ${k}=${q(v!)}`);
  const launcher = join(sb.root, 'launch.sh');
  writeFileSync(launcher, `#!/bin/sh\nunset VITEST TEST CI\n${exports.join('\n')}\ncd ${q(sb.cwd)}\nexec ${q(process.execPath)} ${q(BIN)} "$@"\n`);
  chmodSync(launcher, 0o755);
  const argv = args.map(q).join(' ');
  // Piped: stdout is not a terminal; the exit status of the wizard (not of cat) is kept in a file.
  // privateLogDir: a mount namespace where /tmp/openclaw (OpenClaw's log dir when the config names
  // none) is the sandbox's own directory, for the wizard and every gateway it starts.
  const wizard = opts.privateLogDir
    ? `unshare -m --propagation private sh -c ${q(`mount --bind ${q(opts.privateLogDir)} /tmp/openclaw && exec "$0" "$@"`)} ${q(launcher)} ${argv}`
    : `${q(launcher)} ${argv}`;
  const cmd = opts.pipe ? `(${wizard} 2>${q(join(sb.root, 'stderr.txt'))}; echo $? > ${q(join(sb.root, 'code'))}) | cat; exit $(cat ${q(join(sb.root, 'code'))})` : wizard;
  // The pane gets a minimal environment; the wizard's comes from the launcher.
  const t = await startTmux({ cmd, env: { PATH: process.env.PATH, HOME: sb.home, TERM: 'xterm-256color', LANG: process.env.LANG ?? 'C.UTF-8' }, cwd: sb.cwd, width: 100, height: 30 });
  cleanups.push(() => t.kill());
  const seen: string[] = [];
  const normalise = (text: string) => {
    return (
      text
        // A row the terminal wrapped (it starts without clack's margin or a glyph) joins its line:
        // where a long line breaks depends on how many digits a pid or port has.
        .replace(/\n(?=[^│◇◆●■▲└┌├◒◐◓◑\s])/g, '')
        .split(sb.root)
        .join('<sandbox>')
        .split(String(sb.port))
        .join('<port>')
        .replace(/\[\d+s\]/g, '[Ns]')
        .replace(/\b(pid|kill) \d+/g, '$1 <pid>')
        .replace(/\(pid \d+\)/g, '(pid <pid>)')
        .replace(/sha256:[0-9a-f]{8}/g, 'sha256:<fp>')
        .replace(/otw-backups\/\d{8}T\d{6}Z/g, 'otw-backups/<stamp>')
        .replace(/otw-journal\/\d{8}T\d{6}(\.\d+)?Z/g, 'otw-journal/<stamp>')
        .replace(/after \d+ s\b/g, 'after N s')
        .replace(/ +\d+ ms\b/g, ' N ms')
        // A pid's or port's digit count sets a box's width: compare box contents, not their padding.
        .replace(/─{3,}/g, '───')
        .replace(/ +│$/gm, '  │')
        // Log times; the year's first digit may sit on the previous row where the terminal wrapped.
        .replace(/\d{0,4}\d-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})/g, '<time>')
    );
  };
  const run: Run = {
    t,
    sb,
    seen,
    screen: async () => {
      seen.push(await t.capture({ history: true }));
      return t.capture();
    },
    prompt: async (question, timeoutMs = 20_000) => {
      await t.waitForText(`◆  ${question}`, timeoutMs);
      const t0 = Date.now();
      for (;;) {
        const s = await run.screen();
        const lines = s.split('\n');
        // Drawn: the active question is on screen and the prompt's closing bar is the last line.
        if (s.includes(`◆  ${question}`) && lines[lines.length - 1] === '└') return s;
        if (Date.now() - t0 > 5000) throw new Error(`prompt "${question}" never settled:\n${s}`);
        await sleep(100);
      }
    },
    snap: (name, screen) => {
      const n = normalise(screen) + '\n';
      expect(n).toBe(golden(`tty/${name}.txt`, n));
    },
    normalise,
    finalScreen: async () => {
      const all = (await t.capture({ history: true })).replace(/\n*Pane is dead \(status \d+, [^)]*\)\s*$/, '').replace(/\n+$/, '');
      return all.split('\n').slice(-30).join('\n');
    },
    exit: async (timeoutMs = 30_000) => {
      const code = await t.waitForExit(timeoutMs);
      seen.push(await t.capture({ history: true }));
      return code;
    },
  };
  return run;
}

/** No raw token on any screen: every capture, scrollback included. */
function expectNoRawToken(run: Run, tokens: string[]): void {
  expect(run.seen.length).toBeGreaterThan(0);
  expectNoLeak(run.seen, tokens);
  for (const screen of run.seen) {
    expect(screen).not.toMatch(/\b[0-9a-f]{48}\b/);
  }
}

function configOf(path: string): { gateway: { mode?: string; auth?: { mode?: string; token?: string } } } {
  return JSON.parse(readFileSync(path, 'utf8'));
}

function changedFiles(before: Map<string, string>, after: Map<string, string>): string[] {
  return [...new Set([...before.keys(), ...after.keys()])].filter((k) => before.get(k) !== after.get(k)).sort();
}

describe('the wizard in a real terminal (tmux 100x30, demo sandboxes)', () => {
  it('recover: client-token-missing → token saved, gateway restarted, Control UI opened, Connected', async () => {
    const sb = await scenario('token-missing');
    const run = await launch(sb, ['recover']);

    const s1 = await run.prompt('Generate a gateway token and save it in the config?');
    expect(s1).toContain('■  A client tried to connect without a token (gateway token missing) [client-token-missing]');
    expect(s1).toContain('$ openclaw config set gateway.auth.token "\\"$(openssl rand -hex 24)\\""');
    run.snap('recover-token-missing-1', s1);
    await run.t.sendKeys('Enter');

    const s2 = await run.prompt('Restart the gateway so it enforces the config token?');
    // The hot-reload check said the runtime-token gateway needs a restart (the wording may evolve).
    expect(flat(await run.t.capture({ history: true }))).toMatch(/saved a new gateway token \(sha256:[0-9a-f]{8} \(48 chars\)\).*(restart)/);
    expect(s2).toMatch(/\$ kill \d+/);
    run.snap('recover-token-missing-2', s2);
    await run.t.sendKeys('y');

    const s3 = await run.prompt('Put the token into the Control UI?', 40_000);
    expect(s3).toContain('the gateway is back and accepts the config token');
    // The restart hides the browser's failure from the log; the wizard still remembers it.
    expect(flat(s3)).toContain('[client-token-missing] (seen before the gateway restarted)');
    expect(flat(s3)).toContain('; the failed client is not back yet');
    expect(s3.replace(/\s+/g, ' ')).toContain('accepts the token from ~/.openclaw/openclaw.json line');
    const token = configOf(sb.configPath).gateway.auth?.token ?? '';
    expect(token).toMatch(/^[0-9a-f]{48}$/);
    // The plan names the runnable command, never a link with a fingerprint where the token belongs.
    expect(s3).toContain('$ openclaw-token-wizard open');
    expect(s3).not.toContain('#token=sha256:');
    run.snap('recover-token-missing-3', s3);
    await run.t.sendKeys('Enter');

    const s4 = await run.prompt('How do you want to get the token into the Control UI?');
    expect(s4).toContain('│  ● Open the Control UI in my browser with the token (recommended)');
    run.snap('recover-token-missing-4', s4);
    await run.t.sendKeys('Enter');

    expect(await run.exit(60_000)).toBe(0);
    const end = await run.finalScreen();
    expect(end).toContain('◆  the Control UI connected (seen in the gateway log)');
    expect(end).toContain(`Clients use the token ${fp(token)} (48 chars)`);
    expect(end).toContain('└  Connected: the gateway accepts the token and no client reports a failure.');
    run.snap('recover-token-missing-5', end);
    const all = await run.t.capture({ history: true });
    // The "Changed" box wraps the long backup path over several rows, under "backup:".
    expect(unboxed(all)).toContain(`backup:${backupsOf(sb.stateDir, sb.configPath)[0]}`);
    // The fake browser got the real token from the link and the gateway let it in.
    expect(readFileSync(join(sb.root, 'browser.log'), 'utf8')).toBe('token hello-ok\n');
    expect(readFileSync(sb.logFile, 'utf8')).toContain('webchat connected');
    expect(configOf(sb.configPath).gateway.auth).toEqual({ mode: 'token', token });
    expectNoRawToken(run, [token, ...sb.tokens]);
  }, 90_000);

  it('setup on an empty HOME: mode local → token → gateway started → Control UI → Ready', async ({ skip }) => {
    const sb = await scenario('not-running');
    // An empty HOME: no config at all (the scenario's own config goes).
    rmSync(sb.configPath);
    expect(readdirSync(sb.home, { recursive: true })).toEqual(['.openclaw']);
    // Without logging.file OpenClaw (and the fake) log to /tmp/openclaw/openclaw-DATE.log, a
    // directory shared with every OpenClaw on this machine: the run gets a private one instead.
    const canIsolate = (await execa('unshare', ['-m', '--propagation', 'private', 'true'], { reject: false })).exitCode === 0;
    if (!canIsolate) return skip('needs unshare -m (root) to keep the shared /tmp/openclaw untouched');
    let createdLogDir = false;
    if (!existsSync('/tmp/openclaw')) {
      mkdirSync('/tmp/openclaw', { mode: 0o700 });
      createdLogDir = true;
    }
    cleanups.push(() => {
      if (createdLogDir) rmdirSync('/tmp/openclaw');
    });
    const logDir = join(sb.root, 'tmp-openclaw');
    mkdirSync(logDir);
    const stateDir = sb.stateDir;
    const run = await launch(sb, ['setup', '--port', String(sb.port)], { privateLogDir: logDir });

    const s1 = await run.prompt('Set gateway.mode to local?');
    expect(s1).toMatch(/◆ {2}OpenClaw 2026\.9\.6 at .*\/bin\/openclaw/);
    expect(s1).toContain('[gateway-mode-not-local]');
    expect(s1).toContain('[gateway-not-running]');
    run.snap('setup-empty-home-1', s1);
    await run.t.sendKeys('Enter');

    const s2 = await run.prompt('Generate a gateway token and save it in the config?');
    expect(s2).toContain('set gateway.mode=local');
    run.snap('setup-empty-home-2', s2);
    await run.t.sendKeys('Enter');

    const s3 = await run.prompt('Start the gateway?');
    expect(s3).toContain(`$ nohup openclaw gateway run --port ${sb.port} --bind loopback >`);
    run.snap('setup-empty-home-3', s3);
    await run.t.sendKeys('Enter');

    const s4 = await run.prompt('Put the token into the Control UI?', 40_000);
    expect(s4).toContain('◆  the gateway is up');
    run.snap('setup-empty-home-4', s4);
    await run.t.sendKeys('Enter');
    await run.prompt('How do you want to get the token into the Control UI?');
    await run.t.sendKeys('Enter');

    expect(await run.exit(60_000)).toBe(0);
    const end = await run.finalScreen();
    expect(end).toContain('◆  the Control UI connected (seen in the gateway log)');
    expect(end).toContain('└  Ready: the gateway runs with a saved token and the Control UI has it.');
    run.snap('setup-empty-home-5', end);
    const config = configOf(join(stateDir, 'openclaw.json'));
    const token = config.gateway.auth?.token ?? '';
    expect(config.gateway.mode).toBe('local');
    expect(config.gateway.auth?.mode).toBe('token');
    expect(token).toMatch(/^[0-9a-f]{48}$/);
    expect(readFileSync(join(sb.root, 'browser.log'), 'utf8')).toBe('token hello-ok\n');
    // The gateway logged into the private directory, and the browser's connect is there.
    expect(readdirSync(logDir).filter((f) => /^openclaw-\d{4}-\d{2}-\d{2}\.log$/.test(f))).toHaveLength(1);
    expect(
      readdirSync(logDir)
        .map((f) => readFileSync(join(logDir, f), 'utf8'))
        .join(''),
    ).toContain('webchat connected');
    expectNoRawToken(run, [token]);
  }, 90_000);

  it('rotate: explicit confirmation, hot reload, .env propagated with a backup, Control UI', async () => {
    const sb = await scenario('healthy');
    const old = sb.tokens[0]!;
    const envFile = join(sb.stateDir, '.env');
    const envBefore = `# gateway token for local CLIs\nOPENCLAW_GATEWAY_TOKEN=${old}\n`;
    writeFileSync(envFile, envBefore, { mode: 0o600 });
    const run = await launch(sb, ['rotate']);

    const s1 = await run.prompt('Rotate the gateway token?');
    expect(s1).toContain('is refused until it gets the new one');
    // An explicit confirmation defaults to No: one Enter never breaks every client.
    expect(s1).toMatch(/○ Yes \/ ● No/);
    run.snap('rotate-propagate-1', s1);
    await run.t.sendKeys('y');

    const s2 = await run.prompt('Give the new token to every place that holds the old one?');
    const token = configOf(sb.configPath).gateway.auth?.token ?? '';
    expect(token).toMatch(/^[0-9a-f]{48}$/);
    expect(flat(s2)).toContain(`rotated the gateway token to ${fp(token)} (48 chars)`);
    expect(flat(s2)).toContain('The running gateway applied it without a restart (hot reload).');
    expect(s2).not.toContain('Restart the gateway');
    run.snap('rotate-propagate-2', s2);
    await run.t.sendKeys('Enter');

    const s3 = await run.prompt('Put the token into the Control UI?', 30_000);
    const backups = backupsOf(sb.stateDir, join(sb.stateDir, '.env'));
    expect(backups).toHaveLength(1);
    const backup = backups[0]!;
    const flat3 = flat(s3);
    expect(unboxed(s3)).toContain(`(backup${backup})`);
    expect(flat3).toContain('Still to do by hand: other browsers and devices');
    run.snap('rotate-propagate-3', s3);
    await run.t.sendKeys('Enter');
    await run.prompt('How do you want to get the token into the Control UI?');
    await run.t.sendKeys('Enter');

    expect(await run.exit(60_000)).toBe(0);
    const end = await run.finalScreen();
    expect(end).toContain('└  Connected: the gateway accepts the token and no client reports a failure.');
    run.snap('rotate-propagate-4', end);
    const envNow = readFileSync(envFile, 'utf8');
    const value = /^OPENCLAW_GATEWAY_TOKEN=(.*)$/m.exec(envNow)?.[1] ?? '';
    expect(fp(value)).toBe(fp(token));
    expect(envNow).toBe(`# gateway token for local CLIs\nOPENCLAW_GATEWAY_TOKEN=${token}\n`);
    expect(readFileSync(backup, 'utf8')).toBe(envBefore);
    expect(readFileSync(join(sb.root, 'browser.log'), 'utf8')).toBe('token hello-ok\n');
    expectNoRawToken(run, [token, old]);
  }, 90_000);

  describe('Ctrl-C', () => {
    it('at the first confirmation: exit 130, "Nothing was changed.", every file byte-identical', async () => {
      const sb = await scenario('token-missing');
      const run = await launch(sb, ['recover']);
      await run.prompt('Generate a gateway token and save it in the config?');
      // The run's own lock exists while it runs and is gone when it ends: not a change to the setup.
      const runLock = new Set([join(sb.stateDir, 'openclaw-token-wizard.lock')]);
      const before = filesUnder(sb.root, runLock);
      await run.t.sendKeys('C-c');
      expect(await run.exit()).toBe(130);
      const all = await run.t.capture({ history: true });
      expect(all).toContain('●  Nothing was changed.');
      expect(all).not.toContain('Already changed before you stopped');
      expect(all).toContain('└  Cancelled. Nothing else was changed.');
      run.snap('ctrl-c-first-confirm', await run.finalScreen());
      expect(changedFiles(before, filesUnder(sb.root, runLock))).toEqual([]);
      expectNoRawToken(run, sb.tokens);
    });

    it('at the second confirmation: exit 130, the summary names the config change and its backup', async () => {
      const sb = await scenario('token-missing');
      const original = readFileSync(sb.configPath);
      // The gateway writes its own log as the wizard probes it: not the wizard's change.
      const gatewayWritten = new Set([sb.logFile, join(sb.root, 'logs', 'gateway-console.log'), join(sb.stateDir, 'openclaw-token-wizard.lock')]);
      const run = await launch(sb, ['recover']);
      await run.prompt('Generate a gateway token and save it in the config?');
      const before = filesUnder(sb.root, gatewayWritten);
      await run.t.sendKeys('Enter');
      await run.prompt('Restart the gateway so it enforces the config token?');
      await run.t.sendKeys('C-c');
      expect(await run.exit()).toBe(130);
      const all = await run.t.capture({ history: true });
      const backups = backupsOf(sb.stateDir, sb.configPath);
      expect(backups).toHaveLength(1);
      expect(all).toContain('Already changed before you stopped');
      // The box wraps the long path onto its own line, under "backup:".
      expect(unboxed(all)).toContain(`backup:${backups[0]}`);
      expect(all).toContain('└  Cancelled. Nothing else was changed.');
      run.snap('ctrl-c-second-confirm', await run.finalScreen());
      const after = filesUnder(sb.root, gatewayWritten);
      const changed = changedFiles(before, after);
      const rel = (p: string) => relative(sb.root, p);
      // The config (edited in place, so no `openclaw config set` .bak), its backup, and the run's undo journal.
      const journals = changed.filter((f) => f.startsWith(rel(join(sb.stateDir, 'otw-journal')) + '/'));
      expect(journals).toHaveLength(1);
      expect(changed).toEqual([rel(sb.configPath), rel(backups[0]!), journals[0]!].sort());
      expect(readFileSync(backups[0]!)).toEqual(original);
      const token = configOf(sb.configPath).gateway.auth?.token ?? '';
      expect(token).toMatch(/^[0-9a-f]{48}$/);
      expectNoRawToken(run, [token]);
    });
  });

  it('no terminal (recover | cat): never prompts, behaves like diagnose, hint on stderr, exit 1', async () => {
    const sb = await scenario('token-missing');
    const before = readFileSync(sb.configPath);
    const run = await launch(sb, ['recover'], { pipe: true });
    const code = await run.exit();
    const all = await run.t.capture({ history: true });
    expect(code, `${all}\n--- stderr:\n${readFileSync(join(sb.root, 'stderr.txt'), 'utf8')}`).toBe(1);
    const stderr = readFileSync(join(sb.root, 'stderr.txt'), 'utf8');
    expect(all).not.toContain('◆');
    expect(all).toContain('client-token-missing');
    expect(all).toContain('no-token-configured');
    expect(stderr).toContain('Not a terminal: nothing was changed.');
    expect(all).not.toContain('Not a terminal');
    run.snap('no-tty-recover', await run.finalScreen());
    expect(readFileSync(sb.configPath)).toEqual(before);
    expectNoRawToken(run, sb.tokens);
  });
});

/** Through the token-missing recovery to the Control UI choice: token saved, gateway restarted. */
async function toControlUiChoice(run: Run): Promise<string> {
  await run.prompt('Generate a gateway token and save it in the config?');
  await run.t.sendKeys('Enter');
  await run.prompt('Restart the gateway so it enforces the config token?');
  await run.t.sendKeys('y');
  await run.prompt('Put the token into the Control UI?', 40_000);
  await run.t.sendKeys('Enter');
  return run.prompt('How do you want to get the token into the Control UI?');
}

describe('stopping and waiting (issue 8, points 5 and 6)', () => {
  it('Ctrl-C while waiting for the Control UI: exit 130, what was already changed and what is still to do', async () => {
    const sb = await scenario('token-missing');
    const run = await launch(sb, ['recover'], { browser: 'silent' });
    await toControlUiChoice(run);
    await run.t.sendKeys('Enter');
    const waiting = flat(await run.t.waitForText('Waiting for the Control UI to connect', 20_000));
    expect(waiting).toContain('Waiting up to 90 s (--wait SECONDS) for the Control UI to connect. Enter: done or skip, stop waiting; Ctrl-C: stop the wizard.');
    await run.t.sendKeys('C-c');
    expect(await run.exit()).toBe(130);
    const all = flat(await run.t.capture({ history: true }));
    expect(all).toContain('■  Waiting for the Control UI to connect (watching the gateway log): stopped');
    expect(all).toContain('Already changed before you stopped');
    expect(all).toContain('Still to do');
    expect(all).toContain('└  Cancelled. Nothing else was changed.');
    expect(all).not.toContain('Connected:');
    // The browser got the link and did nothing with it: the wait was real.
    expect(readFileSync(join(sb.root, 'browser.log'), 'utf8')).toBe('silent 1\n');
    run.snap('ctrl-c-control-ui-wait', await run.finalScreen());
    expectNoRawToken(run, [configOf(sb.configPath).gateway.auth?.token ?? '', ...sb.tokens]);
  }, 90_000);

  it('Ctrl-C while waiting for the gateway to come back: exit 130 and the summary, never "Cancelled" with exit 0', async () => {
    const sb = await scenario('token-missing');
    // An openclaw whose gateway takes 30 s to start: the wizard is still waiting for it when Ctrl-C comes.
    const slowBin = join(sb.root, 'slow-bin');
    mkdirSync(slowBin);
    writeFileSync(join(slowBin, 'openclaw'), `#!/bin/sh\nif [ "$1" = gateway ] && [ "$2" = run ]; then sleep 30; fi\nexec ${q(join(sb.bin, 'openclaw'))} "$@"\n`);
    chmodSync(join(slowBin, 'openclaw'), 0o755);
    const run = await launch(sb, ['recover'], { env: { PATH: `${slowBin}:${sb.env.PATH}` } });
    await run.prompt('Generate a gateway token and save it in the config?');
    await run.t.sendKeys('Enter');
    await run.prompt('Restart the gateway so it enforces the config token?');
    await run.t.sendKeys('y');
    await run.t.waitForText(/Waiting for the gateway to come back.*\[\d+s\]/, 30_000);
    await run.t.sendKeys('C-c');
    expect(await run.exit()).toBe(130);
    const all = flat(await run.t.capture({ history: true }));
    expect(all).toMatch(/■ {2}Waiting for the gateway to come back.*: stopped/);
    expect(all).toContain('Already changed before you stopped');
    expect(all).toContain('└  Cancelled. Nothing else was changed.');
    run.snap('ctrl-c-gateway-wait', await run.finalScreen());
  }, 90_000);

  it('Ctrl-D at a yes/no question ends like Ctrl-C: exit 130, "Nothing was changed."', async () => {
    const sb = await scenario('token-missing');
    const before = readFileSync(sb.configPath);
    const run = await launch(sb, ['recover']);
    await run.prompt('Generate a gateway token and save it in the config?');
    await run.t.sendKeys('C-d');
    expect(await run.exit()).toBe(130);
    const all = await run.t.capture({ history: true });
    expect(all).toContain('●  Nothing was changed.');
    expect(all).toContain('└  Cancelled. Nothing else was changed.');
    expect(readFileSync(sb.configPath)).toEqual(before);
  });

  it('Enter while waiting for the Control UI ends the wait: "Control UI has not connected yet", exit 3', async () => {
    const sb = await scenario('token-missing');
    const run = await launch(sb, ['recover', '--wait', '600'], { browser: 'silent' });
    await toControlUiChoice(run);
    await run.t.sendKeys('Enter');
    expect(flat(await run.t.waitForText('Waiting for the Control UI to connect', 20_000))).toContain('Waiting up to 600 s (--wait SECONDS)');
    await run.t.sendKeys('Enter');
    expect(await run.exit()).toBe(3);
    const all = flat(await run.t.capture({ history: true }));
    expect(all).toContain('Stopped waiting (Enter): no Control UI connection in the gateway log yet');
    expect(all).toContain('└  Gateway ready; the Control UI has not connected yet.');
    run.snap('control-ui-wait-enter', await run.finalScreen());
  }, 90_000);

  it('a Control UI refused after the hand-over is a warning (▲), never the success mark, and the run does not end Connected', async () => {
    const sb = await scenario('token-missing');
    const run = await launch(sb, ['recover'], { browser: 'stale-token' });
    await toControlUiChoice(run);
    await run.t.sendKeys('Enter');
    const code = await run.exit(60_000);
    const all = flat(await run.t.capture({ history: true }));
    // The browser did connect, with the wrong token, and the gateway refused it.
    expect(readFileSync(join(sb.root, 'browser.log'), 'utf8')).toBe('token rejected\n');
    expect(all).toContain('▲  The Control UI was refused: token_mismatch');
    expect(all).toContain('▲  the Control UI was refused: token_mismatch');
    expect(all).not.toMatch(/[◆●] {2}the Control UI was refused/);
    // The check after it names the refusal, and the run ends saying the Control UI is not connected.
    expect(all).toContain('■  A client presented the wrong token (gateway token mismatch) [client-token-mismatch]');
    expect(all).toContain('└  Gateway ready; the Control UI has not connected yet.');
    expect(all).not.toContain('Connected:');
    expect(code).toBe(3);
  }, 90_000);

  it('Skip at the Control UI choice: no wait starts (nothing can arrive), exit 3', async () => {
    const sb = await scenario('token-missing');
    const run = await launch(sb, ['recover']);
    await toControlUiChoice(run);
    // The last option (Skip): up from the first wraps round to it.
    await run.t.sendKeys('Up');
    await run.t.waitForText(/● Skip: I will paste the token myself/);
    await run.t.sendKeys('Enter');
    expect(await run.exit()).toBe(3);
    const all = flat(await run.t.capture({ history: true }));
    expect(all).not.toContain('Waiting for the Control UI');
    expect(all).not.toContain('--wait SECONDS');
    expect(all).toContain('└  Gateway ready; the Control UI has not connected yet.');
    expect(existsSync(join(sb.root, 'browser.log'))).toBe(false);
  }, 90_000);
});

describe('demo (issue 8, point 11)', () => {
  it('"open in my browser": the simulated Control UI in the sandbox follows the link, the gateway logs it, the run ends Connected', async () => {
    // Only to launch the CLI from: `demo` builds its own sandbox. No display and no $BROWSER here.
    const outer = await scenario('healthy');
    const run = await launch(outer, ['demo', 'token-missing'], { browser: 'none' });
    await run.prompt('Generate a gateway token and save it in the config?');
    await run.t.sendKeys('Enter');
    await run.prompt('Restart the gateway so it enforces the config token?');
    await run.t.sendKeys('y');
    await run.prompt('Put the token into the Control UI?', 40_000);
    await run.t.sendKeys('Enter');
    const choice = await run.prompt('How do you want to get the token into the Control UI?');
    expect(choice).toContain('│  ● Open the Control UI in my browser with the token (recommended)');
    await run.t.sendKeys('Enter');
    expect(await run.exit(60_000)).toBe(0);
    const all = flat(await run.t.capture({ history: true }));
    // Read from the fake gateway's log, where the simulated client's connect landed like a real tab's.
    expect(all).toMatch(/Verified: the Control UI connected at \S+ \(gateway log\)/);
    expect(all).toContain('◆  the Control UI connected (seen in the gateway log)');
    expect(all).toContain('└  Connected: the gateway accepts the token and no client reports a failure.');
  }, 90_000);
});
