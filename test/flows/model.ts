/**
 * The flow machines as models: which events each state can see (the outputs of whichever actor
 * the state invokes, that actor failing, CANCEL, RESUME), how a snapshot is keyed for traversal,
 * and a replay of a generated path on the real machine with scripted actors.
 */
import { createActor, fromPromise, waitFor, type AnyActorLogic, type AnyMachineSnapshot, type AnyStateMachine, type AnyStateNode } from 'xstate';
import { getShortestPaths, type StatePath } from 'xstate/graph';
import { recoveryMachine } from '../../flows/recovery.js';
import { setupMachine } from '../../flows/setup.js';
import { rotateMachine } from '../../flows/rotate.js';
import { supportMachine } from '../../flows/support.js';
import { STEP_IDS, type StepId } from '../../src/checks/index.js';
import type { DiagnosisSummary, FlowEnd } from '../../flows/shared.js';

export type ModelEvent = { type: string; output?: unknown; error?: unknown; snapshot?: unknown };

/** What a recovery child that paused for the person leaves behind (see pausingRecovery). */
export const PAUSED_OUTCOME = { step: 'repairConfigFile', ok: false, waiting: true, message: 'do it by hand' } as const;
export type Path = StatePath<AnyMachineSnapshot, ModelEvent>;

/** Small on purpose: every branch is reachable within two diagnoses, and traversal stays finite. */
export const MAX_ROUNDS = 1;

const summary = (s: Partial<DiagnosisSummary>): DiagnosisSummary => ({ healthy: false, gatewayAccepts: false, findingIds: [], steps: [], ...s });

/** The fix steps a machine routes to: its states named after a StepId. */
export function routedSteps(machine: AnyStateMachine): StepId[] {
  return Object.keys(machine.root.states).filter((k): k is StepId => (STEP_IDS as readonly string[]).includes(k));
}

/** Every guard reference in a machine's transitions, as `name(params)` (`stepDue(startGateway)`). */
export function guardRefs(machine: AnyStateMachine): string[] {
  const out = new Set<string>();
  const walk = (n: AnyStateNode) => {
    const defs = [...[...n.transitions.values()].flat(), ...(n.always ?? [])];
    // and([...]) guards are functions carrying their operands: each operand must be seen true.
    const add = (g: unknown): void => {
      const combined = g as { guards?: unknown[] };
      if (typeof g === 'function' && Array.isArray(combined.guards)) combined.guards.forEach(add);
      else out.add(guardKey(g as never));
    };
    for (const d of defs) if (d.guard) add(d.guard);
    for (const c of Object.values(n.states) as AnyStateNode[]) walk(c);
  };
  walk(machine.root);
  return [...out].sort();
}

export function guardKey(g: string | { type: string; params?: Record<string, unknown> }, params?: Record<string, unknown>): string {
  const type = typeof g === 'string' ? g : g.type;
  const p = params ?? (typeof g === 'string' ? undefined : g.params);
  return p ? `${type}(${Object.values(p).join(',')})` : type;
}

/** Steps whose routing reads the diagnosis (`stepDue` guards); rotate walks its other steps regardless. */
export function dueSteps(machine: AnyStateMachine): StepId[] {
  return guardRefs(machine).flatMap((k) => {
    const m = /^stepDue\((\w+)\)$/.exec(k);
    return m ? [m[1] as StepId] : [];
  });
}

/** Three due steps from different stages, listed out of registry order on purpose. */
export function severalDue(machine: AnyStateMachine): StepId[] {
  const due = dueSteps(machine);
  const inOrder = STEP_IDS.filter((id) => due.includes(id));
  return [inOrder.at(-1)!, inOrder[0]!, inOrder[Math.floor(inOrder.length / 2)]!];
}

