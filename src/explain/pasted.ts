/**
 * A message a person pastes in `support` ("What does the user see?"): read the way `explain` reads
 * it, and quoted in the report only after anything that can carry a secret is removed (a dashboard
 * link's `#token=`, `token=`/`password=` fields, long hex or base64 runs), escapes stripped and cut.
 */
import { sanitizeForTerminal } from '../text/sanitize.js';
import { explainMessage, type ExplainAnswer } from './explain.js';

export interface PastedSymptom {
  /** The message as the report quotes it (secrets removed). */
  quote: string;
  answer: ExplainAnswer;
}

const SECRET_FIELD_RE = /((?:bootstrapToken|token|password|deviceToken)\s*[=:]\s*)("?)[^\s"&#,;)]+/gi;
const LONG_RUN_RE = /\b[A-Za-z0-9_-]{24,}\b/g;
const MAX_QUOTE = 400;

export function quotePasted(text: string): string {
  const one = sanitizeForTerminal(text).replace(/\s+/g, ' ').trim();
  const scrubbed = one.replace(SECRET_FIELD_RE, '$1$2<redacted>').replace(LONG_RUN_RE, (m) => (/^[a-z-]+$/.test(m) ? m : '<redacted>'));
  return scrubbed.length > MAX_QUOTE ? `${scrubbed.slice(0, MAX_QUOTE)}…` : scrubbed;
}

export async function readPasted(text: string): Promise<PastedSymptom> {
  return { quote: quotePasted(text), answer: await explainMessage(text) };
}
