/**
 * The few things of a compose file's YAML this module needs (per service: the credential entries
 * of `environment`, the `env_file` list, `ports`), with line numbers.
 *
 * `<<` merge keys and aliases are expanded here, not by the `yaml` package's toJS, so that lines
 * survive. Each map's merged pairs are computed once and reused, and the total number of pairs
 * produced is capped (the `yaml` package's own `maxAliasCount` guards only toJS, which we do not
 * use). A file whose merges nest seven levels deep, each level merging the one
 * below eight times, is 8^7 pairs if expanded naively; here it costs one pass per map.
 */
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node, type YAMLMap } from 'yaml';
import { isCredentialName, type CredentialVariableName } from '../credential-names.js';

export interface EnvEntry {
  name: CredentialVariableName;
  /** null: bare `- NAME` / `NAME:` with no value, i.e. passed through from Compose's environment. */
  raw: string | null;
  /** Set when the YAML value is a map or a list: Compose rejects it. */
  notAString: boolean;
  line: number;
}

export interface EnvFileRef {
  rawPath: string;
  required: boolean;
  line: number;
}

export interface ServiceModel {
  service: string;
  line: number;
  ports: Array<{ raw: string; line: number }>;
  env: EnvEntry[];
  envFiles: EnvFileRef[];
}

export interface FileModel {
  file: string;
  services: ServiceModel[];
}

/** More merged key/value pairs than any real compose file has; past it the file is refused. */
export const MAX_MERGED_PAIRS = 100_000;
/** Merge chains deeper than this are refused. */
const MAX_MERGE_DEPTH = 64;

type YNode = Node | null | undefined;

interface PairInfo {
  key: string;
  keyNode: YNode;
  value: unknown;
}

class ExpansionRefused extends Error {}

/** Walks one document: alias resolution, merge expansion (memoized, budgeted), line numbers. */
class Walker {
  readonly #merged = new WeakMap<YAMLMap, PairInfo[]>();
  readonly #inProgress = new WeakSet<YAMLMap>();
  #budget = MAX_MERGED_PAIRS;

  constructor(
    readonly doc: Document,
    readonly lc: LineCounter,
  ) {}

  lineOf(n: YNode): number {
    return n?.range ? this.lc.linePos(n.range[0]).line : 0;
  }

  deref(n: unknown): YNode {
    if (isAlias(n)) return n.resolve(this.doc) ?? null;
    return n as YNode;
  }