/** Diagnoses that make each routed step due, plus the healthy and nothing-to-do ones. */
export function diagnoses(machine: AnyStateMachine): DiagnosisSummary[] {
  return [
    summary({ healthy: true, gatewayAccepts: true }),
    summary({}),
    // setup reads gatewayAccepts on its own (open the Control UI once the gateway takes the token)
    summary({ gatewayAccepts: true }),
    ...dueSteps(machine).map((step) => summary({ steps: [step] })),
    // The hard cases: several steps due at once (routed in registry order, each offered once),
    // and healthy while a step with a fix is still due (the fix comes before "connected").
    ...(dueSteps(machine).length > 1 ? [summary({ steps: severalDue(machine) }), summary({ healthy: true, gatewayAccepts: true, steps: [dueSteps(machine).at(-1)!] })] : []),
  ];
}

const ENDS: FlowEnd[] = ['connected', 'ready', 'stuck', 'cancelled', 'failed', 'openclaw-missing'];

/** What each actor id can answer, given the snapshot that invoked it. */
function outputsFor(machine: AnyStateMachine, id: string, snap: AnyMachineSnapshot): unknown[] {
  const step = (snap.context as { current?: StepId | null }).current ?? null;
  switch (id) {
    case 'diagnose':
      return diagnoses(machine);
    case 'confirmStep':
      return ['yes', 'no', 'cancel'];
    case 'applyStep':
      return [
        { step, ok: true, message: 'done' },
        { step, ok: false, message: 'did not work' },
        { step, ok: false, waiting: true, message: 'do it by hand' },
      ];
    case 'verifyStep':
      return diagnoses(machine).map((summary) => ({ summary, proof: { held: summary.healthy, observed: summary.healthy ? 'held' : 'not confirmed' } }));
    case 'waitForPerson':
      return ['done', 'later'];
    case 'findOpenClaw':
      return [
        { found: true, version: '2026.9.6' },
        { found: false, version: null },
      ];
    case 'askSymptom':
      return ['token-missing', 'token-mismatch', 'other', 'unknown', 'cancel'];
    case 'recovery':
      return ENDS.filter((e) => e !== 'ready' && e !== 'openclaw-missing').map((end) => ({ end, outcomes: [] }));
    case 'writeReport':
      return ['/tmp/otw-report.md', null];
    default:
      throw new Error(`no outputs modelled for actor "${id}"`);
  }
}

/** Ids of the actors the snapshot's active states invoke. */
export function activeInvokes(snap: AnyMachineSnapshot): string[] {
  return (snap._nodes as AnyStateNode[]).flatMap((n) => n.invoke.map((i) => i.id));
}

export function eventsFor(machine: AnyStateMachine) {
  return (snap: AnyMachineSnapshot): ModelEvent[] => {
    if (snap.status !== 'active') return [];
    const evs: ModelEvent[] = [];
    for (const id of activeInvokes(snap)) {
      for (const output of outputsFor(machine, id, snap)) evs.push({ type: `xstate.done.actor.${id}`, output });
      evs.push({ type: `xstate.error.actor.${id}`, error: new Error(`${id} crashed`) });
    }
    // The support flow watches its recovery child: a pause (the person acts by hand, "later") ends the session.
    if (activeInvokes(snap).includes('recovery')) evs.push({ type: 'xstate.snapshot.recovery', snapshot: { status: 'active', value: 'paused', context: { outcomes: [PAUSED_OUTCOME] } } });
    for (const type of ['CANCEL', 'RESUME']) if (snap.can({ type })) evs.push({ type });
    return evs;
  };
}

/** Everything a guard reads, so two snapshots with the same key route the same way. */
export function serialize(snap: AnyMachineSnapshot): string {
  const c = snap.context as Record<string, unknown> & { summary?: DiagnosisSummary | null; recovery?: { end: string } | null };
  return JSON.stringify({
    value: snap.value,
    status: snap.status,
    round: c.round,
    attempted: c.attempted,
    summary: c.summary ? { h: c.summary.healthy, a: c.summary.gatewayAccepts, s: c.summary.steps } : c.summary,
    symptom: c.symptom,
    end: c.end,
    recovery: c.recovery ? [c.recovery.end, (c.recovery as { outcomes?: unknown[] }).outcomes?.length] : c.recovery,
    reportPath: c.reportPath,
  });
}

