/**
 * Rotating the token, the article's trap: "regenerate, restart, then propagate to all clients
 * before you test". Rotation needs its own explicit confirmation because it breaks every client.
 */
import { and, assign, setup } from 'xstate';
import { ending, fixStep, flowActions, flowActors, flowGuards, initialContext, type FlowContext, type FlowInput, type FlowOutput } from './shared.js';

const ROOT = 'rotate';

export const rotateMachine = setup({
  types: {
    context: {} as FlowContext,
    input: {} as FlowInput | undefined,
    events: {} as { type: 'CANCEL' } | { type: 'RESUME' },
    output: {} as FlowOutput,
  },
  actors: flowActors,
  guards: flowGuards,
  actions: {
    storeSummary: assign(flowActions.storeSummary),
    setCurrent: assign(flowActions.setCurrent),
    markDeclined: assign(flowActions.markDeclined),
    recordOutcome: assign(flowActions.recordOutcome),
    recordCrash: assign(flowActions.recordCrash),
    end: assign(flowActions.end),
  },
}).createMachine({
  id: ROOT,
  context: ({ input }) => initialContext(input),
  initial: 'diagnose',
  on: { CANCEL: '.cancelled' },
  states: {
    diagnose: {
      invoke: { id: 'diagnose', src: 'diagnose', onDone: { target: 'route', actions: 'storeSummary' }, onError: 'failed' },
    },
    // Rotate first; then make the gateway enforce it; then hand it to every client.
    route: {
      always: [
        // Out of rounds: done if healthy by now, else stuck.
        { guard: and(['tooManyRounds', 'healthy']), target: 'connected' },
        { guard: 'tooManyRounds', target: 'stuck' },
        { guard: { type: 'notYet', params: { step: 'rotateToken' } }, target: 'rotateToken' },
        { guard: { type: 'stepDue', params: { step: 'startGateway' } }, target: 'startGateway' },
        { guard: { type: 'stepDue', params: { step: 'restartGateway' } }, target: 'restartGateway' },
        { guard: { type: 'notYet', params: { step: 'propagateToken' } }, target: 'propagateToken' },
        { guard: { type: 'notYet', params: { step: 'putTokenIntoControlUi' } }, target: 'putTokenIntoControlUi' },
        { guard: 'healthy', target: 'connected' },
        { target: 'stuck' },
      ],
    },
    rotateToken: fixStep(ROOT, 'rotateToken'),
    startGateway: fixStep(ROOT, 'startGateway'),
    restartGateway: fixStep(ROOT, 'restartGateway'),
    propagateToken: fixStep(ROOT, 'propagateToken'),
    putTokenIntoControlUi: fixStep(ROOT, 'putTokenIntoControlUi'),
    waitingForPerson: {
      invoke: {
        id: 'waitForPerson',
        src: 'waitForPerson',
        input: ({ context }) => ({ step: context.current }),
        onDone: [{ guard: 'personWillComeBack', target: 'paused' }, { target: 'diagnose' }],
        onError: 'paused',
      },
    },
    paused: { on: { RESUME: 'diagnose' } },
    connected: ending('connected'),
    stuck: ending('stuck'),
    cancelled: ending('cancelled'),
    failed: ending('failed'),
  },
  output: ({ context }) => ({ end: context.end ?? 'stuck', outcomes: context.outcomes }),
});
