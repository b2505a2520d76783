/**
 * The package as a user gets it: `npm pack` (of the dist/ that `npm test` built: --ignore-scripts,
 * so this test never rebuilds dist/ under the other tests' feet), installed globally into a temp
 * prefix, run from another directory. Also: no source maps pointing at unshipped sources, a
 * LICENSE, and no install script (npm install -g warns about those).
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO } from '../support/e2e.js';

let tmp = '';
let tarball = '';
let files: string[] = [];
const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string; license: string; scripts: Record<string, string> };

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'otw-pack-'));
  const packed = await execa('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], { cwd: REPO });
  const [info] = JSON.parse(String(packed.stdout)) as Array<{ filename: string; files: Array<{ path: string }> }>;
  tarball = join(tmp, info!.filename);
  files = info!.files.map((f) => f.path);
  // Dependencies come from the npm cache when they are there (the checkout's npm ci put them there).
  await execa('npm', ['install', '-g', '--prefix', join(tmp, 'prefix'), '--prefer-offline', '--no-audit', '--no-fund', tarball], {
    cwd: tmp,
    env: { ...process.env, npm_config_loglevel: 'error' },
  });
}, 240_000);

afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('the packed tarball', () => {
  it('ships bin, dist, LICENSE and package.json; no source maps; no install-time scripts', async () => {
    expect(await readdir(tmp)).toContain(tarball.slice(tmp.length + 1));
    expect(files).toContain('LICENSE');
    expect(files).toContain('bin/openclaw-token-wizard.js');
    expect(files).toContain('dist/src/entry.js');
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
    expect(files.filter((f) => f.endsWith('.ts'))).toEqual([]);
    expect(readFileSync(join(REPO, 'LICENSE'), 'utf8')).toMatch(/^MIT License\n/);
    expect(pkg.license).toBe('MIT');
    // Built when packed, never when installed.
    expect(pkg.scripts.prepack).toMatch(/build/);
    for (const s of ['prepare', 'preinstall', 'install', 'postinstall']) expect(pkg.scripts[s], s).toBeUndefined();
  });

  const cli = (args: string[]) =>
    execa(join(tmp, 'prefix', 'bin', 'openclaw-token-wizard'), args, {
      cwd: tmp,
      reject: false,
      env: { ...process.env, HOME: join(tmp, 'home'), NO_COLOR: '1' },
      extendEnv: false,
      stdin: 'ignore',
      timeout: 60_000,
    });

  it('installed into a prefix, from another directory: --help, --version, demo healthy --yes', async () => {
    const help = await cli(['--help']);
    expect(help.exitCode).toBe(0);
    expect(String(help.stdout)).toContain('Usage: openclaw-token-wizard [command] [options]');
    const version = await cli(['--version']);
    expect(version.exitCode).toBe(0);
    expect(String(version.stdout)).toBe(pkg.version);
    const demo = await cli(['demo', 'healthy', '--yes']);
    expect(demo.exitCode, `${String(demo.stdout)}\n${String(demo.stderr)}`).toBe(0);
    expect(String(demo.stdout)).toContain('Connected: the gateway accepts the token');
  }, 90_000);
});
