/**
 * The line a gateway's console output gives for a failed start (`docker logs` of a container, the
 * output of a gateway the wizard started): OpenClaw prints `Gateway failed to start: …` (or
 * `Gateway start blocked: …`, `Refusing to bind …`, `Missing config …`) before it exits.
 */
import { sanitizeForTerminal } from '../text/sanitize.js';

/** How OpenClaw's own fatal start lines begin (run.ts, server-runtime-config.ts): the log reader's test too. */
export const START_REFUSED = /^(Gateway start blocked:|Gateway failed to start:|Missing config\. Run|Refusing to bind gateway|refusing to bind gateway)/;

/** A line that mentions a failed start anywhere, as a container's log may (an entrypoint's own words too). */
const MENTIONS_FATAL = /Gateway failed to start|Gateway start blocked|Invalid config|Refusing to bind|Missing config/i;

/** The console's own time stamp before a line: the line is named without it. */
const CONSOLE_TIME = /^\s*\d{4}-\d\d-\d\dT[\d:.]+(?:Z|[+-]\d\d:?\d\d)\s+/;

/**
 * The last fatal start line among `lines`, without escape sequences or the console's time; null
 * when none. `openclaw`: only OpenClaw's own fatal lines, for output where nothing else can be
 * trusted to mean the start failed (a gateway still starting prints many lines).
 */
export function lastFatalLine(lines: readonly string[], which: 'openclaw' | 'mentions' = 'mentions'): string | null {
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = sanitizeForTerminal(lines[i]!).replace(CONSOLE_TIME, '').trim();
    if (which === 'openclaw' ? START_REFUSED.test(line) : MENTIONS_FATAL.test(line)) return line;
  }
  return null;
}