export function stateLabel(value: unknown): string {
  if (typeof value === 'string') return value;
  return Object.entries(value as Record<string, unknown>)
    .map(([k, v]) => `${k}.${stateLabel(v)}`)
    .join(',');
}

/** `healthy`, `healthy+alignDockerEnv`, `generateToken+restartGateway`, `accepts`, `nothing`. */
function summaryLabel(s: DiagnosisSummary): string {
  const parts = [...(s.healthy ? ['healthy'] : []), ...s.steps];
  return parts.length ? parts.join('+') : s.gatewayAccepts ? 'accepts' : 'nothing';
}

export function eventLabel(e: ModelEvent): string {
  if (e.type.startsWith('xstate.snapshot.')) return `${e.type.slice('xstate.snapshot.'.length)}~${(e.snapshot as { value: string }).value}`;
  const m = /^xstate\.(done|error)\.actor\.(.+)$/.exec(e.type);
  if (!m) return e.type;
  const id = m[2]!;
  if (m[1] === 'error') return `${id}!error`;
  const o = e.output as never;
  switch (id) {
    case 'diagnose': {
      const s = o as DiagnosisSummary;
      return `diagnose=${summaryLabel(s)}`;
    }
    case 'verifyStep': {
      const s = (o as { summary: DiagnosisSummary }).summary;
      return `verifyStep=${summaryLabel(s)}`;
    }
    case 'applyStep': {
      const r = o as { ok: boolean; waiting?: boolean };
      return `applyStep=${r.ok ? 'ok' : r.waiting ? 'waiting' : 'failed'}`;
    }
    case 'findOpenClaw':
      return `findOpenClaw=${(o as { found: boolean }).found ? 'found' : 'missing'}`;
    case 'recovery':
      return `recovery=${(o as { end: string }).end}`;
    case 'writeReport':
      return `writeReport=${o === null ? 'none' : 'written'}`;
    default:
      return `${id}=${String(o)}`;
  }
}

export const pathLine = (p: Path) =>
  `${
    p.steps
      .slice(1)
      .map((s) => eventLabel(s.event))
      .join(' > ') || '(start)'
  } => ${stateLabel(p.state.value)}`;

export interface Model {
  name: 'recovery' | 'setup' | 'rotate' | 'support';
  machine: AnyStateMachine;
}

export const MODELS: Model[] = [
  { name: 'recovery', machine: recoveryMachine },
  { name: 'setup', machine: setupMachine },
  { name: 'rotate', machine: rotateMachine },
  { name: 'support', machine: supportMachine },
];

/**
 * The traversal's bounds: about 550 states for the largest machine today. A flow that can offer
 * a step forever (a guard that forgets what was attempted) has unboundedly many states; these
 * bounds end its traversal with an error in seconds instead of gigabytes and minutes.
 */
export const MAX_STATES = 3_000;
export const MAX_TRAVERSAL_MS = 60_000;

/** One shortest path to every distinct (state, guard-relevant context) pair, within the bounds. */
export function generatePaths(machine: AnyStateMachine, bounds: { maxStates?: number; maxMs?: number } = {}): Path[] {
  const maxStates = bounds.maxStates ?? MAX_STATES;
  const deadline = Date.now() + (bounds.maxMs ?? MAX_TRAVERSAL_MS);
  const events = eventsFor(machine);
  let states = 0;
  // The traversal asks for the events of each distinct state once: the count of states so far.
  const bounded = (snap: AnyMachineSnapshot): ModelEvent[] => {
    if (++states > maxStates) throw new Error(`${machine.id}: more than ${maxStates} distinct states (a flow that never ends?)`);
    if (Date.now() > deadline) throw new Error(`${machine.id}: path generation took longer than ${bounds.maxMs ?? MAX_TRAVERSAL_MS} ms`);
    return events(snap);
  };
  return getShortestPaths(machine, {
    input: { maxRounds: MAX_ROUNDS },
    events: bounded as never,
    serializeState: serialize as never,
    limit: maxStates * 40,
  });
}

