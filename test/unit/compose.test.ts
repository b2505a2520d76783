import { cp, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dotenvLineNumbers, findComposeFiles, interpolate, parseComposeFiles, parseComposeText, readCompose, type VarLookup } from '../../src/facts/compose/index.js';
import { fakeToken, makeSandbox, type Sandbox } from '../support/sandbox.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/compose/', import.meta.url));

let sb: Sandbox;
beforeEach(async () => {
  sb = await makeSandbox('otw-compose-');
});
afterEach(async () => {
  await sb.cleanup();
});

/** Copy one fixture directory into the sandbox working dir. */
async function useFixture(name: string): Promise<string> {
  const dir = join(sb.cwd, name);
  await cp(join(FIXTURES, name), dir, { recursive: true });
  return dir;
}

function lookupFrom(vars: Record<string, string>): VarLookup {
  return (name) => (vars[name] !== undefined ? { value: vars[name], origin: { where: `test ${name}` } } : undefined);
}

/** Nothing a source carries for display may hold the raw token. */
function expectNoRawToken(obj: unknown, raw: string): void {
  expect(JSON.stringify(obj)).not.toContain(raw);
}

describe('interpolate', () => {
  it('handles the forms Compose supports', () => {
    const l = lookupFrom({ A: 'a', EMPTY: '' });
    expect(interpolate('${A}', l).value).toBe('a');
    expect(interpolate('$A-$A', l).value).toBe('a-a');
    expect(interpolate('$$A', l).value).toBe('$A');
    expect(interpolate('${MISSING:-dflt}', l).value).toBe('dflt');
    expect(interpolate('${EMPTY:-dflt}', l).value).toBe('dflt');
    expect(interpolate('${EMPTY-dflt}', l).value).toBe('');
    expect(interpolate('${MISSING-${A}}', l).value).toBe('a');
    expect(interpolate('${A:+alt}', l).value).toBe('alt');
    expect(interpolate('${MISSING:+alt}', l).value).toBe('');
    expect(interpolate('cost $5', l).value).toBe('cost $5');
  });

  it('reports unset variables and required ones without leaking defaults', () => {
    const l = lookupFrom({});
    const r = interpolate('${X}', l);
    expect(r.value).toBe('');
    expect(r.unresolved).toEqual(['X']);
    const req = interpolate('${X:?set it}', l);
    expect(req.errors[0]).toMatch(/required variable X is not set/);
    const d = interpolate(`\${X:-${fakeToken('dflt')}}`, l);
    expect(d.refs).toEqual([{ name: 'X', origin: null, usedDefault: true }]);
    expect(JSON.stringify(d.refs)).not.toContain(fakeToken('dflt'));
    expect(interpolate('${oops', l).errors[0]).toMatch(/invalid interpolation/);
  });
});

describe('dotenvLineNumbers', () => {
  it('gives the line of the last assignment', () => {
    expect(dotenvLineNumbers('# c\nA=1\nexport B=2\nA=3\n')).toEqual({ A: 4, B: 3 });
  });
});

describe('findComposeFiles', () => {
  it('uses Compose discovery order and the override file', async () => {
    expect(findComposeFiles(sb.cwd)).toEqual([]);
    await writeFile(join(sb.cwd, 'docker-compose.yml'), 'services: {}\n');
    await writeFile(join(sb.cwd, 'compose.yaml'), 'services: {}\n');
    await writeFile(join(sb.cwd, 'docker-compose.override.yml'), 'services: {}\n');
    expect(findComposeFiles(sb.cwd)).toEqual([join(sb.cwd, 'compose.yaml'), join(sb.cwd, 'docker-compose.override.yml')]);
  });

  it('returns an explicit file even when it does not exist', () => {
    expect(findComposeFiles(sb.cwd, 'x/other.yml')).toEqual([join(sb.cwd, 'x/other.yml')]);
  });
});

