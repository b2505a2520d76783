import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { run } from '../../src/exec.js';
import {
  deriveStateDir,
  lockDirs,
  looksLikeGatewayProcess,
  parseCmdline,
  parseEnviron,
  parseLockFile,
  parseLsofListeners,
  parseProcNetTcp,
  parseSsListeners,
  portOfAddress,
  readListeners,
} from '../../src/facts/listeners.js';
import { makeSandbox, type Sandbox } from '../support/sandbox.js';

const FIX = join(import.meta.dirname, '..', 'fixtures', 'listeners');
const fixture = (name: string): Promise<string> => readFile(join(FIX, name), 'utf8');

/** Tools at paths that cannot exist, to force the next fallback. */
const NO_SS = '/nonexistent/otw/ss';
const NO_LSOF = '/nonexistent/otw/lsof';
const hasTool = (p: string): boolean => existsSync(`/usr/bin/${p}`) || existsSync(`/usr/sbin/${p}`) || existsSync(`/sbin/${p}`);
const uid = typeof process.getuid === 'function' ? process.getuid() : 0;

describe('parsers', () => {
  it('parses real ss -ltnpH output of a gateway (v4 + v6 sockets, truncated comm)', async () => {
    const l = parseSsListeners(await fixture('ss-gateway.txt'));
    expect(l).toEqual([
      { address: '127.0.0.1:18789', port: 18789, pid: 18320, command: 'openclaw-gatewa' },
      { address: '[::1]:18789', port: 18789, pid: 18320, command: 'openclaw-gatewa' },
    ]);
  });

  it('parses ss output with a header, no process column, shared sockets and odd names', async () => {
    const l = parseSsListeners(await fixture('ss-mixed.txt'));
    expect(l).toEqual([
      { address: '0.0.0.0:18789', port: 18789, pid: null, command: null },
      { address: '[::]:18789', port: 18789, pid: 1201, command: 'docker-proxy' },
      { address: '127.0.0.1:18789', port: 18789, pid: 300, command: 'node' },
      { address: '127.0.0.1:18789', port: 18789, pid: 301, command: 'node' },
      { address: '127.0.0.1%lo:18790', port: 18790, pid: 77, command: 'tmux: server' },
    ]);
    expect(parseSsListeners('')).toEqual([]);
  });

  it('parses lsof -F output', async () => {
    const l = parseLsofListeners(await fixture('lsof-gateway.txt'));
    expect(l).toEqual([
      { address: '127.0.0.1:18789', port: 18789, pid: 18320, command: 'openclaw-gatewa' },
      { address: '[::1]:18789', port: 18789, pid: 18320, command: 'openclaw-gatewa' },
      { address: '*:18789', port: 18789, pid: 1201, command: 'docker-proxy' },
    ]);
    expect(parseLsofListeners('p1\ncx\nn127.0.0.1:1->127.0.0.1:2\n')).toEqual([]);
  });

  it('parses /proc/net/tcp and tcp6 (hex, host byte order, state 0A)', async () => {
    const v4 = parseProcNetTcp(await fixture('proc-net-tcp.txt'));
    expect(v4.map((e) => [e.address, e.state, e.inode])).toEqual([
      ['0.0.0.0:22', '0A', 1130],
      ['127.0.0.1:18789', '0A', 67776],
      ['127.0.0.1:18789', '01', 67890],
      ['127.0.0.1:19745', '0A', 70001],
    ]);
    expect(v4[1]?.uid).toBe(1000);
    const v6 = parseProcNetTcp(await fixture('proc-net-tcp6.txt'));
    expect(v6.map((e) => [e.address, e.state, e.inode])).toEqual([
      ['[::1]:18789', '0A', 67777],
      ['[::]:8080', '0A', 5555],
      ['[::ffff:127.0.0.1]:18789', '01', 67999],
      ['[fe80::1]:80', '0A', 6666],
    ]);
  });

  it('parses cmdline and environ blobs', () => {
    expect(parseCmdline('node\0/x/openclaw.mjs\0gateway\0run\0')).toEqual(['node', '/x/openclaw.mjs', 'gateway', 'run']);
    // process.title leaves the new name followed by NUL padding
    expect(parseCmdline('openclaw-gateway\0\0\0\0\0')).toEqual(['openclaw-gateway']);
    expect(parseEnviron('HOME=/h\0A=b=c\0=bad\0noeq\0EMPTY=\0')).toEqual({ HOME: '/h', A: 'b=c', EMPTY: '' });
  });

  it('derives the state dir as OpenClaw does', () => {
    expect(deriveStateDir({ HOME: '/h' }).stateDir).toBe('/h/.openclaw');
    expect(deriveStateDir({ HOME: '/h', OPENCLAW_STATE_DIR: '/s' })).toEqual({ stateDir: '/s', configPath: null, home: '/h' });
    expect(deriveStateDir({ HOME: '/h', OPENCLAW_STATE_DIR: '~/custom' }).stateDir).toBe('/h/custom');
    expect(deriveStateDir({ HOME: '/h', OPENCLAW_HOME: '/oc' })).toEqual({ stateDir: '/oc/.openclaw', configPath: null, home: '/oc' });
    // As OpenClaw (and src/facts/paths.ts): an exported OPENCLAW_PROFILE does not move the state dir.
    expect(deriveStateDir({ HOME: '/h', OPENCLAW_PROFILE: 'work' }).stateDir).toBe('/h/.openclaw');
    expect(deriveStateDir({ HOME: '/h', OPENCLAW_PROFILE: 'default' }).stateDir).toBe('/h/.openclaw');
    expect(deriveStateDir({ HOME: '/h', OPENCLAW_CONFIG_PATH: '/c.json' }).configPath).toBe('/c.json');
    expect(deriveStateDir({ HOME: '/h' }, ['openclaw', '--dev', 'gateway']).stateDir).toBe('/h/.openclaw-dev');
    expect(deriveStateDir({ HOME: '/h' }, ['openclaw', '--profile=x', 'gateway']).stateDir).toBe('/h/.openclaw-x');
    expect(deriveStateDir({}).stateDir).toBeNull();
  });

  it('tells gateway processes from other processes that mention openclaw', () => {
    expect(looksLikeGatewayProcess('openclaw-gatewa', ['openclaw-gateway'])).toBe(true);
    expect(looksLikeGatewayProcess('node', ['node', '-e', '0', 'openclaw-gateway'])).toBe(true);
    expect(looksLikeGatewayProcess('node', ['node', '/x/node_modules/openclaw/openclaw.mjs', 'gateway', 'run', '--port', '1'])).toBe(true);
    expect(looksLikeGatewayProcess('openclaw', ['/usr/bin/openclaw', '--dev', 'gateway'])).toBe(true);
    expect(looksLikeGatewayProcess('node', ['node', '/usr/lib/node_modules/openclaw/dist/index.js', 'gateway', '--port', '18789'])).toBe(true);
    expect(looksLikeGatewayProcess('openclaw', ['openclaw', 'gateway', 'status', '--json'])).toBe(false);
    expect(looksLikeGatewayProcess('node', ['node', '/w/openclaw-token-wizard/bin/openclaw-token-wizard.js'])).toBe(false);
    expect(looksLikeGatewayProcess('vim', ['vim', '/h/.openclaw/openclaw.json'])).toBe(false);
    expect(looksLikeGatewayProcess(null, [])).toBe(false);
  });

  it('parses lock payloads, tolerating garbage', async () => {
    expect(parseLockFile(await fixture('lock-gateway.json'))).toEqual({
      pid: 18320,
      configPath: '/home/u/.openclaw/openclaw.json',
      stateDir: '/home/u/.openclaw',
      port: 18789,
    });
    // A real 2026.9.6 lock: pretty JSON padded with spaces/tabs to a fixed size (444 bytes).
    const real = await fixture('gateway.state.lock');
    expect(real).toMatch(/\}\n[ \t]+\n$/);
    expect(parseLockFile(real)).toEqual({ pid: 1677, configPath: '/home/u/.openclaw/openclaw.json', stateDir: '/home/u/.openclaw', port: 36459 });
    expect(parseLockFile('{"pid":')).toEqual({ pid: null, configPath: null, stateDir: null, port: null });
    expect(parseLockFile('{"pid":-3,"configPath":5}')).toEqual({ pid: null, configPath: null, stateDir: null, port: null });
    expect(portOfAddress('[::1]:18789')).toBe(18789);
    expect(portOfAddress('*:*')).toBeNull();
  });

  it('lists current and legacy lock dirs', () => {
    const dirs = lockDirs(['/s'], { TMPDIR: '/t' }, 501);
    expect(dirs).toContain('/s/tmp/openclaw-501');
    expect(dirs).toContain('/t/openclaw-501');
    expect(dirs).toContain(join(tmpdir(), 'openclaw-501'));
    expect(lockDirs(['/s'], {}, null)).toEqual([]);
  });
});

