import type { DiagnosisFacts } from '../diagnose.js';
import type { Prompter } from '../prompter.js';

/** One change the wizard made to the machine, for the summary, the support report and Ctrl-C. */
export interface Change {
  at: string;
  what: string;
  commands: string[];
  files: string[];
  backups: string[];
}

export interface ActionContext {
  env: NodeJS.ProcessEnv;
  cwd: string;
  dryRun: boolean;
  prompter: Prompter;
  timeoutMs: number;
  /** Latest diagnosis facts (raw tokens live only here, in memory). */
  facts: DiagnosisFacts;
  /** Called for every change actually made, at once, so Ctrl-C can report it. */
  record(change: Change): void;
  /** Raw secrets the wizard created or learned, so output can be redacted. */
  remember(secret: string): void;
  signal: AbortSignal;
  /** Options that pick targets (profile/config/port), passed on to re-diagnosis. */
  showToken: boolean;
}

export interface ActionOutcome {
  ok: boolean;
  message: string;
  /** The flow must wait for the person (e.g. a manual restart in another terminal). */
  waiting?: boolean;
}
