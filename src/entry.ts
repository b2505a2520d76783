import { main, runners } from './cli.js';
import { registerFlowCommands } from './commands.js';

/** Process entry: wires the real streams and sets the exit code (never calls process.exit mid-flow). */
export function run(): void {
  registerFlowCommands(runners);
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