/** Every state node id of a machine (`recovery.repairConfigFile.confirm`, …). */
export function allStateIds(machine: AnyStateMachine): string[] {
  const out: string[] = [];
  const walk = (n: AnyStateNode) => {
    for (const c of Object.values(n.states) as AnyStateNode[]) {
      out.push(c.id);
      walk(c);
    }
  };
  walk(machine.root);
  return out;
}

/** Ids of the state nodes a snapshot is in. */
export const activeIds = (snap: AnyMachineSnapshot) => (snap._nodes as AnyStateNode[]).map((n) => n.id).filter((id) => id.includes('.'));

/**
 * Step-by-step replay: the driver releases one path step at a time. An actor event is handed to
 * the scripted actor with that id (whenever it is invoked); a plain event is sent to the actor.
 * After each step the real actor must be in the state the path recorded.
 */
export async function replay(machine: AnyStateMachine, path: Path, timeoutMs = 2000): Promise<AnyMachineSnapshot> {
  const released = new Map<string, ModelEvent[]>();
  const waiting = new Map<string, (e: ModelEvent) => void>();
  const release = (id: string, e: ModelEvent) => {
    const w = waiting.get(id);
    if (w) {
      waiting.delete(id);
      w(e);
    } else released.set(id, [...(released.get(id) ?? []), e]);
  };
  const scripted = (id: string): AnyActorLogic =>
    fromPromise(async ({ signal }) => {
      const queued = released.get(id)?.shift();
      const e =
        queued ??
        (await new Promise<ModelEvent>((resolve, reject) => {
          waiting.set(id, resolve);
          // A stopped invocation (left by CANCEL) must not swallow the answer meant for the next one.
          signal.addEventListener('abort', () => {
            if (waiting.get(id) === resolve) waiting.delete(id);
            reject(new Error('stopped'));
          });
        }));
      if (e.type.startsWith('xstate.error.')) throw e.error;
      return e.output;
    });
  const ids = new Set<string>(['diagnose', 'confirmStep', 'applyStep', 'verifyStep', 'waitForPerson', 'findOpenClaw', 'askSymptom', 'recovery', 'writeReport']);
  const actors: Record<string, AnyActorLogic> = Object.fromEntries([...ids].map((id) => [id, scripted(id)]));
  // A snapshot event can only come from a real child: the real recovery machine, scripted to pause.
  if (path.steps.some((s) => s.event.type === 'xstate.snapshot.recovery')) actors.recovery = pausingRecovery();
  const actor = createActor(machine.provide({ actors: actors as never }), { input: { maxRounds: MAX_ROUNDS } } as never);
  const errors: unknown[] = [];
  actor.subscribe({ error: (e) => errors.push(e) });
  actor.start();
  try {
    for (const [i, step] of path.steps.entries()) {
      if (i > 0) {
        const m = /^xstate\.(?:done|error)\.actor\.(.+)$/.exec(step.event.type);
        if (m) release(m[1]!, step.event);
        else if (!step.event.type.startsWith('xstate.snapshot.')) actor.send(step.event);
      }
      const want = serialize(step.state);
      try {
        await waitFor(actor, (s) => serialize(s as AnyMachineSnapshot) === want, { timeout: timeoutMs });
      } catch {
        throw new Error(
          `replay diverged at step ${i} (${eventLabel(step.event)}): expected ${want}, got ${serialize(actor.getSnapshot() as AnyMachineSnapshot)}${errors.length ? ` (error: ${String(errors[0])})` : ''}`,
        );
      }
    }
    return actor.getSnapshot() as AnyMachineSnapshot;
  } finally {
    actor.stop();
  }
}

/** The real recovery machine, driven to `paused`: one step that must be done by hand, then "later". */
export function pausingRecovery(): AnyActorLogic {
  return recoveryMachine.provide({
    actors: {
      diagnose: fromPromise(async () => summary({ steps: ['repairConfigFile'] })),
      confirmStep: fromPromise(async () => 'yes' as const),
      applyStep: fromPromise(async () => ({ ...PAUSED_OUTCOME })),
      waitForPerson: fromPromise(async () => 'later' as const),
    } as never,
  });
}
