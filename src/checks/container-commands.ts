/**
 * A gateway in a container keeps its config, pairing store and secrets inside it (or in the
 * directory mounted there): the host's `openclaw config set …` would change the host's
 * ~/.openclaw, not the gateway's. Every command a check prints is retargeted here, once for all
 * checks, so a check written for a host gateway cannot print a host command for a container.
 */
import type { DiagnosisView } from '../diagnosis/view.js';
import { composeExec, composeRestart, composeRun, type ComposeInvocation } from './compose-words.js';

/** `openclaw gateway restart|start` and the foreground stop/run pair: the container's restart. */
const HOST_LIFECYCLE = /^openclaw gateway (restart|start|stop|run)\b/;
/** The `openclaw` CLI at the start of a line, or after the `: ` of a comment naming a command. */
const HOST_OPENCLAW = /(^|: )openclaw (?=[a-z-])/;

/**
 * The gateway's own CLI, in its container when it serves (`exec`), else in a one-off container of
 * its service (`run --rm`), which mounts the same config: exec into a container that restarts in
 * a loop fails.
 */
export function gatewayCli(view: DiagnosisView, args: string[]): ComposeInvocation {
  const c = view.gatewayContainer;
  const serving = c?.status === 'running' && !c.restarting && (view.reachable || !view.containerFatalLine);
  return serving ? composeExec(view, ['openclaw', ...args]) : composeRun(view, ['openclaw', ...args]);
}

/** One printed line, for the gateway the view found: unchanged unless it runs in a container. */
export function forGateway(view: DiagnosisView, line: string): string {
  if (!view.gatewayContainer) return line;
  if (HOST_LIFECYCLE.test(line)) return composeRestart(view).line;
  const m = HOST_OPENCLAW.exec(line);
  if (!m) return line;
  const exec = gatewayCli(view, []).line;
  return `${line.slice(0, m.index)}${m[1]}${exec} ${line.slice(m.index + m[0].length)}`;
}

/** Every line, retargeted; a restart named twice (stop, then run) is printed once. */
export function forGatewayAll(view: DiagnosisView, lines: string[]): string[] {
  if (!view.gatewayContainer) return lines;
  return [...new Set(lines.map((l) => forGateway(view, l)))];
}
