/**
 * Self-serve recovery (the default command): diagnose, take the first step of the article's fix
 * sequence that applies, confirm it, do it, diagnose again; until the gateway accepts the token
 * and no client reports a failure, or nothing more can be done automatically.
 */
import { and, assign, setup } from 'xstate';
import { ending, fixStep, flowActions, flowActors, flowGuards, initialContext, stepDue as step, type FlowContext, type FlowInput, type FlowOutput } from './shared.js';

const ROOT = 'recovery';

export const recoveryMachine = setup({
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
    // A step needs the person outside the wizard (edit a file, restart by hand).
    waitingForPerson: {
      invoke: {
        id: 'waitForPerson',
        src: 'waitForPerson',
        input: ({ context }) => ({ step: context.current }),
        onDone: [{ guard: 'personWillComeBack', target: 'paused' }, { target: 'diagnose' }],
        onError: 'paused',
      },
    },
    // Saved with getPersistedSnapshot; `--resume` restores it and sends RESUME.
    paused: { on: { RESUME: 'diagnose' } },
    connected: ending('connected'),
    stuck: ending('stuck'),
    cancelled: ending('cancelled'),
    failed: ending('failed'),
  },
  output: ({ context }) => ({ end: context.end ?? 'stuck', outcomes: context.outcomes }),
});