describe('readCompose', () => {
  it('reads the real OpenClaw compose shape with the token from .env', async () => {
    const dir = await useFixture('openclaw');
    const facts = await readCompose({ cwd: dir, env: sb.env });
    expect(facts.errors).toEqual([]);
    expect(facts.files).toEqual([join(dir, 'docker-compose.yml')]);
    expect(facts.services).toEqual([
      { file: join(dir, 'docker-compose.yml'), service: 'openclaw-gateway', publishedPorts: ['127.0.0.1:18800:18789', '127.0.0.1:18790:18790'] },
      { file: join(dir, 'docker-compose.yml'), service: 'openclaw-cli', publishedPorts: [] },
    ]);
    const gw = facts.sources.find((s) => s.id === 'compose:openclaw-gateway')!;
    expect(gw).toMatchObject({
      kind: 'compose',
      variable: 'OPENCLAW_GATEWAY_TOKEN',
      credential: 'token',
      file: join(dir, 'docker-compose.yml'),
      line: 8,
      label: 'docker-compose.yml line 8 (openclaw-gateway OPENCLAW_GATEWAY_TOKEN via .env line 3)',
      problems: [],
    });
    expect(gw.value?.reveal()).toBe(fakeToken('dotenv'));
    expect(gw.notes).toContain('via ${OPENCLAW_GATEWAY_TOKEN} from .env line 3');
    expect(facts.sources.map((s) => s.id)).toEqual(['compose:openclaw-gateway', 'compose:openclaw-cli']);
    expectNoRawToken(
      facts.sources.map(({ label, notes }) => ({ label, notes })),
      fakeToken('dotenv'),
    );
    expectNoRawToken(facts, fakeToken('dotenv'));
  });

  it('prefers the shell environment over the project .env, as Compose does', async () => {
    const dir = await useFixture('openclaw');
    const env = { ...sb.env, OPENCLAW_GATEWAY_TOKEN: fakeToken('shell') };
    const facts = await readCompose({ cwd: dir, env });
    const gw = facts.sources.find((s) => s.id === 'compose:openclaw-gateway')!;
    expect(gw.value?.reveal()).toBe(fakeToken('shell'));
    expect(gw.notes).toContain('via ${OPENCLAW_GATEWAY_TOKEN} from the shell environment');
  });

  it('reads list-form environment, anchors, bare pass-through and long-syntax ports', async () => {
    const dir = await useFixture('list-env');
    const facts = await readCompose({ cwd: dir, env: sb.env });
    expect(facts.errors).toEqual([]);
    expect(facts.services).toEqual([{ file: join(dir, 'compose.yaml'), service: 'openclaw-gateway', publishedPorts: ['18789:18789', '127.0.0.1:18791:18790'] }]);
    const tok = facts.sources.find((s) => s.id === 'compose:openclaw-gateway')!;
    expect(tok.value?.reveal()).toBe(fakeToken('literal'));
    // The anchor is where the text lives: line 3 of the file.
    expect(tok.line).toBe(3);
    expect(tok.notes).toContain('literal value written in compose.yaml');
    const pw = facts.sources.find((s) => s.id === 'compose:openclaw-gateway:password')!;
    expect(pw).toMatchObject({ credential: 'password', value: null, problems: ['unresolved-var'], line: 4 });
    expect(pw.notes?.[0]).toMatch(/not set in the shell environment or .env/);
  });

  it('passes a bare variable through from the shell', async () => {
    const dir = await useFixture('list-env');
    const facts = await readCompose({ cwd: dir, env: { ...sb.env, OPENCLAW_GATEWAY_PASSWORD: 'hunter2-fake-password' } });
    const pw = facts.sources.find((s) => s.id === 'compose:openclaw-gateway:password')!;
    expect(pw.value?.reveal()).toBe('hunter2-fake-password');
    expect(pw.notes).toEqual(['passed through from the shell environment']);
  });

  it('follows env_file relative to the compose file, skipping optional missing ones', async () => {
    const dir = await useFixture('env-file');
    const facts = await readCompose({ cwd: dir, env: sb.env });
    expect(facts.errors).toEqual([]);
    expect(facts.services).toEqual([{ file: join(dir, 'docker-compose.yml'), service: 'gateway', publishedPorts: ['18789:18789'] }]);
    expect(facts.sources).toHaveLength(1);
    const s = facts.sources[0]!;
    expect(s).toMatchObject({
      id: 'compose:gateway:env_file',
      kind: 'compose',
      file: join(dir, 'gateway.env'),
      line: 3,
      label: 'gateway.env line 3 (gateway env_file OPENCLAW_GATEWAY_TOKEN)',
      problems: [],
    });
    expect(s.value?.reveal()).toBe(fakeToken('envfile'));
    expect(s.notes).toContain('env_file of service gateway (docker-compose.yml line 5)');
  });

  it('reports a missing required env_file', async () => {
    const dir = await useFixture('env-file');
    await writeFile(join(dir, 'docker-compose.yml'), 'services:\n  openclaw-gateway:\n    env_file: ./nope.env\n');
    const facts = await readCompose({ cwd: dir, env: sb.env });
    expect(facts.errors).toHaveLength(1);
    expect(facts.errors[0]!.message).toMatch(/env_file nope.env of service openclaw-gateway \(line 3\) not found/);
  });

  it('turns broken YAML into an error entry with the line', async () => {
    const dir = await useFixture('not-yaml');
    const facts = await readCompose({ cwd: dir, env: sb.env });
    expect(facts.sources).toEqual([]);
    expect(facts.errors).toHaveLength(1);
    expect(facts.errors[0]!.file).toBe(join(dir, 'docker-compose.yml'));
    expect(facts.errors[0]!.message).toMatch(/^not valid YAML: .* at line \d+, column \d+$/);
  });

  it('rejects a top level that is not a mapping', () => {
    const f = parseComposeText('- just\n- a list\n', '/x/compose.yaml', {}, {});
    expect(f.errors).toEqual([{ file: '/x/compose.yaml', message: 'not a compose file: the top level is a list, not a mapping (line 1)' }]);
    const g = parseComposeText('services: 3\n', '/x/compose.yaml', {}, {});
    expect(g.errors[0]!.message).toMatch(/"services" is a number scalar/);
  });

  it('reports ${OPENCLAW_GATEWAY_TOKEN} with nothing set as unresolved', async () => {
    const dir = await useFixture('unresolved');
    const facts = await readCompose({ cwd: dir, env: sb.env });
    expect(facts.errors).toEqual([]);
    expect(facts.services[0]!.publishedPorts).toEqual(['18789:18789']);
    expect(facts.sources).toEqual([
      expect.objectContaining({
        id: 'compose:openclaw-gateway',
        value: null,
        problems: ['unresolved-var'],
        line: 5,
        notes: ['via ${OPENCLAW_GATEWAY_TOKEN}: not set in the shell environment or .env'],
      }),
    ]);
  });

  it('reports a missing explicit file, and no files at all', async () => {
    const none = await readCompose({ cwd: sb.cwd, env: sb.env });
    expect(none).toEqual({ files: [], services: [], sources: [], errors: [] });
    const facts = await readCompose({ cwd: sb.cwd, composeFile: 'missing.yml', env: sb.env });
    expect(facts.errors).toEqual([{ file: join(sb.cwd, 'missing.yml'), message: 'compose file not found' }]);
  });

  it('honours COMPOSE_FILE', async () => {
    const dir = await useFixture('unresolved');
    await mkdir(join(sb.cwd, 'elsewhere'));
    const facts = await readCompose({ cwd: join(sb.cwd, 'elsewhere'), env: { ...sb.env, COMPOSE_FILE: join(dir, 'docker-compose.yml') } });
    expect(facts.files).toEqual([join(dir, 'docker-compose.yml')]);
    expect(facts.sources).toHaveLength(1);
  });
});

