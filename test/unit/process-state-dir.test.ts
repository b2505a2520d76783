import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readListeners } from '../../src/facts/listeners.js';
import { attributeOpenFiles, parseLockPayload, profileStateDirs } from '../../src/facts/process-state-dir.js';

const NO_SS = '/nonexistent/otw/ss';
const NO_LSOF = '/nonexistent/otw/lsof';
const uid = typeof process.getuid === 'function' ? process.getuid() : 0;

describe('attributeOpenFiles (pure)', () => {
  const lock = (pid: number, stateDir: string) => () => ({ pid, stateDir, configPath: `${stateDir}/openclaw.json`, port: 19001 });

  it('a held lock naming the pid gives state dir, config and port', () => {
    const a = attributeOpenFiles(['/dev/null', 'socket:[1]', '/h/.openclaw-dev/tmp/openclaw-0/gateway.state.lock'], 42, lock(42, '/h/.openclaw-dev'));
    expect(a).toEqual({ stateDir: '/h/.openclaw-dev', configPath: '/h/.openclaw-dev/openclaw.json', port: 19001, via: 'lock', file: '/h/.openclaw-dev/tmp/openclaw-0/gateway.state.lock' });
  });

  it('a lock naming another pid is not trusted; the state database still tells', () => {
    const a = attributeOpenFiles(['/h/.openclaw-x/tmp/openclaw-0/gateway.state.lock', '/h/.openclaw-work/state/openclaw.sqlite-wal'], 42, lock(7, '/h/.openclaw-x'));
    expect(a).toMatchObject({ stateDir: '/h/.openclaw-work', via: 'state-db', configPath: null });
  });

  it('nothing telling, a deleted file, or an unrelated sqlite: null', () => {
    expect(attributeOpenFiles(['/dev/null', 'pipe:[3]'], 1, () => null)).toBeNull();
    expect(attributeOpenFiles(['/h/.openclaw/state/openclaw.sqlite (deleted)'], 1, () => null)).toBeNull();
    expect(attributeOpenFiles(['/h/data/other.sqlite', '/tmp/openclaw-state-locks-0/state-handles.x.lock.sqlite'], 1, () => null)).toBeNull();
  });

  it('lock payloads: the real padded shape and garbage', () => {
    expect(parseLockPayload('{"pid": 5, "stateDir": "/s", "configPath": "/s/openclaw.json", "port": 19001}\n\t \t\n')).toEqual({ pid: 5, stateDir: '/s', configPath: '/s/openclaw.json', port: 19001 });
    expect(parseLockPayload('{"pid":')).toEqual({ pid: null, stateDir: null, configPath: null, port: null });
  });
});

