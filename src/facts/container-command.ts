/**
 * Which Compose the user has: the `docker compose` plugin (v2) or the standalone `docker-compose`
 * (v1, still what Debian ships). The wizard runs and prints the same form, so a command it shows
 * is one that works on this machine.
 */
import { readCommand } from './read-command.js';
import { shellCommand } from '../text/shell-quote.js';

export type ComposeCommand = readonly ['docker', 'compose'] | readonly ['docker-compose'];

export const COMPOSE_PLUGIN: ComposeCommand = ['docker', 'compose'];
export const COMPOSE_STANDALONE: ComposeCommand = ['docker-compose'];

/**
 * Prefers the plugin; falls back to `docker-compose` when only it answers `version`. When neither
 * answers, the plugin form (the one Docker documents today) is returned, since there is nothing
 * better to print. `env` is passed through whole, so DOCKER_HOST / DOCKER_CONTEXT / DOCKER_CONFIG
 * apply as they would in the user's shell.
 */
export async function composeCommand(env: NodeJS.ProcessEnv, opts: { timeoutMs?: number } = {}): Promise<ComposeCommand> {
  // docker-compose v1 is a Python program: on a busy machine `version` alone can take seconds.
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const [plugin, standalone] = await Promise.all([
    readCommand('docker', ['compose', 'version', '--short'], { env, timeoutMs }),
    readCommand('docker-compose', ['version', '--short'], { env, timeoutMs }),
  ]);
  if (plugin.ok) return COMPOSE_PLUGIN;
  if (standalone.ok) return COMPOSE_STANDALONE;
  // docker answered that it has no compose plugin while docker-compose was too slow to answer
  // (observed on a loaded machine): the one that exists is the standalone one.
  const noPlugin = plugin.exitCode !== null || plugin.failure?.endsWith(': not found') === true;
  if (noPlugin && standalone.failure?.startsWith('timed out')) return COMPOSE_STANDALONE;
  return COMPOSE_PLUGIN;
}

/** A compose command line to show the user, e.g. `docker compose -f /x/compose.yml up -d openclaw-gateway`. */
export function formatComposeCommand(form: ComposeCommand, args: readonly string[]): string {
  return shellCommand([...form, ...args]);
}