  /**
   * The key/value pairs of a YAML map, with `<<` merge keys expanded as YAML 1.1 / Compose do:
   * explicit keys win over merged ones, and earlier merge sources win over later ones.
   */
  pairs(map: YNode, depth = 0): PairInfo[] {
    if (!isMap(map)) return [];
    const known = this.#merged.get(map);
    if (known) return this.#spend(known);
    // A map that merges itself (through an alias cycle) contributes nothing the second time.
    if (this.#inProgress.has(map)) return [];
    if (depth > MAX_MERGE_DEPTH) throw new ExpansionRefused(`YAML merge keys (<<) nested more than ${MAX_MERGE_DEPTH} deep`);
    this.#inProgress.add(map);
    const explicit: PairInfo[] = [];
    const merged: PairInfo[] = [];
    for (const item of map.items) {
      const keyNode = item.key as YNode;
      if (isScalar(keyNode) && (typeof keyNode.value === 'symbol' || keyNode.source === '<<')) {
        const sources = isSeq(item.value) ? item.value.items : [item.value];
        for (const s of sources) merged.push(...this.pairs(this.deref(s), depth + 1));
        continue;
      }
      const key = scalarString(keyNode);
      if (key !== null) explicit.push({ key, keyNode, value: item.value });
    }
    this.#inProgress.delete(map);
    const seen = new Set(explicit.map((p) => p.key));
    const out = [...explicit];
    for (const p of merged) {
      if (seen.has(p.key)) continue;
      seen.add(p.key);
      out.push(p);
    }
    this.#merged.set(map, out);
    return this.#spend(out);
  }

  #spend(pairs: PairInfo[]): PairInfo[] {
    this.#budget -= pairs.length;
    if (this.#budget < 0) throw new ExpansionRefused(`YAML merge keys (<<) and aliases expand to more than ${MAX_MERGED_PAIRS} entries`);
    return pairs;
  }

  get(map: YNode, key: string): PairInfo | undefined {
    return this.pairs(map).find((p) => p.key === key);
  }
}

export function scalarString(n: YNode): string | null {
  if (!isScalar(n)) return null;
  const v = n.value;
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return n.source ?? String(v);
  return null;
}

function describeNode(n: unknown): string {
  if (isSeq(n)) return 'a list';
  if (isScalar(n)) return n.value === null ? 'empty' : `a ${typeof n.value} scalar`;
  return 'not a mapping';
}

/** The parser's first error, on one line: its code excerpt could show file content (a token). */
function yamlError(doc: Document): string {
  const e = doc.errors[0]!;
  const first = e.message.split('\n')[0]!.replace(/:\s*$/, '');
  const where = e.linePos && !/at line \d+/.test(first) ? ` at line ${e.linePos[0].line}, column ${e.linePos[0].col}` : '';
  return `not valid YAML: ${first}${where}`;
}

/** Parse one compose file's YAML into the few things this module needs, keeping line numbers. */
export function parseComposeModel(text: string, file: string): { model: FileModel | null; error: string | null } {
  const lc = new LineCounter();
  // merge: true because compose files commonly share env blocks via `<<: *anchor`.
  const doc = parseDocument(text, { lineCounter: lc, merge: true, prettyErrors: true });
  if (doc.errors.length > 0) return { model: null, error: yamlError(doc) };
  const w = new Walker(doc, lc);
  const root = doc.contents;
  if (root === null || root === undefined) return { model: null, error: 'empty file: no compose mapping' };
  if (!isMap(root)) {
    return { model: null, error: `not a compose file: the top level is ${describeNode(root)}, not a mapping (line ${w.lineOf(root)})` };
  }
  try {
    return readServices(w, root, file);
  } catch (err) {
    if (err instanceof ExpansionRefused) return { model: null, error: `refused: ${err.message}` };
    throw err;
  }
}

function readServices(w: Walker, root: YNode, file: string): { model: FileModel | null; error: string | null } {
  const servicesNode = w.get(root, 'services');
  const servicesValue = servicesNode ? w.deref(servicesNode.value) : null;
  // `services:` with nothing under it is an empty map to Compose, not an error.
  if (servicesNode && !isMap(servicesValue) && !(isScalar(servicesValue) && servicesValue.value === null)) {
    return {
      model: null,
      error: `not a compose file: "services" is ${describeNode(servicesValue)}, not a mapping (line ${w.lineOf(servicesNode.keyNode)})`,
    };
  }
  const services: ServiceModel[] = [];
  for (const svc of w.pairs(servicesValue)) {
    const body = w.deref(svc.value);
    const model: ServiceModel = { service: svc.key, line: w.lineOf(svc.keyNode), ports: [], env: [], envFiles: [] };
    if (isMap(body)) {
      const byKey = new Map(w.pairs(body).map((p) => [p.key, p]));
      readEnvironment(w, w.deref(byKey.get('environment')?.value), model);
      readEnvFiles(w, w.deref(byKey.get('env_file')?.value), model);
      readPorts(w, w.deref(byKey.get('ports')?.value), model);
    }
    services.push(model);
  }
  return { model: { file, services }, error: null };
}

function readEnvironment(w: Walker, env: YNode, model: ServiceModel): void {
  if (isMap(env)) {
    for (const p of w.pairs(env)) {
      if (!isCredentialName(p.key)) continue;
      const v = w.deref(p.value);
      const notAString = isMap(v) || isSeq(v);
      model.env.push({ name: p.key, raw: notAString ? null : scalarString(v), notAString, line: w.lineOf(p.keyNode) });
    }
  } else if (isSeq(env)) {
    for (const item of env.items) {
      const n = w.deref(item);
      const s = scalarString(n);
      if (s === null) continue;
      const eq = s.indexOf('=');
      const name = (eq < 0 ? s : s.slice(0, eq)).trim();
      if (!isCredentialName(name)) continue;
      model.env.push({ name, raw: eq < 0 ? null : s.slice(eq + 1), notAString: false, line: w.lineOf(n) });
    }
  }
}

function readEnvFiles(w: Walker, node: YNode, model: ServiceModel): void {
  const items = isSeq(node) ? node.items : node ? [node] : [];
  for (const item of items) {
    const n = w.deref(item);
    const s = scalarString(n);
    if (s !== null) {
      model.envFiles.push({ rawPath: s, required: true, line: w.lineOf(n) });
    } else if (isMap(n)) {
      // Long syntax (Compose 2.24+): `- path: ./x.env` with `required: false`.
      const pairs = new Map(w.pairs(n).map((p) => [p.key, w.deref(p.value)]));
      const path = scalarString(pairs.get('path'));
      const req = pairs.get('required');
      const required = !(isScalar(req) && (req.value === false || req.value === 'false'));
      if (path !== null) model.envFiles.push({ rawPath: path, required, line: w.lineOf(n) });
    }
  }
}

function readPorts(w: Walker, node: YNode, model: ServiceModel): void {
  if (!isSeq(node)) return;
  for (const item of node.items) {
    const n = w.deref(item);
    const s = scalarString(n);
    if (s !== null) {
      model.ports.push({ raw: s, line: w.lineOf(n) });
    } else if (isMap(n)) {
      const f = new Map(w.pairs(n).map((p) => [p.key, scalarString(w.deref(p.value))]));
      const target = f.get('target');
      if (!target) continue;
      const published = f.get('published');
      const hostIp = f.get('host_ip');
      const protocol = f.get('protocol');
      let str = published ? `${hostIp ? `${hostIp}:` : ''}${published}:${target}` : target;
      if (protocol && protocol !== 'tcp') str += `/${protocol}`;
      model.ports.push({ raw: str, line: w.lineOf(n) });
    }
  }
}
