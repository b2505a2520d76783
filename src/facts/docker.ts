/**
 * Docker facts: the running OpenClaw containers and the OPENCLAW_GATEWAY_TOKEN / _PASSWORD each
 * was started with. Every outcome (no docker client, daemon down, timeout) is data, never a throw.
 *
 * Env is read with `docker inspect` rather than the seed article's `docker exec NAME env`:
 * inspect needs no shell or `env` binary in the image, works on stopped containers and shows the
 * environment the gateway process was started with. `docker exec` is only a fallback.
 */
import type { RunResult } from '../exec.js';
import { dockerAnswerWithoutCli } from './docker-endpoint.js';
import { readCommand as run } from './read-command.js';
import { tokenProblems } from '../hygiene.js';
import { redactText, Secret } from '../secret.js';
import type { TokenSource } from '../types.js';
import type { DockerFacts } from './types.js';

const VARIABLES = [
  { name: 'OPENCLAW_GATEWAY_TOKEN', credential: 'token' },
  { name: 'OPENCLAW_GATEWAY_PASSWORD', credential: 'password' },
] as const;

export interface PsEntry {
  id: string;
  name: string;
  image: string;
  ports: string;
  state: string;
  labels: string;
}

/** Parse `docker ps --format '{{json .}}'` output (one JSON object per line); bad lines are skipped. */
export function parseDockerPs(stdout: string): PsEntry[] {
  const out: PsEntry[] = [];
  for (const line of stdout.split(/\r?\n/)) {
    const t = line.trim();
    if (!t.startsWith('{')) continue;
    let obj: unknown;
    try {
      obj = JSON.parse(t);
    } catch {
      continue;
    }
    if (!obj || typeof obj !== 'object') continue;
    const o = obj as Record<string, unknown>;
    const str = (k: string): string => (typeof o[k] === 'string' ? o[k] : '');
    // `Names` can list several comma-separated names (legacy links); the first is the real one.
    const name = str('Names').split(',')[0]!.trim();
    if (!name && !str('ID')) continue;
    out.push({ id: str('ID'), name, image: str('Image'), ports: str('Ports'), state: str('State'), labels: str('Labels') });
  }
  return out;
}

/** Containers that look like OpenClaw: name, image or Compose service label mention it. */
export function isOpenClawContainer(c: PsEntry): boolean {
  const re = /openclaw|clawdbot/i;
  return re.test(c.name) || re.test(c.image) || /com\.docker\.compose\.service=[^,]*openclaw/i.test(c.labels);
}

/** `Config.Env` of `docker inspect`: `KEY=value` strings, anything else skipped. */
export function envFromList(list: unknown): Map<string, string> {
  const env = new Map<string, string>();
  if (!Array.isArray(list)) return env;
  for (const item of list) {
    if (typeof item !== 'string') continue;
    const eq = item.indexOf('=');
    if (eq > 0) env.set(item.slice(0, eq), item.slice(eq + 1));
  }
  return env;
}

/**
 * Parse a container environment into a map: either the JSON array `docker inspect --format
 * '{{json .Config.Env}}'` prints, or the `KEY=value` lines of `docker exec NAME env`.
 * Returns null when the text is neither.
 */
export function parseContainerEnv(text: string): Map<string, string> | null {
  const t = text.trim();
  const env = new Map<string, string>();
  if (t.startsWith('[') || t === 'null') {
    let arr: unknown;
    try {
      arr = JSON.parse(t);
    } catch {
      return null;
    }
    if (arr === null) return env; // a container with no Env at all
    return Array.isArray(arr) ? envFromList(arr) : null;
  }
  for (const line of text.split(/\r?\n/)) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (m) env.set(m[1]!, m[2]!);
  }
  return env;
}

/** Token sources from one container's environment. */
export function containerSources(name: string, env: Map<string, string>, notes: string[]): TokenSource[] {
  const sources: TokenSource[] = [];
  for (const v of VARIABLES) {
    const raw = env.get(v.name);
    if (raw === undefined) continue;
    sources.push({
      id: `container:${name}${v.credential === 'password' ? ':password' : ''}`,
      kind: 'container',
      label: `container ${name} (${v.name})`,
      variable: v.name,
      credential: v.credential,
      value: new Secret(raw),
      problems: tokenProblems(raw),
      notes: [...notes],
    });
  }
  return sources;
}

