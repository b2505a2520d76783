/**
 * First-time walkthrough: OpenClaw is installed, the gateway runs in local mode with a token
 * saved in the config, and the Control UI is opened with that token and seen connecting in the
 * gateway's own log.
 */
import { and } from 'xstate';
import { closingStates, fixStep, flowOutput, flowSetup, initialContext, stepDue as step } from './shared.js';

const ROOT = 'setup';

export const setupMachine = flowSetup.createMachine({
  id: ROOT,
  context: ({ input }) => initialContext(input),
  initial: 'checkOpenClaw',
  on: { CANCEL: '.cancelled' },
  states: {
    // OpenClaw present, and which version.
    checkOpenClaw: {
      invoke: { id: 'findOpenClaw', src: 'findOpenClaw', onDone: [{ guard: 'openClawFound', target: 'diagnose' }, { target: 'openClawMissing' }], onError: 'openClawMissing' },
    },
    diagnose: {
      invoke: { id: 'diagnose', src: 'diagnose', onDone: { target: 'route', actions: 'storeSummary' }, onError: 'failed' },
    },
    route: {
      always: [
        // Out of rounds: done if healthy by now, else stuck.
        { guard: and(['tooManyRounds', 'healthy']), target: 'ready' },
        { guard: 'tooManyRounds', target: 'stuck' },
        step('repairConfigFile'),
        step('setGatewayModeLocal'), // gateway.mode local
        step('chooseTokenAuthMode'),
        step('generateToken'), // a token exists
        step('startGateway'), // the gateway runs…
        step('freeThePort'),
        step('stopStaleGateway'),
        step('restartGateway'), // …with that token
        { guard: 'controlUiNotYetOpened', target: 'putTokenIntoControlUi' }, // open the Control UI with the token
        { guard: 'healthy', target: 'ready' },
        step('putTokenIntoControlUi'),
        { target: 'stuck' },
      ],
    },
    repairConfigFile: fixStep(ROOT, 'repairConfigFile'),
    setGatewayModeLocal: fixStep(ROOT, 'setGatewayModeLocal'),
    chooseTokenAuthMode: fixStep(ROOT, 'chooseTokenAuthMode'),
    generateToken: fixStep(ROOT, 'generateToken'),
    startGateway: fixStep(ROOT, 'startGateway'),
    freeThePort: fixStep(ROOT, 'freeThePort'),
    stopStaleGateway: fixStep(ROOT, 'stopStaleGateway'),
    restartGateway: fixStep(ROOT, 'restartGateway'),
    // Confirmed from the gateway's log: the step watches for the Control UI's connect record.
    putTokenIntoControlUi: fixStep(ROOT, 'putTokenIntoControlUi'),
    ...closingStates({ ready: 'ready', openClawMissing: 'openclaw-missing', stuck: 'stuck', cancelled: 'cancelled', failed: 'failed' }),
  },
  output: flowOutput,
});
