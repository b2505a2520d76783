/**
 * Text read from files and logs may carry terminal escape sequences (a screen clear, a window
 * title, an OSC 52 clipboard write). Before such text is printed or put into a report, escape
 * sequences go (strip-ansi knows CSI and OSC forms, BEL- or ST-terminated), then every remaining
 * C0/C1 control character except newline and tab, so a lone ESC or a bare CR cannot rewrite the
 * line a person is reading.
 */
import stripAnsi from 'strip-ansi';

// C0 controls except \t (09) and \n (0A), DEL, and the C1 range.

const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;

export function sanitizeForTerminal(s: string): string {
  return stripAnsi(s).replace(CONTROL, '');
}
