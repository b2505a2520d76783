import { main } from './cli.js';

/** Process entry: wires the real streams and sets the exit code (process.exit only once stdout is gone). */
export function run(): void {
  // A reader that goes away (`graph | head -1`) is not an error: stop quietly, as a shell tool would.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
  process.stderr.on('error', () => undefined);
  main(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`openclaw-token-wizard: internal error: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 2;
    },
  );
}
