/**
 * `graph` prints each flow as a Mermaid stateDiagram-v2 generated from the machine. The diagrams
 * are golden files (snapshots/flows/<flow>.mmd, UPDATE_SNAPSHOTS=1 rewrites them), and any diagram
 * embedded in the README must be exactly what `graph` prints. Runs the built CLI: `npx tsc -p .` first.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { AnyStateNode } from 'xstate';
import { toMermaid } from '../../src/render/mermaid.js';
import { golden } from '../support/golden.js';
import { BIN, REPO } from '../support/e2e.js';
import { MODELS, allStateIds } from './model.js';

const run = promisify(execFile);
const cli = async (...args: string[]) => run(process.execPath, [BIN, ...args], { cwd: REPO, env: { ...process.env, NO_COLOR: '1' } });

/** The Mermaid node name of a state id: `recovery.repairConfigFile.confirm` → `repairConfigFile_confirm`. */
const nodeName = (id: string) => id.split('.').slice(1).join('_');

describe('graph', () => {
  it('graph recovery prints a stateDiagram-v2 with every state of the recovery machine', async () => {
    const { stdout, stderr } = await cli('graph', 'recovery');
    expect(stderr).toBe('');
    expect(stdout.startsWith('%% flow: recovery\nstateDiagram-v2\n')).toBe(true);
    const recovery = MODELS.find((m) => m.name === 'recovery')!.machine;
    const ids = allStateIds(recovery);
    expect(ids.length).toBeGreaterThan(40);
    const missing = ids.filter((id) => !new RegExp(`(^|\\s)${nodeName(id)}(\\s|:|$)`, 'm').test(stdout));
    expect(missing).toEqual([]);
    // Every final state ends the diagram.
    const finals = (Object.values(recovery.root.states) as AnyStateNode[]).filter((n) => n.type === 'final').map((n) => n.key);
    for (const f of finals) expect(stdout).toContain(`  ${f} --> [*]\n`);
    expect(stdout).toContain('  [*] --> readEnforcedToken\n');
  });

  it.each(MODELS.map((m) => m.name))('%s: graph output = its golden .mmd file', async (name) => {
    const machine = MODELS.find((m) => m.name === name)!.machine;
    const diagram = toMermaid(machine);
    expect(diagram).toBe(golden(`flows/${name}.mmd`, diagram));
    const { stdout } = await cli('graph', name);
    expect(stdout).toBe(`%% flow: ${name}\n${diagram}\n`);
  });

  it.each(MODELS.map((m) => m.name))('%s: every transition is named for people, never by an internal xstate event', (name) => {
    const diagram = toMermaid(MODELS.find((m) => m.name === name)!.machine);
    expect(diagram).not.toMatch(/xstate\./);
    expect(diagram).not.toMatch(/\bdone\.invoke\b|\bsnapshot\b/);
  });

  it('support: the paused recovery is a transition a person can read', () => {
    const diagram = toMermaid(MODELS.find((m) => m.name === 'support')!.machine);
    expect(diagram).toContain('  walkThroughRecovery --> writeReport: recovery changes state [recoveryPaused]\n');
  });

  it('graph with no flow prints all four as Markdown sections, one fenced mermaid block each; an unknown flow is a usage error', async () => {
    const { stdout } = await cli('graph');
    expect(stdout).toBe(MODELS.map((m) => `## ${m.name}\n\n\`\`\`mermaid\n%% flow: ${m.name}\n${toMermaid(m.machine)}\`\`\`\n`).join('\n'));
    // One diagram per block: a second header in one document is what Mermaid cannot parse.
    const blocks = [...stdout.matchAll(/```mermaid\n([\s\S]*?)```/g)].map((b) => b[1]!);
    expect(blocks).toHaveLength(MODELS.length);
    for (const b of blocks) expect(b.match(/^stateDiagram-v2$/gm)).toHaveLength(1);
    const bad = await cli('graph', 'nope').then(
      () => null,
      (e: { code: number; stderr: string }) => e,
    );
    expect(bad?.code).toBe(2);
    expect(bad?.stderr).toContain('unknown flow "nope"');
  });

  const readme = join(REPO, 'README.md');
  const blocks = existsSync(readme) ? [...readFileSync(readme, 'utf8').matchAll(/```mermaid\n([\s\S]*?)```/g)].map((m) => m[1]!).filter((b) => /^(%%.*\n)?stateDiagram-v2/.test(b)) : [];
  it.skipIf(blocks.length === 0)('every state diagram embedded in the README is what graph prints', () => {
    for (const b of blocks) {
      const flow = /^%% flow: (\w+)\n/.exec(b)?.[1];
      const body = b.replace(/^%%.*\n/, '');
      if (flow) expect(body, `README diagram for ${flow}`).toBe(golden(`flows/${flow}.mmd`, toMermaid(MODELS.find((m) => m.name === flow)!.machine)));
      else
        expect(
          MODELS.map((m) => toMermaid(m.machine)),
          'README diagram without a %% flow line',
        ).toContain(body);
    }
  });
});
