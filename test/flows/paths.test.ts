/**
 * Model-based tests of the flow machines: xstate/graph walks every machine with explicit actor
 * outputs (so each guard branch is taken), and each generated path is replayed step by step on
 * the real machine with scripted actors. The path list is a golden file, so a change to a
 * machine's graph shows in review (UPDATE_SNAPSHOTS=1 rewrites it).
 */
import { describe, expect, it } from 'vitest';
import type { AnyStateMachine, AnyStateNode } from 'xstate';
import { golden } from '../support/golden.js';
import { type Path, PAUSED_OUTCOME, MAX_ROUNDS, MODELS, activeIds, allStateIds, diagnoses, generatePaths, guardKey, guardRefs, pathLine, replay, routedSteps, stateLabel } from './model.js';

/** The same traversal on a copy of the machine whose guards record every true answer. */
function guardsTakenTrue(machine: AnyStateMachine): Set<string> {
  const taken = new Set<string>();
  const guards = machine.implementations.guards as Record<string, (a: unknown, p: unknown) => boolean>;
  const spied = Object.fromEntries(
    Object.entries(guards).map(([name, g]) => [
      name,
      (args: unknown, params: Record<string, unknown> | undefined) => {
        const r = g(args, params);
        if (r) taken.add(guardKey(name, params));
        return r;
      },
    ]),
  );
  generatePaths(machine.provide({ guards: spied as never }));
  return taken;
}

const finalStates = (m: AnyStateMachine) => (Object.values(m.root.states) as AnyStateNode[]).filter((n) => n.type === 'final').map((n) => n.key);
/** `route` only decides; the machine never rests there. */
const transient = (m: AnyStateMachine) => new Set(allStateIds(m).filter((id) => (m.getStateNodeById(id).always ?? []).length > 0));

const END_OF: Record<string, string> = { connected: 'connected', ready: 'ready', stuck: 'stuck', cancelled: 'cancelled', failed: 'failed', openClawMissing: 'openclaw-missing' };

/**
 * The outcomes a path must leave, worked out from its events alone (traversal keys ignore
 * outcomes, so the snapshots it stores may come from another route to the same key).
 */
function expectedOutcomes(p: Path): unknown[] {
  const out: unknown[] = [];
  for (const [i, s] of p.steps.entries()) {
    if (i === 0) continue;
    const before = p.steps[i - 1]!.state.value;
    const step = typeof before === 'object' ? Object.keys(before)[0] : null;
    if (s.event.type === 'xstate.done.actor.confirmStep' && s.event.output === 'no') out.push({ step, ok: false, message: 'declined' });
    if (s.event.type === 'xstate.done.actor.applyStep') out.push(s.event.output);
    if (s.event.type === 'xstate.error.actor.applyStep') out.push({ step, ok: false, message: 'failed: applyStep crashed' });
    // The verify state after a step attaches what the next diagnosis observed to that step's outcome.
    if (s.event.type === 'xstate.done.actor.verifyStep' && out.length) out[out.length - 1] = { ...(out.at(-1) as object), proof: (s.event.output as { proof: unknown }).proof };
  }
  return out;
}

const stripAt = (o: unknown) => JSON.parse(JSON.stringify(o, (k, v) => (k === 'at' ? undefined : v)));

