/**
 * First-time walkthrough: OpenClaw is installed, the gateway runs in local mode with a token
 * saved in the config, and the Control UI is opened with that token and seen connecting in the
 * gateway's own log.
 */
import { and } from 'xstate';
import { STEP_IDS, type StepId } from '../src/checks/index.js';
import { closingStates, fixStep, flowOutput, flowSetup, initialContext, READ_ENFORCED_TOKEN, readEnforcedToken, stepDue } from './shared.js';

const ROOT = 'setup';
const ROUTER = 'route';

/** What a first setup can meet, in the registry's order: config, mode, token, a running gateway that enforces it. */
const SETUP_NEEDS = new Set<StepId>(['repairConfigFile', 'setGatewayModeLocal', 'chooseTokenAuthMode', 'generateToken', 'startGateway', 'freeThePort', 'stopStaleGateway', 'restartGateway']);
const SETUP_STEPS = STEP_IDS.filter((id) => SETUP_NEEDS.has(id));

export const setupMachine = flowSetup.createMachine({
  id: ROOT,
  context: ({ input }) => initialContext(input),
  initial: 'checkOpenClaw',
  on: { CANCEL: '.cancelled' },
  states: {
    // OpenClaw present, and which version.
    checkOpenClaw: {
      invoke: { id: 'findOpenClaw', src: 'findOpenClaw', onDone: [{ guard: 'openClawFound', target: READ_ENFORCED_TOKEN }, { target: 'openClawMissing' }], onError: 'openClawMissing' },
    },
    [READ_ENFORCED_TOKEN]: readEnforcedToken(ROUTER),
    [ROUTER]: {
      always: [
        // Out of rounds: done if healthy by now, else stuck.
        { guard: and(['tooManyRounds', 'healthy']), target: 'ready' },
        { guard: 'tooManyRounds', target: 'stuck' },
        ...SETUP_STEPS.map(stepDue),
        { guard: 'controlUiNotYetOpened', target: 'putTokenIntoControlUi' }, // open the Control UI with the token
        { guard: 'healthy', target: 'ready' },
        stepDue('putTokenIntoControlUi'),
        { target: 'stuck' },
      ],
    },
    ...Object.fromEntries([...SETUP_STEPS, 'putTokenIntoControlUi' as const].map((id) => [id, fixStep(ROOT, id, ROUTER)])),
    ...closingStates({ ready: 'ready', openClawMissing: 'openclaw-missing', stuck: 'stuck', cancelled: 'cancelled', failed: 'failed' }),
  },
  output: flowOutput,
});
