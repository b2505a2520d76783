import { mkdtemp, rm, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import { startScenario, type DemoSandbox, type ScenarioName } from '../../src/demo/scenarios.js';
import { scrubbedEnv } from './env.js';

export interface Sandbox {
  /** Temp HOME; `.openclaw` lives below it. Never the real one. */
  home: string;
  stateDir: string;
  configPath: string;
  /** Where the sandbox's gateway log goes (set as logging.file). */
  logFile: string;
  /** A working directory for .env / compose files. */
  cwd: string;
  /** Environment for child processes: HOME and OPENCLAW_* point into the sandbox only. */
  env: NodeJS.ProcessEnv;
  cleanup(): Promise<void>;
}

export async function makeSandbox(prefix = 'otw-'): Promise<Sandbox> {
  const root = await mkdtemp(join(tmpdir(), prefix));
  const home = join(root, 'home');
  const stateDir = join(home, '.openclaw');
  const cwd = join(root, 'work');
  await mkdir(stateDir, { recursive: true });
  await mkdir(cwd, { recursive: true });
  const env = scrubbedEnv();
  env.HOME = home;
  env.NO_COLOR = '1';
  return {
    home,
    stateDir,
    configPath: join(stateDir, 'openclaw.json'),
    logFile: join(root, 'gateway.log'),
    cwd,
    env,
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
}

/** A free loopback port: bind :0 on 127.0.0.1, read it, release it (the demo sandboxes' own helper). */
export { freeLoopbackPort as freePort } from '../../src/demo/scenarios.js';

/** Obviously fake test tokens: never mistaken for a real one, still 48 chars like OpenClaw's. */
export function fakeToken(label: string): string {
  const base = `test-token-${label}-`;
  return (base + 'x'.repeat(48)).slice(0, 48);
}

/** A demo scenario (sandbox HOME, fake gateway, fake CLI), stopped when the test finishes. */
export async function demoScenario(name: ScenarioName): Promise<DemoSandbox> {
  const sb = await startScenario(name);
  onTestFinished(() => sb.stop());
  return sb;
}
