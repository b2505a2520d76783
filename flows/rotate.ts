/**
 * Rotating the token, the article's trap: "regenerate, restart, then propagate to all clients
 * before you test". Rotation needs its own explicit confirmation because it breaks every client.
 */
import { and } from 'xstate';
import { closingStates, fixStep, flowOutput, flowSetup, initialContext, READ_ENFORCED_TOKEN, readEnforcedToken, stepDue as step } from './shared.js';

const ROOT = 'rotate';
const ROUTER = 'route';

export const rotateMachine = flowSetup.createMachine({
  id: ROOT,
  context: ({ input }) => initialContext(input),
  initial: READ_ENFORCED_TOKEN,
  on: { CANCEL: '.cancelled' },
  states: {
    [READ_ENFORCED_TOKEN]: readEnforcedToken(ROUTER),
    // Rotate first; then make the gateway enforce it; then hand it to every client.
    [ROUTER]: {
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
    rotateToken: fixStep(ROOT, 'rotateToken', ROUTER),
    startGateway: fixStep(ROOT, 'startGateway', ROUTER),
    restartGateway: fixStep(ROOT, 'restartGateway', ROUTER),
    propagateToken: fixStep(ROOT, 'propagateToken', ROUTER),
    putTokenIntoControlUi: fixStep(ROOT, 'putTokenIntoControlUi', ROUTER),
    ...closingStates({ connected: 'connected', stuck: 'stuck', cancelled: 'cancelled', failed: 'failed' }),
  },
  output: flowOutput,
});