/* ------------------------------------------------------------------------------------------ */

interface Child {
  proc: ChildProcess;
  pid: number;
  port: number;
}

/**
 * A stand-in gateway: a node process listening on a free loopback port (port 0, reported on
 * stdout, so there is no race for the port), with `openclaw-gateway` in its argv or as its title.
 */
function startFakeGateway(env: NodeJS.ProcessEnv, opts: { title?: boolean } = {}): Promise<Child> {
  const code = [
    opts.title ? "process.title = 'openclaw-gateway';" : '',
    "const s = require('node:net').createServer();",
    "s.listen(0, '127.0.0.1', () => { process.stdout.write(s.address().port + '\\n'); });",
    'setInterval(() => {}, 1000);',
  ].join('\n');
  const proc = spawn(process.execPath, ['-e', code, 'openclaw-gateway'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    proc.once('error', reject);
    proc.once('exit', (c) => reject(new Error(`fake gateway exited early (${c})`)));
    proc.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^(\d+)\n/.exec(out);
      if (m) resolve({ proc, pid: proc.pid!, port: Number(m[1]) });
    });
  });
}

function stop(child: Child): Promise<void> {
  if (child.proc.exitCode !== null || child.proc.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.proc.once('exit', () => resolve());
    child.proc.kill('SIGTERM'); // by its own pid, via the ChildProcess handle
  });
}

