/**
 * Quoting for every command the wizard prints for a person to paste into a POSIX shell. Values
 * come from files and logs (origins, paths, tokens' placeholders), so nothing in them may be read
 * by the shell as syntax: a word that is not plainly safe goes inside single quotes, where sh
 * gives no character a meaning, and each `'` in it becomes `'\''` (close, escaped quote, reopen).
 * Hand-written because it is this small; the `shell-quote` package escapes with backslashes,
 * which cannot carry a newline through `sh -c`.
 *
 * Printing is separate from quoting: a terminal shows control characters in a quoted word as
 * they are, so the display layer still passes the line through sanitizeForTerminal.
 */

/** Words sh reads as themselves in any argument position. */
const PLAIN = /^[A-Za-z0-9_@%+=:,./-]+$/;

export function shellQuote(arg: string): string {
  return PLAIN.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

export function shellCommand(argv: readonly string[]): string {
  return argv.map(shellQuote).join(' ');
}
