import type { AnyStateMachine, AnyStateNode } from 'xstate';

/**
 * Event names as a person reads them, never xstate's internal ones: `xstate.done.actor.confirmStep`
 * → `confirmStep done`, `xstate.snapshot.recovery` (a child machine moved) → `recovery changes state`,
 * `xstate.after.500.x` → `after 500 ms`.
 */
export function eventLabel(type: string): string {
  const actor = /^xstate\.(done|error)\.actor\.(.+)$/.exec(type);
  if (actor) return `${actor[2]} ${actor[1] === 'done' ? 'done' : 'failed'}`;
  const snapshot = /^xstate\.snapshot\.(.+)$/.exec(type);
  if (snapshot) return `${snapshot[1]} changes state`;
  const after = /^xstate\.after\.(\d+)\./.exec(type);
  if (after) return `after ${after[1]} ms`;
  return type.replace(/^xstate\./, '');
}

function guardLabel(guard: unknown): string {
  if (!guard) return '';
  if (typeof guard === 'string') return guard;
  // and([...]) / or([...]) / not(...) helpers are functions carrying their operands.
  const combined = guard as { guards?: unknown[]; check?: { name?: string } };
  if (typeof guard === 'function' && Array.isArray(combined.guards)) {
    const op = /or/i.test(combined.check?.name ?? '') ? ' or ' : /not/i.test(combined.check?.name ?? '') ? 'not ' : ' and ';
    return op === 'not ' ? `not ${guardLabel(combined.guards[0])}` : combined.guards.map(guardLabel).join(op);
  }
  const g = guard as { type?: string; params?: Record<string, unknown> };
  if (g.type) {
    const p = g.params ? Object.values(g.params).join(',') : '';
    return p ? `${g.type}(${p})` : g.type;
  }
  return '';
}

const nodeName = (n: AnyStateNode) => n.path.join('_') || n.machine.id;

/** A Mermaid `stateDiagram-v2` generated from the machine itself, so the picture cannot drift. */
export function toMermaid(machine: AnyStateMachine): string {
  const lines = ['stateDiagram-v2'];
  const walk = (node: AnyStateNode, depth: number) => {
    const pad = '  '.repeat(depth);
    const children = Object.values(node.states) as AnyStateNode[];
    if (node.initial && children.length) {
      const initial = (node.initial as unknown as { target: readonly AnyStateNode[] }).target[0];
      if (initial) lines.push(`${pad}[*] --> ${nodeName(initial)}`);
    }
    for (const child of children) {
      const grand = Object.values(child.states) as AnyStateNode[];
      if (grand.length) {
        lines.push(`${pad}state ${nodeName(child)} {`);
        walk(child, depth + 1);
        lines.push(`${pad}}`);
      }
      if (child.type === 'final') lines.push(`${pad}${nodeName(child)} --> [*]`);
      for (const [event, defs] of child.transitions as Map<string, Array<{ target?: AnyStateNode[]; guard?: unknown }>>) {
        for (const def of defs)
          for (const t of def.target ?? []) {
            const g = guardLabel(def.guard);
            lines.push(`${pad}${nodeName(child)} --> ${nodeName(t)}: ${eventLabel(event)}${g ? ` [${g}]` : ''}`);
          }
      }
      for (const def of (child.always ?? []) as Array<{ target?: AnyStateNode[]; guard?: unknown }>) {
        for (const t of def.target ?? []) {
          const g = guardLabel(def.guard);
          lines.push(`${pad}${nodeName(child)} --> ${nodeName(t)}${g ? `: [${g}]` : ''}`);
        }
      }
    }
  };
  walk(machine.root as AnyStateNode, 1);
  // Transitions on the machine itself (CANCEL, from any state) have no single source state.
  const root = machine.root as AnyStateNode;
  for (const [event, defs] of root.transitions as Map<string, Array<{ target?: AnyStateNode[] }>>) {
    for (const def of defs) for (const t of def.target ?? []) lines.push(`  note right of ${nodeName(t)}: ${eventLabel(event)} from any state`);
  }
  return lines.join('\n') + '\n';
}
