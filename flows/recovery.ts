/**
 * Self-serve recovery (the default command): diagnose, take the first step of the article's fix
 * sequence that applies, confirm it, do it, diagnose again; until the gateway accepts the token
 * and no client reports a failure, or nothing more can be done automatically.
 */
import { and } from 'xstate';
import { closingStates, fixStep, flowOutput, flowSetup, initialContext, stepDue as step } from './shared.js';

const ROOT = 'recovery';

export const recoveryMachine = flowSetup.createMachine({
  id: ROOT,
  context: ({ input }) => initialContext(input),
  initial: 'diagnose',
  on: { CANCEL: '.cancelled' },
  states: {
    // Read every place the token lives and ask the live gateway which one it accepts.
    diagnose: {
      invoke: { id: 'diagnose', src: 'diagnose', onDone: { target: 'route', actions: 'storeSummary' }, onError: 'failed' },
    },
    // The article's order: fix sequence first, then the "still failing?" checklist.
    route: {
      always: [
        // Out of rounds: done if healthy by now, else stuck.
        { guard: and(['tooManyRounds', 'healthy']), target: 'connected' },
        { guard: 'tooManyRounds', target: 'stuck' },
        step('repairConfigFile'),
        step('moveMisplacedGatewayBlock'),
        step('setGatewayModeLocal'),
        step('chooseTokenAuthMode'),
        step('generateToken'), // step 2: generate a token if none exists
        step('startGateway'), // checklist: is the gateway even running?
        step('freeThePort'),
        step('stopStaleGateway'), // checklist: multiple gateways?
        step('restartGateway'), // checklist: did you restart after changing the token?
        step('reinstallService'),
        step('alignDockerEnv'), // step 5: Docker env override
        step('removeEnvOverride'),
        step('allowOrigin'),
        step('approvePairing'),
        step('putTokenIntoControlUi'), // step 3: paste the token into the Control UI (then verify)
        // Healthy is checked last: a warning with a fix (a stale env token, Docker passing another
        // token) is still worth fixing before calling it done.
        { guard: 'healthy', target: 'connected' },
        { target: 'stuck' },
      ],
    },
    repairConfigFile: fixStep(ROOT, 'repairConfigFile'),
    moveMisplacedGatewayBlock: fixStep(ROOT, 'moveMisplacedGatewayBlock'),
    setGatewayModeLocal: fixStep(ROOT, 'setGatewayModeLocal'),
    chooseTokenAuthMode: fixStep(ROOT, 'chooseTokenAuthMode'),
    generateToken: fixStep(ROOT, 'generateToken'),
    startGateway: fixStep(ROOT, 'startGateway'),
    freeThePort: fixStep(ROOT, 'freeThePort'),
    stopStaleGateway: fixStep(ROOT, 'stopStaleGateway'),
    restartGateway: fixStep(ROOT, 'restartGateway'),
    reinstallService: fixStep(ROOT, 'reinstallService'),
    alignDockerEnv: fixStep(ROOT, 'alignDockerEnv'),
    removeEnvOverride: fixStep(ROOT, 'removeEnvOverride'),
    allowOrigin: fixStep(ROOT, 'allowOrigin'),
    approvePairing: fixStep(ROOT, 'approvePairing'),
    putTokenIntoControlUi: fixStep(ROOT, 'putTokenIntoControlUi'), // step 4: verify = the diagnosis that follows
    // A step needs the person outside the wizard (edit a file, restart by hand), or the flow ends.
    ...closingStates({ connected: 'connected', stuck: 'stuck', cancelled: 'cancelled', failed: 'failed' }),
  },
  output: flowOutput,
});
