/**
 * What every flow machine shares: the JSON-safe summary a diagnosis hands to the machines, the
 * actors they invoke (implemented in flows/runtime.ts, scripted in tests), and the shape of one
 * fix step (show the plan and confirm, apply, then verify: diagnose again and read the step's proof).
 */
import { assign, fromPromise, setup } from 'xstate';
import type { Proof } from '../src/checks/check.js';
import { stepsOfStage, type FindingId, type StepId } from '../src/checks/index.js';

/** What the machines know of a diagnosis: no tokens, only ids and verdicts (it is persisted by --resume). */
export interface DiagnosisSummary {
  healthy: boolean;
  /** The gateway accepted the config token (or the token clients should use). */
  gatewayAccepts: boolean;
  findingIds: FindingId[];
  /** Fix steps that apply, in the article's order. */
  steps: StepId[];
}

export type Answer = 'yes' | 'no' | 'cancel';

export interface StepResult {
  step: StepId;
  ok: boolean;
  message: string;
  /** The person must act outside the wizard before it can go on. */
  waiting?: boolean;
  /** What the diagnosis after the step observed, set by the step's verify state. */
  proof?: Proof;
}

export interface StepOutcome extends StepResult {
  at: string;
}

/** The diagnosis that follows a step, and whether it shows the step worked. */
export interface Verification {
  summary: DiagnosisSummary;
  proof: Proof;
}

export interface FlowContext {
  summary: DiagnosisSummary | null;
  round: number;
  maxRounds: number;
  /** Steps tried or declined in this run: never offered twice, so a flow always ends. */
  attempted: StepId[];
  outcomes: StepOutcome[];
  current: StepId | null;
  /** How the flow ended, set on entry to a final state. */
  end: FlowEnd | null;
}

export type FlowEnd = 'connected' | 'ready' | 'stuck' | 'cancelled' | 'failed' | 'openclaw-missing';

export interface FlowInput {
  maxRounds?: number;
}

export function initialContext(input: FlowInput | undefined): FlowContext {
  return { summary: null, round: 0, maxRounds: input?.maxRounds ?? 8, attempted: [], outcomes: [], current: null, end: null };
}

const notProvided = (name: string) => async (): Promise<never> => {
  throw new Error(`actor "${name}" was not provided: run the machine through flows/runtime.ts or provide it in the test`);
};

/** Actor signatures; the real implementations come from `machine.provide()`. */
export const flowActors = {
  findOpenClaw: fromPromise<{ found: boolean; version: string | null }, void>(notProvided('findOpenClaw')),
  diagnose: fromPromise<DiagnosisSummary, void>(notProvided('diagnose')),
  confirmStep: fromPromise<Answer, { step: StepId }>(notProvided('confirmStep')),
  applyStep: fromPromise<StepResult, { step: StepId }>(notProvided('applyStep')),
  verifyStep: fromPromise<Verification, { step: StepId }>(notProvided('verifyStep')),
  waitForPerson: fromPromise<'done' | 'later', { step: StepId | null }>(notProvided('waitForPerson')),
};

/** The state that reads every place the token lives and asks the live gateway which one it accepts. */
export const READ_ENFORCED_TOKEN = 'readEnforcedToken';

/** Diagnose, then route: the first state of every fix flow after its own preliminaries. */
export function readEnforcedToken(router: string) {
  return { invoke: { id: 'diagnose', src: 'diagnose' as const, onDone: { target: router, actions: 'storeSummary' as const }, onError: 'failed' } };
}

/**
 * One fix step as a compound state: confirm (the plan is shown first) → apply → verify (the next
 * diagnosis and the step's proof) → `router`, which picks the next step from what verify observed.
 * A "no" marks the step declined and goes back to routing; Esc/Ctrl-C ends the flow.
 */
export function fixStep(rootId: string, step: StepId, router: string) {
  const next = `#${rootId}.${router}`;
  return {
    entry: { type: 'setCurrent' as const, params: { step } },
    initial: 'confirm' as const,
    states: {
      confirm: {
        invoke: {
          id: 'confirmStep',
          src: 'confirmStep' as const,
          input: { step },
          onDone: [
            { guard: { type: 'answered' as const, params: { answer: 'yes' as const } }, target: 'apply' },
            { guard: { type: 'answered' as const, params: { answer: 'cancel' as const } }, target: `#${rootId}.cancelled` },
            { target: next, actions: { type: 'markDeclined' as const, params: { step } } },
          ],
          onError: { target: `#${rootId}.failed` },
        },
      },
      apply: {
        invoke: {
          id: 'applyStep',
          src: 'applyStep' as const,
          input: { step },
          onDone: [
            { guard: 'mustWaitForPerson' as const, target: `#${rootId}.waitingForPerson`, actions: 'recordOutcome' as const },
            { target: 'verify', actions: 'recordOutcome' as const },
          ],
          onError: { target: 'verify', actions: { type: 'recordCrash' as const, params: { step } } },
        },
      },
      // Step 4 of the article after every change: look again, and let what is observed decide.
      verify: {
        invoke: {
          id: 'verifyStep',
          src: 'verifyStep' as const,
          input: { step },
          onDone: { target: next, actions: 'storeVerification' as const },
          onError: { target: `#${rootId}.failed` },
        },
      },
    },
  };
}

type DoneEvent<T> = { type: string; output: T };
type ErrorEvent = { type: string; error: unknown };
type AnyFlowEvent = { type: string; output?: unknown; error?: unknown };

