/**
 * The fake gateway for tests, in one place. It ships in src/demo (the `demo` command uses it).
 *   - fakeGateway(): in the test's own process, stopped when the test finishes;
 *   - startGatewayProcess() (support/e2e.ts): in a child process named like the real one, for the
 *     checks that look at the listener's process (cmdline, environ).
 */
import { onTestFinished } from 'vitest';
import { startFakeGateway, type FakeGateway, type FakeGatewayOptions } from '../../src/demo/fake-gateway.js';

export * from '../../src/demo/fake-gateway.js';
export { startGatewayProcess } from './e2e.js';

/** A fake gateway in this process, closed when the test finishes. */
export async function fakeGateway(opts: FakeGatewayOptions = {}): Promise<FakeGateway> {
  const gw = await startFakeGateway(opts);
  onTestFinished(() => gw.close());
  return gw;
}
