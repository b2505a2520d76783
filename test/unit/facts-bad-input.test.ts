/**
 * Bad input to the fact readers, named after the bad-input cases: a device or a FIFO where a
 * file is expected must give a clear per-file error at once (never hang, never grow), and a
 * compose file whose merge keys nest deeply must be read in one pass or refused.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_MERGED_PAIRS, readCompose } from '../../src/facts/compose/index.js';
import { readDotenvFile } from '../../src/facts/dotenv.js';
import { readServices } from '../../src/facts/services.js';
import { fakeToken, makeSandbox, type Sandbox } from '../support/sandbox.js';

const DEVICE = 'is a device, not a regular file';
const FIFO = 'is a FIFO (named pipe), not a regular file';
const COMPOSE = (envFile: string) => `services:\n  openclaw-gateway:\n    image: x\n    env_file: ${envFile}\n`;

let sb: Sandbox;
beforeEach(async () => {
  sb = await makeSandbox('otw-badfacts-');
});
afterEach(async () => {
  await sb.cleanup();
});

const mkfifo = (path: string): void => {
  execFileSync('mkfifo', [path]);
};

describe('D2: /dev/zero and FIFOs where a file is expected', () => {
  it('D2 env_file: /dev/zero is a per-file error naming the device', async () => {
    await writeFile(join(sb.cwd, 'compose.yaml'), COMPOSE('/dev/zero'));
    const facts = await readCompose({ cwd: sb.cwd, env: {} });
    expect(facts.sources).toEqual([]);
    expect(facts.errors).toEqual([{ file: join(sb.cwd, 'compose.yaml'), message: `env_file /dev/zero of service openclaw-gateway (line 4) unreadable: ${DEVICE}` }]);
  });

  it('D2 --compose-file /dev/zero is refused as a device', async () => {
    const facts = await readCompose({ cwd: sb.cwd, composeFile: '/dev/zero', env: {} });
    expect(facts.errors).toEqual([{ file: '/dev/zero', message: `unreadable: ${DEVICE}` }]);
  });

  it('D2 a .env symlinked to /dev/zero: the state .env and the compose project .env', async () => {
    await symlink('/dev/zero', join(sb.stateDir, '.env'));
    expect(await readDotenvFile(join(sb.stateDir, '.env'), 'dotenv:state')).toMatchObject({ exists: true, error: DEVICE, sources: [] });
    await symlink('/dev/zero', join(sb.cwd, '.env'));
    await writeFile(join(sb.cwd, 'compose.yaml'), 'services:\n  openclaw-gateway:\n    environment:\n      OPENCLAW_GATEWAY_TOKEN: ${OPENCLAW_GATEWAY_TOKEN}\n');
    const facts = await readCompose({ cwd: sb.cwd, env: {} });
    expect(facts.errors).toContainEqual({ file: join(sb.cwd, '.env'), message: `project .env unreadable: ${DEVICE}` });
  });

  it('D2 a FIFO as env_file, as compose file and as .env: refused without waiting for a writer', async () => {
    mkfifo(join(sb.cwd, 'pipe.env'));
    await writeFile(join(sb.cwd, 'compose.yaml'), COMPOSE('./pipe.env'));
    const facts = await readCompose({ cwd: sb.cwd, env: {} });
    expect(facts.errors).toEqual([{ file: join(sb.cwd, 'compose.yaml'), message: `env_file pipe.env of service openclaw-gateway (line 4) unreadable: ${FIFO}` }]);
    const asCompose = await readCompose({ cwd: sb.cwd, composeFile: 'pipe.env', env: {} });
    expect(asCompose.errors).toEqual([{ file: join(sb.cwd, 'pipe.env'), message: `unreadable: ${FIFO}` }]);
    expect(await readDotenvFile(join(sb.cwd, 'pipe.env'), 'dotenv:cwd')).toMatchObject({ exists: true, error: FIFO });
  });
});

describe('D15: a systemd unit whose EnvironmentFile= is a FIFO', () => {
  it('D15 EnvironmentFile FIFO: a per-file error, the unit itself still read', async () => {
    const unitDir = join(sb.home, '.config', 'systemd', 'user');
    await mkdir(unitDir, { recursive: true });
    const fifo = join(sb.stateDir, 'gateway.systemd.env');
    mkfifo(fifo);
    const token = fakeToken('d15');
    await writeFile(join(unitDir, 'openclaw-gateway.service'), `[Service]\nEnvironment=OPENCLAW_GATEWAY_TOKEN=${token}\nEnvironmentFile=${fifo}\n`);
    const env = { ...sb.env };
    delete env.XDG_CONFIG_HOME;
    const facts = await readServices({ home: sb.home, stateDir: sb.stateDir, env, platform: 'linux', timeoutMs: 3000 });
    // One error for the file, though it is both the unit's EnvironmentFile= and <state>/gateway.systemd.env.
    expect(facts.errors).toEqual([{ file: join(unitDir, 'openclaw-gateway.service'), message: `EnvironmentFile ${fifo} (line 3) unreadable: ${FIFO}` }]);
    expect(facts.sources.map((s) => [s.label, s.value?.reveal()])).toEqual([['openclaw-gateway.service line 2 (Environment= OPENCLAW_GATEWAY_TOKEN)', token]]);
  });
});

describe('D9: compose merge keys (<<) nested seven levels deep', () => {
  /** Seven levels, each merging the level below eight times: 8^7 pairs if expanded naively. */
  function nestedMerges(width: number, levels: number): string {
    let y = 'x-l0: &l0\n  OPENCLAW_GATEWAY_TOKEN: ${TOKEN}\n';
    for (let l = 1; l <= levels; l++) y += `x-l${l}: &l${l}\n  <<: [${Array.from({ length: width }, () => `*l${l - 1}`).join(', ')}]\n  K${l}: v\n`;
    return `${y}services:\n  openclaw-gateway:\n    image: x\n    environment:\n      <<: *l${levels}\n`;
  }

  it('D9 reads the token through seven levels of merges, with the line it is written on', async () => {
    await writeFile(join(sb.cwd, 'compose.yaml'), nestedMerges(8, 7));
    const token = fakeToken('d9');
    const facts = await readCompose({ cwd: sb.cwd, env: { TOKEN: token } });
    expect(facts.errors).toEqual([]);
    expect(facts.sources.map((s) => [s.id, s.line, s.value?.reveal()])).toEqual([['compose:openclaw-gateway', 2, token]]);
  });

  it('D9 refuses a file whose merges expand past the limit, with a clear error', async () => {
    const keys = Array.from({ length: 1000 }, (_, i) => `  K${i}: v`).join('\n');
    const refs = Array.from({ length: Math.ceil(MAX_MERGED_PAIRS / 1000) + 1 }, () => '*big').join(', ');
    await writeFile(join(sb.cwd, 'compose.yaml'), `x-big: &big\n${keys}\nservices:\n  openclaw-gateway:\n    environment:\n      <<: [${refs}]\n`);
    const facts = await readCompose({ cwd: sb.cwd, env: {} });
    expect(facts.sources).toEqual([]);
    expect(facts.errors).toEqual([{ file: join(sb.cwd, 'compose.yaml'), message: `refused: YAML merge keys (<<) and aliases expand to more than ${MAX_MERGED_PAIRS} entries` }]);
  });

  it('D9 a merge cycle through an alias does not loop', async () => {
    await writeFile(join(sb.cwd, 'compose.yaml'), 'x-a: &a\n  OPENCLAW_GATEWAY_TOKEN: lit\n  <<: *a\nservices:\n  openclaw-gateway:\n    environment:\n      <<: *a\n');
    const facts = await readCompose({ cwd: sb.cwd, env: {} });
    expect(facts.sources.map((s) => s.line)).toEqual([2]);
  });
});