/** Guards and actions every flow uses, by name, so the machines read as plain routing. */
export const flowGuards = {
  healthy: ({ context }: { context: FlowContext }) => !!context.summary?.healthy,
  tooManyRounds: ({ context }: { context: FlowContext }) => context.round > context.maxRounds,
  stepDue: ({ context }: { context: FlowContext }, params: { step: StepId }) => !!context.summary?.steps.includes(params.step) && !context.attempted.includes(params.step),
  /** Not yet done in this run (the rotate flow walks its steps regardless of findings). */
  notYet: ({ context }: { context: FlowContext }, params: { step: StepId }) => !context.attempted.includes(params.step),
  answered: ({ event }: { event: AnyFlowEvent }, params: { answer: Answer }) => (event as DoneEvent<Answer>).output === params.answer,
  mustWaitForPerson: ({ event }: { event: AnyFlowEvent }) => !!(event as DoneEvent<StepResult>).output?.waiting,
  personWillComeBack: ({ event }: { event: AnyFlowEvent }) => (event as DoneEvent<'done' | 'later'>).output === 'later',
  openClawFound: ({ event }: { event: AnyFlowEvent }) => !!(event as DoneEvent<{ found: boolean }>).output?.found,
  /** Setup always ends by handing the token to the Control UI once the gateway accepts it. */
  controlUiNotYetOpened: ({ context }: { context: FlowContext }) => !!context.summary?.gatewayAccepts && !context.attempted.includes('putTokenIntoControlUi'),
};

export const flowActions = {
  storeSummary: ({ context, event }: { context: FlowContext; event: AnyFlowEvent }): Partial<FlowContext> => ({
    summary: (event as DoneEvent<DiagnosisSummary>).output,
    round: context.round + 1,
  }),
  setCurrent: (_: unknown, params: { step: StepId }): Partial<FlowContext> => ({ current: params.step }),
  end: (_: unknown, params: { end: FlowEnd }): Partial<FlowContext> => ({ end: params.end }),
  markDeclined: ({ context }: { context: FlowContext }, params: { step: StepId }): Partial<FlowContext> => ({
    attempted: [...context.attempted, params.step],
    outcomes: [...context.outcomes, { step: params.step, ok: false, message: 'declined', at: new Date().toISOString() }],
  }),
  recordOutcome: ({ context, event }: { context: FlowContext; event: AnyFlowEvent }): Partial<FlowContext> => {
    const r = (event as DoneEvent<StepResult>).output;
    return {
      attempted: context.attempted.includes(r.step) ? context.attempted : [...context.attempted, r.step],
      outcomes: [...context.outcomes, { ...r, at: new Date().toISOString() }],
    };
  },
  storeVerification: ({ context, event }: { context: FlowContext; event: AnyFlowEvent }): Partial<FlowContext> => {
    const v = (event as DoneEvent<Verification>).output;
    const outcomes = [...context.outcomes];
    const last = outcomes.at(-1);
    if (last) outcomes[outcomes.length - 1] = { ...last, proof: v.proof };
    return { summary: v.summary, round: context.round + 1, outcomes };
  },
  recordCrash: ({ context, event }: { context: FlowContext; event: AnyFlowEvent }, params: { step: StepId }): Partial<FlowContext> => {
    const err = (event as ErrorEvent).error;
    return {
      attempted: [...context.attempted, params.step],
      outcomes: [...context.outcomes, { step: params.step, ok: false, message: `failed: ${err instanceof Error ? err.message : String(err)}`, at: new Date().toISOString() }],
    };
  },
};

/** A final state that records how the flow ended. */
export const ending = (end: FlowEnd) => ({ type: 'final' as const, entry: { type: 'end' as const, params: { end } } });

export const stepDue = (step: StepId) => ({ guard: { type: 'stepDue' as const, params: { step } }, target: step });

/** Route to each due step of one stage of the article, in the registry's order. */
export const dueInStage = (stage: Parameters<typeof stepsOfStage>[0]) => stepsOfStage(stage).map(stepDue);

export interface FlowOutput {
  end: FlowEnd;
  outcomes: StepOutcome[];
}

/**
 * The one `setup()` the recovery, setup and rotate machines share: the same context, actors,
 * guards and actions, so each machine file holds only its states, in the order of its flow.
 */
export const flowSetup = setup({
  types: {
    context: {} as FlowContext,
    input: {},
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
    storeVerification: assign(flowActions.storeVerification),
    end: assign(flowActions.end),
  },
});

/**
 * The states every fix flow ends with: waiting for the person (a manual step), paused (saved for
 * `--resume`), and the final states that record how the flow ended.
 */
export function closingStates<const Finals extends Record<string, FlowEnd>>(finals: Finals) {
  const endings = Object.fromEntries(Object.entries(finals).map(([state, end]) => [state, ending(end)])) as { [K in keyof Finals]: ReturnType<typeof ending> };
  return {
    waitingForPerson: {
      invoke: {
        id: 'waitForPerson',
        src: 'waitForPerson' as const,
        input: ({ context }: { context: FlowContext }) => ({ step: context.current }),
        onDone: [{ guard: 'personWillComeBack' as const, target: 'paused' }, { target: READ_ENFORCED_TOKEN }],
        onError: { target: 'paused' },
      },
    },
    // Saved with getPersistedSnapshot; `--resume` restores it and sends RESUME.
    paused: { on: { RESUME: READ_ENFORCED_TOKEN } },
    ...endings,
  };
}

export const flowOutput = ({ context }: { context: FlowContext }): FlowOutput => ({ end: context.end ?? 'stuck', outcomes: context.outcomes });
