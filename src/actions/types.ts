import type { Writable } from 'node:stream';
import type { DiagnosisFacts } from '../diagnosis/types.js';
import type { DiagnosisView } from '../diagnosis/view.js';
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
  /** The same diagnosis with its derived facts. */
  view: DiagnosisView;
  /** Called for every change actually made, at once, so Ctrl-C can report it. */
  record(change: Change): void;
  /** Raw secrets the wizard created or learned, so output can be redacted. */
  remember(secret: string): void;
  signal: AbortSignal;
  showToken: boolean;
  /** Where the run prints for people (stderr under --json); default stdout. */
  output?: Writable;
  /** How long to watch the gateway log for the Control UI after handing it the link (--wait; 0: not at all). */
  controlUiWaitMs?: number;
}

export interface ActionOutcome {
  ok: boolean;
  message: string;
  /** The flow must wait for the person (e.g. a manual restart in another terminal). */
  waiting?: boolean;
  /**
   * Done, but what it was for was not seen (a link handed over, no connection in the log yet):
   * shown as information, not with the success mark.
   */
  unconfirmed?: boolean;
  /** Done, but what it was for was seen failing (the Control UI was refused): shown as a warning. */
  seenFailing?: boolean;
}
