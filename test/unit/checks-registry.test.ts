/**
 * The invariants that keep one problem in one module: every finding id has exactly one check,
 * every fix step a check can name is routed by the machines, and the fix `diagnose` prints is the
 * very plan the wizard shows before it runs the step.
 */
import { describe, expect, it } from 'vitest';
import { CHECKS, FINDING_IDS, STEP_IDS, stepById, stepsOfStage } from '../../src/checks/index.js';
import { deriveFindings, dueSteps } from '../../src/checks/derive.js';
import { viewOf } from '../../src/diagnosis/view.js';
import type { DiagnosisFacts } from '../../src/diagnosis/types.js';
import { recoveryMachine } from '../../flows/recovery.js';
import { setupMachine } from '../../flows/setup.js';
import { rotateMachine } from '../../flows/rotate.js';
import { guardRefs } from '../flows/model.js';
import { diagnosisFacts, tokenSource } from '../support/diagnosis-facts.js';

const A = 'a'.repeat(48);
const B = 'b'.repeat(48);

const source = tokenSource;
/** A diagnosis where nothing is found yet, with `patch` applied. */
const facts = diagnosisFacts;

describe('the check registry', () => {
  it('every finding id has exactly one check', () => {
    expect(new Set(FINDING_IDS).size).toBe(CHECKS.length);
    expect(FINDING_IDS.length).toBe(CHECKS.length);
  });

  it('every step a check can name is a registered step, once, in registry order', () => {
    const named = CHECKS.flatMap((c) => c.fixes.map((s) => s.id));
    for (const id of named) expect(STEP_IDS).toContain(id);
    expect(new Set(STEP_IDS).size).toBe(STEP_IDS.length);
    expect(STEP_IDS.slice(0, 5)).toEqual(['repairConfigFile', 'moveMisplacedGatewayBlock', 'setGatewayModeLocal', 'chooseTokenAuthMode', 'generateToken']);
  });

  it('every fix step of a check is routed by the recovery machine, in the registry order of its stage', () => {
    const routed = guardRefs(recoveryMachine).flatMap((k) => /^stepDue\((\w+)\)$/.exec(k)?.[1] ?? []);
    const fromChecks = [...new Set(CHECKS.flatMap((c) => c.fixes.map((s) => s.id)))];
    expect(fromChecks.filter((id) => !routed.includes(id))).toEqual([]);
    expect(stepsOfStage('fix-sequence')).toEqual(['repairConfigFile', 'moveMisplacedGatewayBlock', 'setGatewayModeLocal', 'chooseTokenAuthMode', 'generateToken']);
    expect(stepsOfStage('deliver')).toEqual(['putTokenIntoControlUi']);
    // The recovery graph names the design card's states.
    const states = Object.keys(recoveryMachine.root.states);
    for (const s of ['readEnforcedToken', 'fixSequence', 'stillFailing', 'generateToken', 'putTokenIntoControlUi', 'restartGateway', 'alignDockerEnv', 'stopStaleGateway']) expect(states).toContain(s);
    expect(Object.keys(recoveryMachine.root.states.generateToken!.states)).toEqual(['confirm', 'apply', 'verify']);
  });

  it('setup and rotate route only registered steps', () => {
    for (const m of [setupMachine, rotateMachine]) {
      const steps = Object.keys(m.root.states).filter((k) => (STEP_IDS as readonly string[]).includes(k));
      expect(steps.length).toBeGreaterThan(2);
    }
  });
});

describe('the fix diagnose prints is the plan the wizard shows', () => {
  const cases: Array<[string, DiagnosisFacts]> = [
    [
      'env and docker overrides',
      facts({
        sources: [source('config', 'config', A), source('env', 'process-env', B), source('compose:gw', 'compose', B, { file: '/p/.env', line: 2 })],
        accepted: new Map([['config', true]]),
      }),
    ],
    [
      'a service with an old token and a Control UI without one',
      facts({
        sources: [source('config', 'config', A), source('service:gw', 'service', B, { file: '/u/gw.service', line: 6 })],
        accepted: new Map([['config', true]]),
        log: {
          file: '/tmp/gw.log',
          exists: true,
          error: null,
          handshakes: [
            {
              time: '2026-11-30T00:00:00.000Z',
              kind: 'token-missing',
              client: 'openclaw-control-ui',
              clientMode: 'webchat',
              origin: 'http://127.0.0.1:18789',
              remote: '127.0.0.1',
              reason: 'token_missing',
              requestId: null,
            },
          ],
          lastStartAt: null,
          runtimeTokenGenerated: false,
          startBlocked: null,
        } as never,
      }),
    ],
  ];
  it.each(cases)('%s', (_name, f) => {
    const view = viewOf(f);
    const findings = deriveFindings(view);
    const withSteps = findings.filter((x) => x.step);
    expect(withSteps.length).toBeGreaterThan(0);
    for (const x of withSteps) expect(x.fix, x.id).toEqual(stepById(x.step as never).plan(view));
    expect(dueSteps(findings, STEP_IDS).length).toBe(new Set(withSteps.map((x) => x.step)).size);
  });

  it('a source the gateway accepted is never the one a finding calls rejected or overriding', () => {
    const f = facts({ sources: [source('config', 'config', A), source('env', 'process-env', A)], accepted: new Map([['config', true]]) });
    const ids = deriveFindings(viewOf(f)).map((x) => x.id);
    expect(ids).not.toContain('env-token-differs');
    expect(ids).not.toContain('gateway-rejects-config-token');
  });
});

describe('--yes answers only what the README says it answers (issue 8, point 7)', () => {
  it('stopping another process, rotating, approving a device and allowing an origin are explicit; restarting the gateway being fixed is not', () => {
    const always = STEP_IDS.filter((id) => stepById(id).explicit === true).sort();
    expect(always).toEqual(['allowOrigin', 'approvePairing', 'freeThePort', 'rotateToken', 'stopStaleGateway']);
    // Recreating a compose project is explicit unless that project runs the gateway being fixed (D22): decided per view.
    const perView = STEP_IDS.filter((id) => typeof stepById(id).explicit === 'function');
    expect(perView).toEqual(['alignDockerEnv']);
    expect(stepById('restartGateway').explicit).toBeFalsy();
  });
});