describe('readListeners against live processes', () => {
  let sb: Sandbox;
  let stateDir: string;
  const children: Child[] = [];

  beforeEach(async () => {
    sb = await makeSandbox('otw-listeners-');
    stateDir = join(sb.home, 'custom-state');
  });

  afterEach(async () => {
    await Promise.all(children.splice(0).map(stop));
    await sb.cleanup();
  });

  async function gateway(opts: { title?: boolean; stateDir?: string } = {}): Promise<Child> {
    const c = await startFakeGateway({ ...sb.env, OPENCLAW_STATE_DIR: opts.stateDir ?? stateDir }, opts);
    children.push(c);
    return c;
  }

  it.skipIf(!hasTool('ss'))('captures real ss -ltnpH output of a started server and parses it', async () => {
    const c = await gateway();
    const r = await run('ss', ['-ltnpH', `sport = :${c.port}`], { timeoutMs: 5000 });
    expect(r.ok).toBe(true);
    // The captured text has the same shape as the static fixture.
    expect(r.stdout).toMatch(new RegExp(`^LISTEN\\s+\\d+\\s+\\d+\\s+127\\.0\\.0\\.1:${c.port}\\s+0\\.0\\.0\\.0:\\*\\s+users:\\(\\("node",pid=${c.pid},fd=\\d+\\)\\)`));
    expect(parseSsListeners(r.stdout)).toEqual([{ address: `127.0.0.1:${c.port}`, port: c.port, pid: c.pid, command: 'node' }]);
  });

  const methods = [
    { method: 'ss', tools: {}, need: 'ss' },
    { method: 'lsof', tools: { ss: NO_SS }, need: 'lsof' },
    { method: 'proc', tools: { ss: NO_SS, lsof: NO_LSOF }, need: null },
  ] as const;
  for (const m of methods) {
    it.skipIf(m.need !== null && !hasTool(m.need))(`finds the listener's pid, cmdline and state dir via ${m.method}`, async () => {
      const c = await gateway();
      const facts = await readListeners({ port: c.port, host: '127.0.0.1', env: sb.env, stateDirs: [], timeoutMs: 5000, tools: m.tools });
      expect(facts.method).toBe(m.method);
      expect(facts.error).toBeNull();
      expect(facts.listeners).toHaveLength(1);
      expect(facts.listeners[0]).toMatchObject({
        pid: c.pid,
        address: `127.0.0.1:${c.port}`,
        command: 'node',
        isGateway: true,
        stateDir,
        configPath: null,
        home: sb.home,
      });
      expect(facts.listeners[0]?.commandLine).toMatch(/-e .*openclaw-gateway$/s);
      expect(facts.listeners[0]?.commandLine?.startsWith(process.execPath)).toBe(true);
      expect(facts.otherGateways.map((g) => g.pid)).not.toContain(c.pid);
    });
  }

  it('falls back to /proc when ss and lsof are missing, and says why only if all fail', async () => {
    const c = await gateway();
    const facts = await readListeners({ port: c.port, env: sb.env, stateDirs: [], timeoutMs: 5000, tools: { ss: NO_SS, lsof: NO_LSOF } });
    expect(facts.method).toBe('proc');
    expect(facts.listeners.map((l) => l.pid)).toEqual([c.pid]);

    const empty = await mkdtemp(join(tmpdir(), 'otw-noproc-'));
    try {
      const none = await readListeners({ port: c.port, env: sb.env, stateDirs: [], timeoutMs: 5000, tools: { ss: NO_SS, lsof: NO_LSOF }, procRoot: empty });
      expect(none.method).toBe('none');
      expect(none.listeners).toEqual([]);
      expect(none.error).toMatch(/ss: .*not found.*lsof: .*not found.*net\/tcp: not readable/);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });

  it('reports a free port as no listeners (not as an error)', async () => {
    const c = await gateway();
    await stop(c);
    const facts = await readListeners({ port: c.port, env: sb.env, stateDirs: [], timeoutMs: 5000 });
    expect(facts.error).toBeNull();
    expect(facts.method).not.toBe('none');
    expect(facts.listeners).toEqual([]);
  });

  it('lists gateways on other ports as otherGateways, with where they listen', async () => {
    const otherState = join(sb.home, '.openclaw-work');
    const [a, b] = await Promise.all([gateway(), gateway({ title: true, stateDir: otherState })]);
    const facts = await readListeners({ port: a.port, env: sb.env, stateDirs: [], timeoutMs: 5000 });
    expect(facts.listeners.map((l) => l.pid)).toEqual([a.pid]);
    const other = facts.otherGateways.find((g) => g.pid === b.pid);
    expect(other).toMatchObject({
      command: 'openclaw-gatewa',
      commandLine: 'openclaw-gateway',
      isGateway: true,
      stateDir: otherState,
      address: `127.0.0.1:${b.port}`,
    });
    expect(facts.otherGateways.map((g) => g.pid)).not.toContain(a.pid);
  });

  it('reads lock files (current and legacy dirs) and tests their pids without killing', async () => {
    const c = await gateway();
    // A pid that certainly existed and is now gone.
    const dead = spawn(process.execPath, ['-e', '0']);
    const deadPid = dead.pid!;
    await new Promise((r) => dead.once('exit', r));

    const lockDir = join(stateDir, 'tmp', `openclaw-${uid}`);
    await mkdir(lockDir, { recursive: true });
    await writeFile(join(lockDir, 'gateway.state.lock'), JSON.stringify({ pid: deadPid, configPath: '/gone.json', createdAt: 'x' }));
    await writeFile(join(lockDir, 'gateway.0123abcd.lock'), JSON.stringify({ pid: c.pid, configPath: join(stateDir, 'openclaw.json'), port: c.port }));
    await writeFile(join(lockDir, 'gateway.ffff0000.lock'), '{"pid": 12'); // torn write
    await writeFile(join(lockDir, 'unrelated.lock'), '{}');
    // 2026.9.6 keeps empty sqlite sidecars next to its locks: not locks themselves.
    await writeFile(join(lockDir, 'gateway.state.lock.sqlite'), '');
    const legacyTmp = join(sb.cwd, 'tmp');
    await mkdir(join(legacyTmp, `openclaw-${uid}`), { recursive: true });
    await writeFile(join(legacyTmp, `openclaw-${uid}`, 'gateway.aaaa1111.lock'), JSON.stringify({ pid: 1, configPath: '/legacy.json' }));

    const facts = await readListeners({
      port: c.port,
      env: { ...sb.env, TMPDIR: legacyTmp },
      // The listener's own state dir is found from its environ; it need not be passed in.
      stateDirs: [],
      timeoutMs: 5000,
    });
    const byName = (n: string) => facts.locks.find((l) => l.file.endsWith(n));
    expect(byName('gateway.state.lock')).toEqual({ file: join(lockDir, 'gateway.state.lock'), pid: deadPid, configPath: '/gone.json', port: null, alive: false, stateDir: null });
    expect(byName('gateway.0123abcd.lock')).toMatchObject({ pid: c.pid, port: c.port, alive: true });
    expect(byName('gateway.ffff0000.lock')).toMatchObject({ pid: null, alive: null });
    expect(byName('unrelated.lock')).toBeUndefined();
    expect(byName('.sqlite')).toBeUndefined();
    expect(byName('gateway.aaaa1111.lock')).toMatchObject({ pid: 1, configPath: '/legacy.json', alive: true });
    // Still running: reading locks never signals anything but 0.
    expect(c.proc.exitCode).toBeNull();
  });
});

describe('readListeners against a fixture /proc tree', () => {
  let root: string;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'otw-fakeproc-'));
    await mkdir(join(root, 'net'));
    await writeFile(join(root, 'net', 'tcp'), await fixture('proc-net-tcp.txt'));
    await writeFile(join(root, 'net', 'tcp6'), await fixture('proc-net-tcp6.txt'));
    const proc = async (pid: number, p: { comm: string; argv: string[]; env?: string[]; ppid: number; sockets: number[] }) => {
      const d = join(root, String(pid));
      await mkdir(join(d, 'fd'), { recursive: true });
      await writeFile(join(d, 'comm'), p.comm + '\n');
      await writeFile(join(d, 'cmdline'), p.argv.join('\0') + '\0');
      if (p.env) await writeFile(join(d, 'environ'), p.env.join('\0') + '\0');
      await writeFile(join(d, 'stat'), `${pid} (${p.comm}) S ${p.ppid} ${pid} ${pid} 0 -1 4194304`);
      await symlink('/dev/null', join(d, 'fd', '0'));
      for (const [i, inode] of p.sockets.entries()) await symlink(`socket:[${inode}]`, join(d, 'fd', String(10 + i)));
    };
    // The real shape: `openclaw-gateway` (title set, parent pid 1) owns both loopback sockets ...
    // `openclaw --profile work` exports OPENCLAW_PROFILE and OPENCLAW_STATE_DIR to the gateway it starts.
    await proc(4242, {
      comm: 'openclaw-gatewa',
      argv: ['openclaw-gateway'],
      env: ['HOME=/home/u', 'OPENCLAW_PROFILE=work', 'OPENCLAW_STATE_DIR=/home/u/.openclaw-work'],
      ppid: 1,
      sockets: [67776, 67777],
    });
    // ... its helper worker (child) and the foreground launcher with the same state dir ...
    await proc(4250, {
      comm: 'node',
      argv: ['node', '/x/node_modules/openclaw/openclaw.mjs', 'gateway', 'run'],
      env: ['HOME=/home/u', 'OPENCLAW_PROFILE=work', 'OPENCLAW_STATE_DIR=/home/u/.openclaw-work'],
      ppid: 4242,
      sockets: [],
    });
    await proc(4200, { comm: 'openclaw', argv: ['openclaw', '--profile', 'work', 'gateway', 'run', '--port', '18789'], env: ['HOME=/home/u', 'OPENCLAW_PROFILE=work'], ppid: 100, sockets: [] });
    // ... a stale gateway of another profile on port 19745, one with unreadable environ, and noise.
    await proc(5000, { comm: 'openclaw-gatewa', argv: ['openclaw-gateway'], env: ['HOME=/home/u', 'OPENCLAW_STATE_DIR=/srv/oc'], ppid: 1, sockets: [70001] });
    await proc(5100, { comm: 'openclaw-gatewa', argv: ['openclaw-gateway'], ppid: 1, sockets: [] });
    await proc(6000, { comm: 'openclaw', argv: ['openclaw', 'gateway', 'status'], env: ['HOME=/home/u'], ppid: 100, sockets: [] });
    await proc(7000, { comm: 'sshd', argv: ['sshd: /usr/sbin/sshd -D'], ppid: 1, sockets: [1130] });
  });

  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('maps socket inodes to pids and classifies other gateways', async () => {
    const facts = await readListeners({
      port: 18789,
      host: '::1',
      env: { PATH: '/usr/bin:/bin' },
      stateDirs: [],
      timeoutMs: 2000,
      tools: { ss: NO_SS, lsof: NO_LSOF },
      procRoot: root,
    });
    expect(facts.method).toBe('proc');
    // host ::1 puts the v6 socket first
    expect(facts.listeners).toEqual([
      {
        pid: 4242,
        address: '[::1]:18789',
        command: 'openclaw-gatewa',
        commandLine: 'openclaw-gateway',
        isGateway: true,
        stateDir: '/home/u/.openclaw-work',
        configPath: null,
        home: '/home/u',
        stateDirSource: 'environment',
      },
      {
        pid: 4242,
        address: '127.0.0.1:18789',
        command: 'openclaw-gatewa',
        commandLine: 'openclaw-gateway',
        isGateway: true,
        stateDir: '/home/u/.openclaw-work',
        configPath: null,
        home: '/home/u',
        stateDirSource: 'environment',
      },
    ]);
    const others = new Map(facts.otherGateways.map((g) => [g.pid, g]));
    expect([...others.keys()].sort()).toEqual([5000, 5100]);
    expect(others.get(5000)).toMatchObject({ address: '127.0.0.1:19745', stateDir: '/srv/oc', isGateway: true });
    expect(others.get(5100)).toMatchObject({ address: '', stateDir: null, home: null });
  });

  it('skips the scan of every process when the port is served by a gateway of a diagnosed state dir', async () => {
    const base = { port: 18789, env: { PATH: '/usr/bin:/bin' }, timeoutMs: 2000, tools: { ss: NO_SS, lsof: NO_LSOF }, procRoot: root } as const;
    const served = await readListeners({ ...base, stateDirs: ['/home/u/.openclaw-work'] });
    expect(served.listeners.map((l) => l.pid)).toEqual([4242, 4242]);
    expect(served.otherGateways).toEqual([]);
    // The same port seen from another profile's state dir: the other gateways explain the mismatch.
    const elsewhere = await readListeners({ ...base, stateDirs: ['/home/u/.openclaw'] });
    expect(elsewhere.otherGateways.map((g) => g.pid).sort()).toEqual([5000, 5100]);
    const always = await readListeners({ ...base, stateDirs: ['/home/u/.openclaw-work'], otherGateways: 'always' });
    expect(always.otherGateways.map((g) => g.pid).sort()).toEqual([5000, 5100]);
    expect((await readListeners({ ...base, stateDirs: [], otherGateways: 'never' })).otherGateways).toEqual([]);
  });

  it('reports a pid-less listener when no visible process owns the socket', async () => {
    const facts = await readListeners({ port: 8080, env: {}, stateDirs: [], timeoutMs: 2000, tools: { ss: NO_SS, lsof: NO_LSOF }, procRoot: root });
    expect(facts.listeners).toEqual([{ pid: null, address: '[::]:8080', command: null, commandLine: null, isGateway: false, stateDir: null, configPath: null, home: null }]);
  });
});