describe.each(MODELS)('$name machine', ({ name, machine }) => {
  // Generated inside the first test, under its timeout and the traversal's own bounds: a machine
  // that loops shows as one failing test, not as a collection that never ends.
  let generated: Path[] | null = null;
  const paths = {
    get all(): Path[] {
      if (!generated) throw new Error('the paths were not generated (see the first test of this machine)');
      return generated;
    },
  };

  it('generates its paths within the traversal bounds', () => {
    generated = generatePaths(machine);
    expect(generated.length).toBeGreaterThan(20);
  }, 90_000);

  it('the path list matches snapshots/flows/' + name + '.paths.txt', () => {
    const lines = paths.all.map(pathLine).sort();
    expect(new Set(lines).size).toBe(lines.length);
    const text = `# ${name}: ${lines.length} shortest paths (maxRounds ${MAX_ROUNDS}), one per distinct state + guard-relevant context\n${lines.join('\n')}\n`;
    expect(text).toBe(golden(`flows/${name}.paths.txt`, text));
  });

  it('every state is reached by some path, and only transient routing states are never rested in', () => {
    const reached = new Set(paths.all.flatMap((p) => p.steps.flatMap((s) => activeIds(s.state))));
    const all = allStateIds(machine);
    const skipped = transient(machine);
    expect(all.filter((id) => !reached.has(id) && !skipped.has(id))).toEqual([]);
    // Transient states exist only in the routing machines (support has none).
    expect([...skipped]).toEqual(name === 'support' ? [] : name === 'recovery' ? ['recovery.fixSequence', 'recovery.stillFailing'] : [`${name}.route`]);
    expect(reached.size).toBe(all.length - skipped.size);
  });

  it('every final state is reachable and reports its end', () => {
    const finals = finalStates(machine);
    const ended = paths.all.filter((p) => p.state.status === 'done');
    expect(new Set(ended.map((p) => stateLabel(p.state.value)))).toEqual(new Set(finals));
    for (const p of ended) {
      const want = name === 'support' ? undefined : END_OF[p.state.value as string];
      if (want) expect((p.state.output as { end: string }).end).toBe(want);
    }
    if (name === 'support') {
      // The support session always ends in a report; every end of the recovery it walks through, and a cancel, come out.
      expect(new Set(ended.map((p) => (p.state.output as { end: string }).end))).toEqual(new Set(['connected', 'stuck', 'cancelled', 'failed']));
    }
  });

  it('Ctrl-C (CANCEL) always ends as cancelled', () => {
    const cancelled = paths.all.filter((p) => p.state.status === 'done' && p.steps.some((s) => s.event.type === 'CANCEL'));
    expect(cancelled.length).toBeGreaterThan(0);
    for (const p of cancelled) expect((p.state.output as { end: string }).end, pathLine(p)).toBe('cancelled');
  });

  it('a pause for the person is always resumable or ends the flow (never a dead end)', () => {
    const paused = paths.all.filter((p) => JSON.stringify(p.state.value).includes('paused'));
    if (name === 'support') return expect(paused).toEqual([]);
    expect(paused.length).toBeGreaterThan(0);
    for (const p of paused) expect(p.state.can({ type: 'RESUME' }) && p.state.can({ type: 'CANCEL' }), pathLine(p)).toBe(true);
  });

  it('every guarded branch is taken by the traversal', () => {
    const refs = guardRefs(machine);
    expect(refs.length).toBeGreaterThan(0);
    const taken = guardsTakenTrue(machine);
    expect(refs.filter((r) => !taken.has(r))).toEqual([]);
  });

  it('the diagnoses used make every routed step due', () => {
    if (name === 'support') {
      expect(routedSteps(machine)).toEqual([]);
      return;
    }
    const offered = new Set(diagnoses(machine).flatMap((d) => d.steps));
    const confirmed = new Set(
      paths.all
        .flatMap((p) => p.steps.flatMap((s) => activeIds(s.state)))
        .filter((id) => id.endsWith('.confirm'))
        .map((id) => id.split('.')[1]!),
    );
    for (const step of routedSteps(machine)) expect(confirmed.has(step), step).toBe(true);
    expect(offered.size).toBeGreaterThan(0);
  });

  it(`replays every path on the real machine with scripted actors`, async () => {
    expect(paths.all.length).toBeGreaterThan(20);
    for (const p of paths.all) {
      const end = await replay(machine, p);
      expect(end.value, pathLine(p)).toEqual(p.state.value);
      expect(end.status, pathLine(p)).toBe(p.state.status);
      if (p.state.status === 'done') {
        const out = stripAt(end.output) as { end: string; outcomes: unknown[] };
        expect(out.end, pathLine(p)).toBe((p.state.output as { end: string }).end);
        expect(out.outcomes, pathLine(p)).toEqual(name === 'support' ? (pathLine(p).includes('recovery~paused') ? [PAUSED_OUTCOME] : []) : expectedOutcomes(p));
      }
    }
  }, 120_000);
});
