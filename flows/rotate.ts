/**
 * Rotating the token, the article's trap: "regenerate, restart, then propagate to all clients
 * before you test". Rotation needs its own explicit confirmation because it breaks every client.
 */
import { and } from 'xstate';
import { closingStates, fixStep, flowOutput, flowSetup, initialContext, stepDue as step } from './shared.js';

const ROOT = 'rotate';

export const rotateMachine = flowSetup.createMachine({
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
        step('startGateway'),
        step('restartGateway'),
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
    ...closingStates({ connected: 'connected', stuck: 'stuck', cancelled: 'cancelled', failed: 'failed' }),
  },
  output: flowOutput,
});
