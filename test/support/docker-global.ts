// vitest globalSetup of the `docker` project: one private engine and one gateway image for the
// whole suite. A failure here fails the suite (vitest reports the setup error and runs nothing):
// a Docker suite that skips when dockerd does not start proves nothing.
// At the end every container, network and volume is removed, the engine is stopped by its pid,
// and nothing it started may be left running.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { engineLeftovers, recordTimings, startEngine, wipeEngine } from './docker-engine.js';
import { ensureGatewayImage } from './docker-image.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** DOCKER_HOST of the suite's private engine. */
    dockerHost: string;
    /** The gateway image tag. */
    gatewayImage: string;
  }
}

const TIMINGS = join(process.cwd(), '.tmp', 'docker-timings.json');

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const t0 = Date.now();
  const engine = await startEngine();
  try {
    // The engine is private: anything in it (but images) is a leftover of an interrupted run.
    await wipeEngine(engine.env);
    const image = await ensureGatewayImage(engine.env);
    mkdirSync(join(process.cwd(), '.tmp'), { recursive: true });
    recordTimings(TIMINGS, {
      dockerdStartMs: engine.startMs,
      [image.built ? 'imageImportMs' : 'imageCachedCheckMs']: image.ms,
      setupMs: Date.now() - t0,
      at: new Date().toISOString(),
    });
    process.stderr.write(`[docker] dockerd ready in ${engine.startMs} ms; image ${image.tag} ${image.built ? `imported in ${image.ms} ms` : 'cached'}\n`);
    project.provide('dockerHost', engine.host);
    project.provide('gatewayImage', image.tag);
  } catch (e) {
    await engine.stop().catch(() => undefined);
    throw e;
  }
  return async () => {
    const errors: string[] = [];
    try {
      const left = await engineLeftovers(engine.env);
      // Tests remove what they create; anything left is a test-support bug worth failing on.
      if (left.containers.length || left.networks.length || left.volumes.length) {
        errors.push(`the suite left containers [${left.containers.join(', ')}], networks [${left.networks.join(', ')}], volumes [${left.volumes.join(', ')}]`);
        await wipeEngine(engine.env);
      }
    } catch (e) {
      errors.push(`could not list what is left in the engine: ${(e as Error).message}`);
    }
    await engine.stop();
    if (errors.length) throw new Error(errors.join('; '));
  };
}
