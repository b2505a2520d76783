/**
 * Compose commands the wizard prints and runs for the gateway's project: the form this machine
 * has (`docker compose` or `docker-compose`), the project and files the container was started
 * with (its compose labels), run from the project directory, so `up -d` recreates that container
 * rather than starting a second project beside it.
 */
import { basename, dirname, resolve } from 'node:path';
import type { DiagnosisView } from '../diagnosis/view.js';
import { formatComposeCommand } from '../facts/container-command.js';
import { shellQuote } from '../text/shell-quote.js';

export interface ComposeInvocation {
  /** argv[0] and the rest, for run(). */
  file: string;
  args: string[];
  /** Where to run it (null: the caller's directory). */
  cwd: string | null;
  /** The same, quoted for a POSIX shell, with `cd DIR && ` when a directory is known. */
  line: string;
  /**
   * It addresses the compose project of the container that publishes the gateway's port (its
   * labels name the project directory); false when the project was only found as compose files
   * in the working directory, which may not be what runs this gateway at all.
   */
  ofGateway: boolean;
}

const DEFAULT_FILES = new Set([
  'compose.yaml',
  'compose.yml',
  'docker-compose.yml',
  'docker-compose.yaml',
  'docker-compose.override.yml',
  'docker-compose.override.yaml',
  'compose.override.yaml',
  'compose.override.yml',
]);

/** Compose's default project name for a directory (both v1 and v2 lower-case and keep [-_a-z0-9]). */
function defaultProjectName(dir: string): string {
  return basename(dir)
    .toLowerCase()
    .replace(/[^-_a-z0-9]/g, '');
}

/** `-p` and `-f` only when the container's project differs from what plain `compose` would pick in its directory. */
function projectArgs(view: DiagnosisView): { args: string[]; cwd: string | null; service: string; ofGateway: boolean } {
  const c = view.gatewayContainer;
  if (c?.projectDir) {
    // docker-compose v1 records the files as given (relative to the project directory).
    const dir = c.projectDir;
    const abs = c.composeFiles.map((f) => resolve(dir, f));
    const files = abs.every((f) => dirname(f) === dir && DEFAULT_FILES.has(basename(f))) ? [] : abs.flatMap((f) => ['-f', f]);
    const project = c.project && c.project !== defaultProjectName(c.projectDir) ? ['-p', c.project] : [];
    return { args: [...project, ...files], cwd: c.projectDir, service: c.service ?? 'openclaw-gateway', ofGateway: true };
  }
  const s = view.facts.compose?.services[0];
  if (s) return { args: DEFAULT_FILES.has(basename(s.file)) ? [] : ['-f', s.file], cwd: dirname(s.file), service: s.service, ofGateway: false };
  return { args: [], cwd: null, service: 'openclaw-gateway', ofGateway: false };
}

/** `ran` is what the wizard runs (no terminal attached), `shown` what a person types. */
function invocation(view: DiagnosisView, ran: (service: string) => string[], shown = ran): ComposeInvocation {
  const p = projectArgs(view);
  const form = view.composeForm;
  const command = formatComposeCommand(form, [...p.args, ...shown(p.service)]);
  return { file: form[0], args: [...form.slice(1), ...p.args, ...ran(p.service)], cwd: p.cwd, line: p.cwd ? `cd ${shellQuote(p.cwd)} && ${command}` : command, ofGateway: p.ofGateway };
}

/** Recreates the gateway container with the current .env (`restart` would keep the old environment). */
export function composeUp(view: DiagnosisView): ComposeInvocation {
  return invocation(view, (service) => ['up', '-d', service]);
}

/** Runs a command inside the gateway's service container, e.g. `openclaw devices approve ID`. */
export function composeExec(view: DiagnosisView, command: string[]): ComposeInvocation {
  return invocation(
    view,
    (service) => ['exec', '-T', service, ...command],
    (service) => ['exec', service, ...command],
  );
}

/** `docker compose restart` in this machine's form, for explaining why it is not enough. */
export function composeRestartWords(view: DiagnosisView): string {
  return formatComposeCommand(view.composeForm, ['restart']);
}

/** Restarts the gateway's service container (keeps its environment: enough for a config change). */
export function composeRestart(view: DiagnosisView): ComposeInvocation {
  return invocation(view, (service) => ['restart', service]);
}

/**
 * Runs a command in a one-off container of the gateway's service (its volumes and environment,
 * no ports, no dependencies): what reaches the mounted config when the gateway's own container
 * is not serving (exec needs it running, and a container in a restart loop never stays up).
 */
export function composeRun(view: DiagnosisView, command: string[]): ComposeInvocation {
  return invocation(
    view,
    (service) => ['run', '--rm', '--no-deps', '-T', service, ...command],
    (service) => ['run', '--rm', '--no-deps', service, ...command],
  );
}
