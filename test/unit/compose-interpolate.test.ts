import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { interpolate, type VarLookup } from '../../src/facts/compose/index.js';

const ENV: Record<string, string> = { A: 'a', E: '' }; // B is unset
const lookup: VarLookup = (name) => (Object.hasOwn(ENV, name) ? { value: ENV[name]!, origin: { where: 'test' } } : undefined);

// A tiny model of Compose interpolation over a syntax tree; generated trees are rendered to text.
type Op = ':-' | '-' | ':?' | '?' | ':+' | '+';
type Node = { t: 'lit'; s: string } | { t: 'dollar' } | { t: 'var'; name: string } | { t: 'braced'; name: string; op: Op | null; arg: Node[] };

const render = (nodes: Node[]): string =>
  nodes
    .map((n) => {
      if (n.t === 'lit') return n.s;
      if (n.t === 'dollar') return '$$';
      // A separator keeps the next literal from extending the name.
      if (n.t === 'var') return `$${n.name}/`;
      return `\${${n.name}${n.op ?? ''}${render(n.arg)}}`;
    })
    .join('');

function model(nodes: Node[], acc: { errors: number; unresolved: string[] }): string {
  let out = '';
  for (const n of nodes) {
    if (n.t === 'lit') out += n.s;
    else if (n.t === 'dollar') out += '$';
    else if (n.t === 'var') {
      if (!Object.hasOwn(ENV, n.name)) acc.unresolved.push(n.name);
      out += `${ENV[n.name] ?? ''}/`;
    } else {
      const set = Object.hasOwn(ENV, n.name);
      const present = n.op?.startsWith(':') ? set && ENV[n.name] !== '' : set;
      if (n.op === null) {
        if (!set) acc.unresolved.push(n.name);
        out += ENV[n.name] ?? '';
      } else if (n.op.endsWith('-')) out += present ? ENV[n.name] : model(n.arg, acc);
      else if (n.op.endsWith('?')) {
        if (present) out += ENV[n.name];
        else acc.errors++;
      } else if (present) out += model(n.arg, acc);
    }
  }
  return out;
}

const tree: fc.Arbitrary<Node[]> = fc.letrec<{ nodes: Node[]; node: Node }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.stringMatching(/^[a-z0-9 :/.\-?+]{1,6}$/).map((s): Node => ({ t: 'lit', s })),
    fc.constant<Node>({ t: 'dollar' }),
    fc.constantFrom('A', 'B', 'E').map((name): Node => ({ t: 'var', name })),
    fc
      .record({
        t: fc.constant('braced' as const),
        name: fc.constantFrom('A', 'B', 'E'),
        op: fc.constantFrom<Op | null>(null, ':-', '-', ':?', '?', ':+', '+'),
        arg: tie('nodes'),
      })
      .map((b): Node => (b.op === null ? { ...b, arg: [] } : b)),
  ),
  nodes: fc.array(tie('node'), { maxLength: 4 }),
})).nodes;

/** The previous implementation (slice-based, recursive), kept as a reference for malformed text. */
function previous(raw: string): { value: string; errors: number; unresolved: string[] } {
  const acc = { errors: 0, unresolved: [] as string[] };
  const brace = (s: string, from: number): number => {
    let d = 1;
    for (let i = from; i < s.length; i++) {
      if (s[i] === '$' && s[i + 1] === '$') i++;
      else if (s[i] === '$' && s[i + 1] === '{') {
        d++;
        i++;
      } else if (s[i] === '}' && --d === 0) return i;
    }
    return -1;
  };
  const run = (r: string): string => {
    let out = '';
    for (let i = 0; i < r.length;) {
      if (r[i] !== '$') out += r[i++];
      else if (r[i + 1] === '$') {
        out += '$';
        i += 2;
      } else if (r[i + 1] === '{') {
        const end = brace(r, i + 2);
        if (end < 0) {
          acc.errors++;
          return out + r.slice(i);
        }
        const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([\s\S]*))?$/.exec(r.slice(i + 2, end));
        i = end + 1;
        if (!m) {
          acc.errors++;
          continue;
        }
        const [, name, op, arg = ''] = m as unknown as [string, string, string | undefined, string | undefined];
        const set = Object.hasOwn(ENV, name);
        const present = op?.startsWith(':') ? set && ENV[name] !== '' : set;
        if (!op) {
          if (!set) acc.unresolved.push(name);
          out += ENV[name] ?? '';
        } else if (op.endsWith('-')) out += present ? ENV[name] : run(arg);
        else if (op.endsWith('?')) {
          if (present) out += ENV[name];
          else acc.errors++;
        } else if (present) out += run(arg);
      } else {
        const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(r.slice(i + 1));
        if (!m) out += r[i++];
        else {
          if (!Object.hasOwn(ENV, m[0])) acc.unresolved.push(m[0]);
          out += ENV[m[0]] ?? '';
          i += 1 + m[0].length;
        }
      }
    }
    return out;
  };
  return { value: run(raw), ...acc };
}

describe('interpolate (compose)', () => {
  it('agrees with a model of ${VAR}, ${VAR:-def}, ${VAR-def}, ${VAR:?err}, ${VAR:+alt}, $$ on generated templates', () => {
    fc.assert(
      fc.property(tree, (nodes) => {
        const acc = { errors: 0, unresolved: [] as string[] };
        const expected = model(nodes, acc);
        const got = interpolate(render(nodes), lookup);
        expect(got.value).toBe(expected);
        expect(got.errors).toHaveLength(acc.errors);
        expect(got.unresolved).toEqual(acc.unresolved);
      }),
      { numRuns: 2000 },
    );
  });

  it('agrees with the previous implementation on malformed text (unclosed ${, bad names, stray braces)', () => {
    const soup = fc.array(fc.constantFrom('$', '{', '}', 'A', 'B', 'E', ':', '-', '?', '+', 'x', ' ', '$$', '${', '${A', '${B:-'), { maxLength: 30 });
    fc.assert(
      fc.property(soup, (parts) => {
        const raw = parts.join('');
        const got = interpolate(raw, lookup);
        const ref = previous(raw);
        expect({ value: got.value, errors: got.errors.length, unresolved: got.unresolved }).toEqual(ref);
      }),
      { numRuns: 3000 },
    );
  });

  it('parses deeply nested defaults and long values without recursion trouble', () => {
    const deep = `${'${B:-'.repeat(100_000)}x${'}'.repeat(100_000)}`;
    const r = interpolate(deep, lookup);
    expect(r.errors).toEqual(['invalid interpolation format: defaults nested more than 64 deep']);
    const long = '$A'.repeat(200_000);
    expect(interpolate(long, lookup).value).toBe('a'.repeat(200_000));
  });
});