/** Why a docker command did not answer, as one line a person can act on. */
export function describeDockerFailure(r: RunResult, what: string): { available: boolean; error: string } {
  if (r.failure && r.exitCode === null && !r.failure.startsWith('timed out')) {
    return /not found|ENOENT/.test(r.failure) ? { available: false, error: 'docker not found on PATH' } : { available: false, error: `docker could not be run: ${r.failure}` };
  }
  if (r.failure) return { available: true, error: `${what} ${r.failure} (is the Docker daemon hung?)` };
  const stderr = r.stderr.trim();
  const first = stderr.split(/\r?\n/).find((l) => l.trim() !== '') ?? '';
  if (/Cannot connect to the Docker daemon/i.test(stderr)) return { available: true, error: `Docker daemon not reachable: ${first.trim()}` };
  if (/permission denied/i.test(stderr) && /docker/i.test(stderr)) {
    return { available: true, error: `no permission to talk to the Docker daemon: ${first.trim()}` };
  }
  return { available: true, error: `${what} failed (exit ${r.exitCode ?? '?'})${first ? `: ${first.trim()}` : ''}` };
}

export async function readDocker(opts: { env: NodeJS.ProcessEnv; timeoutMs: number; container?: string; docker?: string; socket?: string }): Promise<DockerFacts> {
  const docker = opts.docker ?? 'docker';
  const facts: DockerFacts = { available: false, error: null, containers: [], sources: [] };
  const certain = await dockerAnswerWithoutCli(opts.env, docker, opts.socket);
  if (certain) return { ...facts, ...certain };
  const runOpts = { timeoutMs: opts.timeoutMs, env: opts.env };

  const ps = await run(docker, ['ps', '--format', '{{json .}}'], runOpts);
  if (!ps.ok) {
    const d = describeDockerFailure(ps, 'docker ps');
    return { ...facts, available: d.available, error: d.error };
  }
  facts.available = true;

  const all = parseDockerPs(ps.stdout);
  const wanted = opts.container ? all.filter((c) => c.name === opts.container || (opts.container!.length >= 4 && c.id.startsWith(opts.container!))) : all.filter(isOpenClawContainer);
  const targets: Array<{ name: string; notes: string[] }> = wanted.map((c) => ({
    name: c.name || c.id,
    notes: [`image ${c.image || 'unknown'}`, ...(c.ports ? [`ports ${c.ports}`] : [])],
  }));
  for (const c of wanted) facts.containers.push({ id: c.id, name: c.name, image: c.image, ports: c.ports });
  // A named container that `docker ps` does not list may be stopped: inspect still reads its env.
  if (opts.container && wanted.length === 0) {
    targets.push({ name: opts.container, notes: ['not running (not listed by docker ps)'] });
    facts.containers.push({ id: '', name: opts.container, image: '', ports: '' });
  }

  const problems: string[] = [];
  const perContainer = await Promise.all(
    targets.map(async (t) => {
      const inspect = await run(docker, ['inspect', '--format', '{{json .Config.Env}}', t.name], runOpts);
      let env = inspect.ok ? parseContainerEnv(inspect.stdout) : null;
      let via = 'docker inspect';
      if (!env) {
        const exec = await run(docker, ['exec', t.name, 'env'], runOpts);
        env = exec.ok ? parseContainerEnv(exec.stdout) : null;
        via = 'docker exec env';
        if (!env) {
          const why = describeDockerFailure(inspect.ok ? exec : inspect, inspect.ok ? 'docker exec' : 'docker inspect').error;
          problems.push(`could not read the environment of container ${t.name}: ${why}`);
          return [];
        }
      }
      return containerSources(t.name, env, [...t.notes, `read via ${via}`]);
    }),
  );
  facts.sources = perContainer.flat();
  if (problems.length) {
    // Docker's own messages should never carry env values, but redact anyway: this text is shown.
    facts.error = redactText(
      problems.join('; '),
      facts.sources.flatMap((s) => (s.value ? [s.value] : [])),
    );
  }
  return facts;
}
