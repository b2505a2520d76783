/**
 * The support session script: a supporter walks a user through the recovery, reading out one
 * line per numbered step; every answer and check outcome is recorded, and a redacted Markdown
 * report (safe for a public ticket) is written at the end.
 */
import { assign, fromPromise, setup } from 'xstate';
import { recoveryMachine } from './recovery.js';
import type { FlowEnd, FlowOutput, StepOutcome } from './shared.js';

export type Symptom = 'token-missing' | 'token-mismatch' | 'other' | 'unknown';

export interface SupportContext {
  symptom: Symptom | null;
  recovery: FlowOutput | null;
  reportPath: string | null;
  end: FlowEnd | null;
}

export const supportMachine = setup({
  types: {
    context: {} as SupportContext,
    events: {} as { type: 'CANCEL' },
    output: {} as { end: FlowEnd; outcomes: StepOutcome[]; reportPath: string | null },
  },
  actors: {
    askSymptom: fromPromise<Symptom | 'cancel', void>(async () => {
      throw new Error('actor "askSymptom" was not provided');
    }),
    recovery: recoveryMachine,
    writeReport: fromPromise<string | null, { symptom: Symptom | null; recovery: FlowOutput | null }>(async () => {
      throw new Error('actor "writeReport" was not provided');
    }),
  },
  guards: {
    cancelledAtStart: ({ event }) => (event as unknown as { output: string }).output === 'cancel',
    // The walked-through recovery waits for RESUME, which a support session never sends.
    recoveryPaused: ({ event }) => (event as unknown as { snapshot?: { value?: unknown } }).snapshot?.value === 'paused',
  },
}).createMachine({
  id: 'support',
  context: { symptom: null, recovery: null, reportPath: null, end: null },
  initial: 'askWhatTheUserSees',
  // Ctrl-C still writes the report, and the session ends as cancelled (exit 130), not as "stuck".
  on: { CANCEL: { target: '.writeReport', actions: assign({ end: 'cancelled' as FlowEnd }) } },
  states: {
    // Step 1: which of the two errors does the user see? (missing = nothing set; mismatch = the wrong thing)
    askWhatTheUserSees: {
      invoke: {
        id: 'askSymptom',
        src: 'askSymptom',
        onDone: [
          { guard: 'cancelledAtStart', target: 'writeReport', actions: assign({ end: 'cancelled' as FlowEnd }) },
          { target: 'walkThroughRecovery', actions: assign({ symptom: ({ event }) => event.output as Symptom }) },
        ],
        onError: 'writeReport',
      },
    },
    // Steps 2..n: the recovery flow, narrated (numbered steps, a line to read out at each).
    walkThroughRecovery: {
      invoke: {
        id: 'recovery',
        src: 'recovery',
        input: {},
        onDone: { target: 'writeReport', actions: assign({ recovery: ({ event }) => event.output, end: ({ event }) => event.output.end }) },
        onError: { target: 'writeReport', actions: assign({ end: 'failed' as FlowEnd }) },
        // A step the user must do by hand, and "later" (or no terminal): end the session with its report instead of hanging.
        onSnapshot: {
          guard: 'recoveryPaused',
          target: 'writeReport',
          actions: assign({
            recovery: ({ event }) => ({ end: 'stuck' as FlowEnd, outcomes: (event.snapshot as unknown as { context: { outcomes: StepOutcome[] } }).context.outcomes }),
            end: 'stuck' as FlowEnd,
          }),
        },
      },
    },
    // The redacted report: versions, config path, fingerprints, findings, changes, timings.
    writeReport: {
      // The report is the last thing left: a second Ctrl-C must not start it over.
      on: { CANCEL: {} },
      invoke: {
        id: 'writeReport',
        src: 'writeReport',
        input: ({ context }) => ({ symptom: context.symptom, recovery: context.recovery }),
        onDone: { target: 'done', actions: assign({ reportPath: ({ event }) => event.output }) },
        onError: 'done',
      },
    },
    done: { type: 'final' },
  },
  output: ({ context }) => ({ end: context.end ?? context.recovery?.end ?? 'stuck', outcomes: context.recovery?.outcomes ?? [], reportPath: context.reportPath }),
});
