/**
 * Self-serve recovery (the default command), the article's design card as a machine: read the
 * token the gateway enforces; work through the fix sequence (a readable config, local token
 * mode, generate a token); then the "still failing?" checklist (is it running, other gateways,
 * restart, service, Docker/env override, origins, pairing); then put the token into the Control
 * UI. Every fix ends in its own verify state, and what that diagnosis observes picks the next step.
 */
import { and } from 'xstate';
import { STEP_IDS } from '../src/checks/index.js';
import { closingStates, dueInStage, fixStep, flowOutput, flowSetup, initialContext, READ_ENFORCED_TOKEN, readEnforcedToken } from './shared.js';

const ROOT = 'recovery';
const ROUTER = 'fixSequence';

export const recoveryMachine = flowSetup.createMachine({
  id: ROOT,
  context: ({ input }) => initialContext(input),
  initial: READ_ENFORCED_TOKEN,
  on: { CANCEL: '.cancelled' },
  states: {
    // Step 1: every place the token lives, and which one the live gateway accepts.
    [READ_ENFORCED_TOKEN]: readEnforcedToken(ROUTER),
    // Before anything else works: a readable config in local token mode, and step 2: a token.
    [ROUTER]: {
      always: [
        // Out of rounds: done if healthy by now, else stuck.
        { guard: and(['tooManyRounds', 'healthy']), target: 'connected' },
        { guard: 'tooManyRounds', target: 'stuck' },
        ...dueInStage('fix-sequence'),
        { target: 'stillFailing' },
      ],
    },
    // The article's "still failing?" checklist, in its order, then step 3: the token into the Control UI.
    stillFailing: {
      always: [
        ...dueInStage('still-failing'),
        ...dueInStage('deliver'),
        // Healthy is checked last: a warning with a fix (a stale env token, Docker passing another
        // token) is still worth fixing before calling it done.
        { guard: 'healthy', target: 'connected' },
        { target: 'stuck' },
      ],
    },
    ...Object.fromEntries(STEP_IDS.filter((id) => id !== 'rotateToken' && id !== 'propagateToken').map((id) => [id, fixStep(ROOT, id, ROUTER)])),
    ...closingStates({ connected: 'connected', stuck: 'stuck', cancelled: 'cancelled', failed: 'failed' }),
  },
  output: flowOutput,
});
