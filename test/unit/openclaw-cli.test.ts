import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findOnPath, findOpenClawCli, packageDirsFromWrapper, parseVersionOutput } from '../../src/facts/openclaw-cli.js';

describe('pure helpers', () => {
  it('parses `openclaw --version` output', () => {
    expect(parseVersionOutput('OpenClaw 2026.9.6 (eb377ac)')).toBe('2026.9.6');
    expect(parseVersionOutput('OpenClaw 2026.10.1-beta.2 (abc)')).toBe('2026.10.1-beta.2');
    expect(parseVersionOutput('nothing here')).toBeNull();
  });

  it('finds the package dir a wrapper script points at', () => {
    expect(packageDirsFromWrapper('#!/bin/sh\nexec /x/node /opt/oc/node_modules/openclaw/openclaw.mjs "$@"\n', '/bin')).toEqual(['/opt/oc/node_modules/openclaw']);
    expect(packageDirsFromWrapper('exec "$basedir/node" "$basedir/../lib/node_modules/openclaw/openclaw.mjs" "$@"', '/usr/local/bin')).toEqual(['/usr/local/lib/node_modules/openclaw']);
    expect(packageDirsFromWrapper('exec node \'/src/openclaw/openclaw.mjs\' "$@"', '/b')).toEqual(['/src/openclaw']);
    expect(packageDirsFromWrapper('exec node /x/node_modules/openclaw-other/cli.js', '/b')).toEqual([]);
  });
});

describe('findOpenClawCli', () => {
  let root: string;
  let pkgDir: string;

  async function script(path: string, text: string, mode = 0o755): Promise<void> {
    await writeFile(path, text);
    await chmod(path, mode);
  }

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'otw-cli-'));
    // A fake npm install: lib/node_modules/openclaw with its package.json and entry point.
    pkgDir = join(root, 'lib', 'node_modules', 'openclaw');
    await mkdir(pkgDir, { recursive: true });
    await writeFile(join(pkgDir, 'package.json'), JSON.stringify({ name: 'openclaw', version: '2026.9.6', bin: { openclaw: 'openclaw.mjs' } }));
    await script(join(pkgDir, 'openclaw.mjs'), '#!/usr/bin/env node\nconsole.log("OpenClaw 2026.9.6 (eb377ac)");\n');
  });

  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('follows an npm bin symlink to the package.json (no run needed)', async () => {
    const bin = join(root, 'bin');
    await mkdir(bin);
    await symlink(join('..', 'lib', 'node_modules', 'openclaw', 'openclaw.mjs'), join(bin, 'openclaw'));
    const facts = await findOpenClawCli({ env: { PATH: `/nonexistent:${bin}` }, timeoutMs: 2000 });
    expect(facts).toEqual({ found: true, path: join(bin, 'openclaw'), version: '2026.9.6', versionSource: 'package.json', error: null });
  });

  it('reads a shell wrapper (`exec node …/openclaw.mjs "$@"`) to find the package', async () => {
    const bin = join(root, 'wrap');
    await mkdir(bin);
    // The shape verified-live.md uses to run openclaw on Node 24 whatever `node` comes first.
    await script(join(bin, 'openclaw'), `#!/bin/sh\nexec /x/node ${join(pkgDir, 'openclaw.mjs')} "$@"\n`);
    const facts = await findOpenClawCli({ env: { PATH: bin }, timeoutMs: 2000 });
    expect(facts).toMatchObject({ found: true, path: join(bin, 'openclaw'), version: '2026.9.6', versionSource: 'package.json', error: null });
  });

  it('reports not found, skipping non-executables, directories and relative PATH entries', async () => {
    const bin = join(root, 'empty');
    await mkdir(join(bin, 'openclaw'), { recursive: true }); // a directory named openclaw
    const other = join(root, 'noexec');
    await mkdir(other);
    await script(join(other, 'openclaw'), '#!/bin/sh\necho hi\n', 0o644);
    const facts = await findOpenClawCli({ env: { PATH: `${bin}:${other}::.:relative/bin` }, timeoutMs: 2000, allowRun: true });
    expect(facts).toEqual({ found: false, path: null, version: null, versionSource: null, error: 'openclaw not found on PATH' });
    expect(await findOpenClawCli({ env: {}, timeoutMs: 2000 })).toMatchObject({ found: false, error: 'openclaw not found on PATH' });
  });

  it('runs `openclaw --version` only when allowed and the package is not found', async () => {
    const bin = join(root, 'stub');
    await mkdir(bin);
    await script(join(bin, 'openclaw'), "#!/bin/sh\necho 'OpenClaw 2026.9.6 (eb377ac)'\n");
    const env = { PATH: `${bin}:/usr/bin:/bin` };
    expect(await findOpenClawCli({ env, timeoutMs: 5000 })).toEqual({
      found: true,
      path: join(bin, 'openclaw'),
      version: null,
      versionSource: null,
      error: null,
    });
    expect(await findOpenClawCli({ env, timeoutMs: 5000, allowRun: true })).toEqual({
      found: true,
      path: join(bin, 'openclaw'),
      version: '2026.9.6',
      versionSource: '--version',
      error: null,
    });
  });

  it('turns a hanging or failing --version into an error, not a throw', async () => {
    const bin = join(root, 'slow');
    await mkdir(bin);
    // `exec` so the timeout's SIGTERM reaches sleep itself and nothing lingers.
    await script(join(bin, 'openclaw'), '#!/bin/sh\nexec sleep 5\n');
    const slow = await findOpenClawCli({ env: { PATH: `${bin}:/usr/bin:/bin` }, timeoutMs: 300, allowRun: true });
    expect(slow).toMatchObject({ found: true, version: null, versionSource: null });
    expect(slow.error).toMatch(/--version failed: timed out after 300 ms/);

    await script(join(bin, 'openclaw'), '#!/bin/sh\necho "Error: requires Node >= 24.16" >&2\nexit 1\n');
    const bad = await findOpenClawCli({ env: { PATH: `${bin}:/usr/bin:/bin` }, timeoutMs: 5000, allowRun: true });
    expect(bad.error).toBe('openclaw --version failed: exit 1: Error: requires Node >= 24.16');
  });

  it('prefers the first openclaw on PATH', async () => {
    const a = join(root, 'a');
    const b = join(root, 'b');
    await mkdir(a);
    await mkdir(b);
    await script(join(a, 'openclaw'), '#!/bin/sh\n');
    await script(join(b, 'openclaw'), '#!/bin/sh\n');
    expect(await findOnPath('openclaw', { PATH: `${a}:${b}` })).toBe(join(a, 'openclaw'));
  });
});
