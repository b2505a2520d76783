/**
 * Packaging points that the tarball test (cli-pack.test.ts) does not cover: `npm start` runs the
 * built wizard without compiling when dist/ is fresh, and the README leads with what works today
 * (a checkout, a packed tarball), the registry only as "once published".
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { REPO } from '../support/cli.js';

describe('npm start and the README install section', () => {
  it('scripts/start.mjs with a fresh dist/ (the global setup guarantees it) starts at once: no build, the version', async () => {
    const r = await execa(process.execPath, [join(REPO, 'scripts', 'start.mjs'), '--version'], { cwd: REPO, reject: false, stdin: 'ignore' });
    const version = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }).version;
    expect(r.stdout).toBe(version);
    expect(r.stderr).not.toContain('Building');
    expect(r.exitCode).toBe(0);
  });

  it('the first install command works from a checkout or a tarball; the registry line comes last, as "once published"', () => {
    const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
    const install = readme.slice(readme.indexOf('## Install'), readme.indexOf('\n## ', readme.indexOf('## Install') + 3));
    const commands = [...install.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((m) => m[1]!.split('\n')).filter(Boolean);
    expect(commands[0]).toMatch(/^npm ci\b/);
    expect(install).toContain('npm install -g ./openclaw-token-wizard-*.tgz');
    const registry = install.indexOf('npm install -g openclaw-token-wizard');
    expect(registry).toBeGreaterThan(install.indexOf('npm install -g ./openclaw-token-wizard-*.tgz'));
    expect(install.slice(Math.max(0, registry - 80), registry)).toMatch(/Once published/i);
  });
});