describe('readListeners attributes a --dev / --profile gateway from what it has open (fixture /proc)', () => {
  let root: string;
  let home: string;
  const proc = join('proc');

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'otw-openfiles-'));
    home = join(root, 'home');
    await mkdir(join(root, proc, 'net'), { recursive: true });
    // Two listeners: 127.0.0.1:19001 (inode 900) and 127.0.0.1:20555 (inode 901).
    const row = (sl: number, port: number, inode: number) =>
      `  ${sl}: 0100007F:${port.toString(16).toUpperCase().padStart(4, '0')} 00000000:0000 0A 00000000:00000000 00:00000000 00000000  ${uid}        0 ${inode} 1 0000000000000000 100 0 0 10 0`;
    await writeFile(
      join(root, proc, 'net', 'tcp'),
      ['  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode', row(0, 19001, 900), row(1, 20555, 901), row(2, 20777, 902)].join('\n') + '\n',
    );
    await writeFile(join(root, proc, 'net', 'tcp6'), '');
  });

  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  async function gatewayProc(pid: number, opts: { sockets: number[]; files: string[]; readableFds?: boolean }): Promise<void> {
    const d = join(root, proc, String(pid));
    await mkdir(join(d, 'fd'), { recursive: true });
    await writeFile(join(d, 'comm'), 'openclaw-gatewa\n');
    await writeFile(join(d, 'cmdline'), 'openclaw-gateway\0\0\0');
    // What 2026.9.6 leaves in a --dev/--profile gateway's environ: HOME and PATH, nothing else.
    await writeFile(join(d, 'environ'), `HOME=${home}\0PATH=/usr/bin\0`);
    await writeFile(join(d, 'stat'), `${pid} (openclaw-gatewa) S 1 ${pid} ${pid} 0 -1 4194304`);
    let fd = 10;
    for (const inode of opts.sockets) await symlink(`socket:[${inode}]`, join(d, 'fd', String(fd++)));
    for (const f of opts.files) await symlink(f, join(d, 'fd', String(fd++)));
  }

  async function stateFiles(stateDir: string, pid: number, port: number): Promise<{ db: string; lock: string }> {
    await mkdir(join(stateDir, 'state'), { recursive: true });
    await mkdir(join(stateDir, 'tmp', `openclaw-${uid}`), { recursive: true });
    const db = join(stateDir, 'state', 'openclaw.sqlite');
    const lock = join(stateDir, 'tmp', `openclaw-${uid}`, 'gateway.state.lock');
    await writeFile(db, '');
    await writeFile(lock, JSON.stringify({ pid, configPath: join(stateDir, 'openclaw.json'), stateDir, port }, null, 2) + '\n\t \t\n');
    return { db, lock };
  }

  const read = (port: number) => readListeners({ port, env: { HOME: home, PATH: '/usr/bin:/bin' }, stateDirs: [], timeoutMs: 2000, tools: { ss: NO_SS, lsof: NO_LSOF }, procRoot: join(root, proc) });

  it('--dev: its held lock names ~/.openclaw-dev (HOME alone would say ~/.openclaw)', async () => {
    const dev = join(home, '.openclaw-dev');
    const f = await stateFiles(dev, 3001, 19001);
    await gatewayProc(3001, { sockets: [900], files: ['/dev/null', f.db, f.lock] });
    const facts = await read(19001);
    expect(facts.listeners).toHaveLength(1);
    expect(facts.listeners[0]).toMatchObject({ pid: 3001, stateDir: dev, configPath: join(dev, 'openclaw.json'), home, stateDirSource: 'open-lock' });
  });

  it('--profile work: the open state database alone is enough', async () => {
    const work = join(home, '.openclaw-work');
    const f = await stateFiles(work, 3002, 20555);
    await gatewayProc(3002, { sockets: [901], files: [`${f.db}-wal`] });
    const facts = await read(20555);
    expect(facts.listeners[0]).toMatchObject({ pid: 3002, stateDir: work, stateDirSource: 'open-state-db' });
  });

  it('descriptors that say nothing: a live lock under ~/.openclaw-<profile> naming the pid decides', async () => {
    // The listener must be a live pid for the lock to count as held: use this test process's pid.
    const pid = process.pid;
    const work = join(home, '.openclaw-work');
    await stateFiles(work, pid, 20777);
    await gatewayProc(pid, { sockets: [902], files: ['/dev/null'] });
    const facts = await read(20777);
    expect(facts.listeners[0]).toMatchObject({ pid, stateDir: work, configPath: join(work, 'openclaw.json'), stateDirSource: 'lock-file' });
    expect(facts.locks.map((l) => l.stateDir)).toContain(work);
  });

  it('no tool is run when a live lock names the pid that holds the port (only its descriptors are read)', async () => {
    const pid = process.pid; // a live pid, so its lock counts as held
    const work = join(home, '.openclaw-work');
    const f = await stateFiles(work, pid, 20777);
    await gatewayProc(pid, { sockets: [902], files: [f.lock] });
    // No tools override: were the lock path not taken, the real ss would run and find nothing on this port.
    const facts = await readListeners({ port: 20777, env: { HOME: home, PATH: '/nonexistent' }, stateDirs: [], timeoutMs: 2000, procRoot: join(root, proc) });
    expect(facts.method).toBe('proc');
    expect(facts.error).toBeNull();
    expect(facts.listeners).toEqual([expect.objectContaining({ pid, address: '127.0.0.1:20777', stateDir: work, stateDirSource: 'open-lock' })]);
  });

  it('a lock naming a pid that does not hold the socket is not believed: the tools decide', async () => {
    const pid = process.pid;
    const work = join(home, '.openclaw-work');
    await stateFiles(work, pid, 20777);
    await gatewayProc(pid, { sockets: [], files: [] });
    const facts = await readListeners({ port: 20777, env: { HOME: home, PATH: '/usr/bin:/bin' }, stateDirs: [], timeoutMs: 2000, tools: { ss: NO_SS, lsof: NO_LSOF }, procRoot: join(root, proc) });
    expect(facts.listeners).toEqual([expect.objectContaining({ pid: null, address: '127.0.0.1:20777' })]);
  });

  it('other gateways are attributed the same way', async () => {
    const dev = join(home, '.openclaw-dev');
    const f = await stateFiles(dev, 3001, 19001);
    await gatewayProc(3001, { sockets: [900], files: [f.lock] });
    const facts = await read(20555); // nobody listens there: 3001 is "another gateway"
    expect(facts.otherGateways).toEqual([expect.objectContaining({ pid: 3001, stateDir: dev, stateDirSource: 'open-lock', address: '127.0.0.1:19001' })]);
  });

  it('profileStateDirs lists the state dirs under a home, valid profile names only', async () => {
    for (const d of ['.openclaw', '.openclaw-dev', '.openclaw-work', '.openclaw-..', '.clawdbot', 'other']) await mkdir(join(home, d), { recursive: true });
    expect(profileStateDirs(home)).toEqual(['.clawdbot', '.openclaw', '.openclaw-dev', '.openclaw-work'].map((d) => join(home, d)));
    expect(profileStateDirs(join(root, 'missing'))).toEqual([]);
  });
});
