/**
 * The routing of the recovery machine, asserted directly (not only through the path golden
 * files): which fix steps a diagnosis leads to, in which order, each at most once, and when the
 * flow may call the gateway connected.
 */
import { createActor, fromPromise, toPromise } from 'xstate';
import { describe, expect, it } from 'vitest';
import { recoveryMachine } from '../../flows/recovery.js';
import type { Answer, DiagnosisSummary, FlowOutput } from '../../flows/shared.js';
import { stepsOfStage, type StepId } from '../../src/checks/index.js';
import { dueSteps } from './model.js';

const MAX_OFFERS = 100;

const summary = (s: Partial<DiagnosisSummary>): DiagnosisSummary => ({ healthy: false, gatewayAccepts: false, findingIds: [], steps: [], ...s });

/**
 * Run the recovery machine with scripted actors: every diagnosis (the first and each verify) is
 * `after(stepsApplied)`, each offered step is answered by `answer`. Returns the steps offered, in order.
 */
async function route(first: DiagnosisSummary, opts: { answer?: (step: StepId) => Answer; after?: (applied: StepId[]) => DiagnosisSummary } = {}) {
  const offered: StepId[] = [];
  const applied: StepId[] = [];
  const next = () => opts.after?.(applied) ?? first;
  const machine = recoveryMachine.provide({
    actors: {
      diagnose: fromPromise(async () => first),
      confirmStep: fromPromise(async ({ input }: { input: { step: StepId } }) => {
        offered.push(input.step);
        // A flow that offers steps forever ends here (as failed) instead of starving the test's timer.
        if (offered.length > MAX_OFFERS) throw new Error(`more than ${MAX_OFFERS} steps offered: a flow that never ends`);
        return opts.answer?.(input.step) ?? 'no';
      }),
      applyStep: fromPromise(async ({ input }: { input: { step: StepId } }) => {
        applied.push(input.step);
        return { step: input.step, ok: true, message: 'done' };
      }),
      verifyStep: fromPromise(async () => ({ summary: next(), proof: { held: false, observed: 'not confirmed' } })),
      waitForPerson: fromPromise(async () => 'later' as const),
    } as never,
  });
  const actor = createActor(machine, { input: { maxRounds: 8 } });
  actor.start();
  const out: FlowOutput = await toPromise(actor);
  return { offered, end: out.end };
}

const routed = dueSteps(recoveryMachine);
/** The article's order: the fix sequence, the "still failing?" checklist, then the token into the Control UI. */
const articleOrder = [...stepsOfStage('fix-sequence'), ...stepsOfStage('still-failing'), ...stepsOfStage('deliver')].filter((s) => routed.includes(s));

describe('recovery routing', () => {
  it('several due steps are offered in the article order, each once, whatever order the diagnosis lists them in', async () => {
    const { offered, end } = await route(summary({ steps: ['putTokenIntoControlUi', 'restartGateway', 'generateToken', 'repairConfigFile'] }));
    expect(offered).toEqual(['repairConfigFile', 'generateToken', 'restartGateway', 'putTokenIntoControlUi']);
    expect(end).toBe('stuck');
  });

  it('every routed step is due at once: the whole checklist comes in the article order', async () => {
    const { offered } = await route(summary({ steps: [...routed].reverse() }));
    expect(offered).toEqual(articleOrder);
    expect(offered.slice(0, 5)).toEqual(['repairConfigFile', 'moveMisplacedGatewayBlock', 'setGatewayModeLocal', 'chooseTokenAuthMode', 'generateToken']);
    expect(offered.at(-1)).toBe('putTokenIntoControlUi');
  });

  it('healthy with a step still due: the step is offered before the flow ends connected', async () => {
    const { offered, end } = await route(summary({ healthy: true, gatewayAccepts: true, steps: ['alignDockerEnv'] }));
    expect(offered).toEqual(['alignDockerEnv']);
    expect(end).toBe('connected');
  });

  it('connected is decided by the healthy verdict, not by the gateway accepting a token', async () => {
    expect((await route(summary({ gatewayAccepts: true }))).end).toBe('stuck');
    expect((await route(summary({ healthy: true }))).end).toBe('connected');
  });

  it('a step already attempted is not offered again, although the next diagnosis still asks for it', async () => {
    const { offered, end } = await route(summary({ steps: ['generateToken', 'restartGateway'] }), { answer: () => 'yes' });
    expect(offered).toEqual(['generateToken', 'restartGateway']);
    expect(end).toBe('stuck');
  });

  it('a step declined is not offered again; the next due step is', async () => {
    const { offered } = await route(summary({ steps: ['restartGateway', 'putTokenIntoControlUi'] }), { answer: (s) => (s === 'restartGateway' ? 'no' : 'yes') });
    expect(offered).toEqual(['restartGateway', 'putTokenIntoControlUi']);
  });

  it('after a fix, what the verify diagnosis observes picks the next step', async () => {
    const { offered, end } = await route(summary({ steps: ['generateToken'] }), {
      answer: () => 'yes',
      after: (applied) => (applied.includes('restartGateway') ? summary({ healthy: true, gatewayAccepts: true }) : summary({ steps: ['restartGateway'] })),
    });
    expect(offered).toEqual(['generateToken', 'restartGateway']);
    expect(end).toBe('connected');
  });
});
