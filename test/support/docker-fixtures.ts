// Keeps test/fixtures/docker honest: the docker suite compares what the real engine reports
// (`docker inspect`, `docker ps --format '{{json .}}'`) with the recorded fixtures the fast suite
// parses, on every field the parser (src/facts/container-inspect.ts, src/facts/docker.ts) reads.
// OTW_RECORD_DOCKER_FIXTURES=1 re-records them (temp paths, project name and port normalised).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseInspect, parsePsPorts } from '../../src/facts/container-inspect.js';
import { isOpenClawContainer, parseDockerPs } from '../../src/facts/docker.js';
import { dockerCacheDir } from './docker-engine.js';

export const DOCKER_FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), '../fixtures/docker');

/** Normalised values the fixtures carry instead of this run's temp paths, name and port. */
export const FIXTURE_PROJECT = { dir: '/srv/otw-compose', name: 'otwfixture', hostPort: 28789, dataRoot: '/var/lib/docker' };

const INSPECT_FIELDS = [
  'Id',
  'Name',
  'RestartCount',
  'Config.Image',
  'Config.Env',
  'Config.Labels',
  'Config.User',
  'State.Status',
  'State.Running',
  'State.Restarting',
  'State.ExitCode',
  'State.StartedAt',
  'Mounts',
  'Mounts.0.Type',
  'Mounts.0.Source',
  'Mounts.0.Destination',
  'Mounts.0.RW',
  'HostConfig.PortBindings',
  'NetworkSettings.Ports',
];
const PS_FIELDS = ['ID', 'Names', 'Image', 'Ports', 'State', 'Labels'];

function typeAt(obj: unknown, path: string): string {
  let cur: unknown = obj;
  for (const k of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return 'missing';
    cur = (cur as Record<string, unknown>)[k];
  }
  if (cur === undefined) return 'missing';
  return cur === null ? 'null' : Array.isArray(cur) ? 'array' : typeof cur;
}

function shapeProblems(what: string, live: unknown, recorded: unknown, fields: string[]): string[] {
  const out: string[] = [];
  for (const f of fields) {
    const a = typeAt(live, f);
    const b = typeAt(recorded, f);
    if (a !== b) out.push(`${what} ${f}: the engine gives ${a}, the fixture has ${b}`);
  }
  return out;
}

interface ProjectLike {
  dir: string;
  name: string;
  hostPort: number;
}

function normalise(text: string, p: ProjectLike): string {
  return text
    .split(p.dir)
    .join(FIXTURE_PROJECT.dir)
    .split(p.name)
    .join(FIXTURE_PROJECT.name)
    .split(join(dockerCacheDir(), 'data-root'))
    .join(FIXTURE_PROJECT.dataRoot)
    .replace(/\/tmp\/otw-dockerd-[^/"]+\/exec/g, '/run/docker')
    .replace(new RegExp(`("HostPort": ?"|:)${p.hostPort}(?=["-])`, 'g'), `$1${FIXTURE_PROJECT.hostPort}`);
}

/** Returns the differences (empty: the fixtures match the engine); records the fixtures when asked. */
export function checkFixtureShape(name: string, live: { inspect: string; ps: string }, p: ProjectLike): string[] {
  const inspectFile = join(DOCKER_FIXTURES, `${name}.inspect.json`);
  const psFile = join(DOCKER_FIXTURES, `${name}.ps.jsonl`);
  if (process.env.OTW_RECORD_DOCKER_FIXTURES === '1') {
    mkdirSync(DOCKER_FIXTURES, { recursive: true });
    writeFileSync(inspectFile, normalise(live.inspect, p).trimEnd() + '\n');
    writeFileSync(psFile, normalise(live.ps, p).trimEnd() + '\n');
  }
  if (!existsSync(inspectFile) || !existsSync(psFile)) return [`${name}: no recorded fixture; run the docker suite with OTW_RECORD_DOCKER_FIXTURES=1`];
  const liveInspect = (JSON.parse(live.inspect) as unknown[])[0];
  const recInspect = (JSON.parse(readFileSync(inspectFile, 'utf8')) as unknown[])[0];
  const livePs = JSON.parse(live.ps.trim().split('\n')[0]!);
  const recPs = JSON.parse(readFileSync(psFile, 'utf8').trim().split('\n')[0]!);
  return [...shapeProblems(`${name} inspect`, liveInspect, recInspect, INSPECT_FIELDS), ...shapeProblems(`${name} ps`, livePs, recPs, PS_FIELDS)];
}

/**
 * What the wizard's parsers make of one container's `docker inspect` and `docker ps` output, less
 * what differs from run to run by nature (ids, times, tokens, and the state of a container that
 * restarts in a loop): env values are reduced to their names.
 */
function parsedView(text: { inspect: string; ps: string }, withState: boolean): unknown {
  const c = parseInspect(text.inspect)?.[0];
  const ps = parseDockerPs(text.ps)[0];
  if (!c || !ps) return { unparsed: { inspect: !c, ps: !ps } };
  const labels = Object.fromEntries(Object.entries(c.labels).filter(([k]) => /^com\.docker\.compose\.(project|service|project\.working_dir|project\.config_files|oneoff)$/.test(k)));
  return {
    name: c.name,
    image: c.image,
    user: c.user,
    envNames: [...c.env.keys()].sort(),
    labels,
    mounts: c.mounts,
    ports: c.ports,
    ...(withState ? { status: c.status, running: c.running, restarting: c.restarting } : {}),
    ps: { name: ps.name, image: ps.image, ports: parsePsPorts(ps.ports), openclaw: isOpenClawContainer(ps), labelsHaveService: ps.labels.includes('com.docker.compose.service=openclaw-gateway') },
  };
}

/**
 * The Docker case of the contract: the recorded fixtures the fast suite parses must parse to what
 * the live engine's output parses to (normalised the same way), field by field. Returns the
 * differences as `field: engine … fixture …` (empty: the fake is honest).
 */
export function checkFixtureParsed(name: string, live: { inspect: string; ps: string }, p: ProjectLike, opts: { withState?: boolean } = {}): string[] {
  const inspectFile = join(DOCKER_FIXTURES, `${name}.inspect.json`);
  const psFile = join(DOCKER_FIXTURES, `${name}.ps.jsonl`);
  if (!existsSync(inspectFile) || !existsSync(psFile)) return [`${name}: no recorded fixture`];
  const withState = opts.withState ?? true;
  const fromEngine = parsedView({ inspect: normalise(live.inspect, p), ps: normalise(live.ps, p) }, withState) as Record<string, unknown>;
  const fromFixture = parsedView({ inspect: readFileSync(inspectFile, 'utf8'), ps: readFileSync(psFile, 'utf8') }, withState) as Record<string, unknown>;
  const out: string[] = [];
  for (const k of new Set([...Object.keys(fromEngine), ...Object.keys(fromFixture)])) {
    const a = JSON.stringify(fromEngine[k]);
    const b = JSON.stringify(fromFixture[k]);
    if (a !== b) out.push(`${name} ${k}: engine ${a}, fixture ${b}`);
  }
  return out;
}
