/**
 * The line a gateway's console output gives for a failed start (`docker logs` of a container, the
 * output of a gateway the wizard started): OpenClaw prints `Gateway failed to start: …` (or
 * `Gateway start blocked: …`, `Refusing to bind …`, `Missing config …`) before it exits.
 */
import { sanitizeForTerminal } from '../text/sanitize.js';

const FATAL_LINE = /Gateway failed to start|Gateway start blocked|Invalid config|Refusing to bind|Missing config/i;

/** The console's own time stamp before a line: the line is named without it. */
const CONSOLE_TIME = /^\s*\d{4}-\d\d-\d\dT[\d:.]+(?:Z|[+-]\d\d:?\d\d)\s+/;

/** The last fatal start line among `lines`, without escape sequences or the console's time; null when none. */
export function lastFatalLine(lines: readonly string[]): string | null {
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = sanitizeForTerminal(lines[i]!);
    if (FATAL_LINE.test(line)) return line.replace(CONSOLE_TIME, '').trim();
  }
  return null;
}