describe('parseComposeFiles merging', () => {
  it('marks earlier files and env_file values shadowed by the value Compose uses', () => {
    const base = ['services:', '  openclaw-gateway:', '    env_file: app.env', '    environment:', `      OPENCLAW_GATEWAY_TOKEN: ${fakeToken('base')}`].join('\n');
    const override = ['services:', '  openclaw-gateway:', '    environment:', '      - OPENCLAW_GATEWAY_TOKEN=${TOKEN_FROM_ENV:-}'].join('\n');
    const facts = parseComposeFiles(
      [
        { file: '/p/compose.yaml', text: base },
        { file: '/p/compose.override.yaml', text: override },
      ],
      {
        dotenv: {},
        env: {},
        readText: (p) => (p === '/p/app.env' ? { ok: true, text: `OPENCLAW_GATEWAY_TOKEN=${fakeToken('envf')}\n` } : { ok: false, missing: true, message: 'not found' }),
      },
    );
    expect(facts.sources.map((s) => s.id)).toEqual(['compose:openclaw-gateway', 'compose:openclaw-gateway:env_file', 'compose:openclaw-gateway@compose.override.yaml']);
    const [first, envFile, winner] = facts.sources;
    expect(winner!.problems).toEqual(['empty']);
    expect(first!.notes).toContain('shadowed: docker compose uses compose.override.yaml line 4 (openclaw-gateway OPENCLAW_GATEWAY_TOKEN) instead');
    expect(envFile!.notes?.some((n) => n.startsWith('shadowed:'))).toBe(true);
    expect(winner!.notes?.some((n) => n.startsWith('shadowed:'))).toBe(false);
  });

  it('flags token hygiene problems of literal values', () => {
    const f = parseComposeText('services:\n  openclaw-gateway:\n    environment:\n      OPENCLAW_GATEWAY_TOKEN: "undefined"\n', '/p/c.yml', {}, {});
    expect(f.sources[0]!.problems).toEqual(['literal-undefined']);
    const n = parseComposeText('services:\n  openclaw-gateway:\n    environment:\n      OPENCLAW_GATEWAY_TOKEN: 4426\n', '/p/c.yml', {}, {});
    expect(n.sources[0]!.problems).toEqual(['all-digits']);
    const o = parseComposeText('services:\n  openclaw-gateway:\n    environment:\n      OPENCLAW_GATEWAY_TOKEN: [a]\n', '/p/c.yml', {}, {});
    expect(o.sources[0]!.problems).toEqual(['not-a-string']);
  });

  it('includes services other than openclaw-gateway only when they carry the variable', () => {
    const f = parseComposeText('services:\n  web:\n    image: nginx\n  bot:\n    environment: [OPENCLAW_GATEWAY_TOKEN=$T]\n', '/p/c.yml', {}, { T: fakeToken('t') });
    expect(f.services.map((s) => s.service)).toEqual(['bot']);
    expect(f.sources[0]!.value?.reveal()).toBe(fakeToken('t'));
  });

  it('reads $$ as a literal dollar, not a reference', () => {
    const f = parseComposeText('services:\n  openclaw-gateway:\n    environment:\n      OPENCLAW_GATEWAY_TOKEN: "abc$$def-fake-token-value"\n', '/p/c.yml', {}, {});
    expect(f.sources[0]!.value?.reveal()).toBe('abc$def-fake-token-value');
    expect(f.sources[0]!.problems).toEqual([]);
  });
});
