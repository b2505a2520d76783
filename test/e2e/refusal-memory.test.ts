/**
 * The wizard never presents a token the same gateway run refused under a minute ago: OpenClaw
 * slows every failed login from the machine, so each repeated diagnosis would make the next one
 * (and the person's own clients) slower. A dry run keeps no memory at all.
 */
import { existsSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeGateway } from '../../src/demo/fake-gateway.js';
import { checkOf, cleanupAll, diagnoseJson, e2eSandbox, findingOf, onCleanup, runCli, writeConfig } from '../support/e2e.js';
import { fakeToken } from '../support/sandbox.js';

afterEach(cleanupAll);

const ENFORCED = fakeToken('enforced');
const STALE = fakeToken('stale');

describe('repeated diagnoses of a gateway that refuses the config token', () => {
  it('the second run does not send the refused token again, and says when it was refused', async () => {
    const sb = await e2eSandbox();
    const gw = await startFakeGateway({ token: ENFORCED, failedAuthDelayMs: 0, logFile: sb.logFile });
    onCleanup(() => gw.close());
    await writeConfig(sb, { gateway: { mode: 'local', port: gw.port, auth: { mode: 'token', token: STALE } } });
    // Edited a minute ago: a refusal right after an edit is not kept (the gateway may not have applied it).
    const past = new Date(Date.now() - 60_000);
    utimesSync(sb.configPath, past, past);

    const first = await diagnoseJson(sb);
    expect(findingOf(first.report, 'gateway-rejects-config-token').evidence).not.toContain(expect.stringContaining('not sent again'));
    const sent = gw.connections.length;
    expect(sent).toBeGreaterThan(0);

    const second = await diagnoseJson(sb);
    expect(gw.connections).toHaveLength(sent);
    expect(second.exitCode).toBe(first.exitCode);
    expect(findingOf(second.report, 'gateway-rejects-config-token').evidence).toContainEqual(expect.stringMatching(/^refused at \d{4}-\d\d-\d\dT[\d:.]+Z by this same gateway run; not sent again/));
    expect(checkOf(second.report, 'probe').note).toContain('not sent again: this gateway run refused it under a minute ago');
    expect(JSON.stringify(second.report)).not.toContain(STALE);
  });

  it('fix --dry-run keeps no memory: nothing is written', async () => {
    const sb = await e2eSandbox();
    const gw = await startFakeGateway({ token: ENFORCED, failedAuthDelayMs: 0, logFile: sb.logFile });
    onCleanup(() => gw.close());
    await writeConfig(sb, { gateway: { mode: 'local', port: gw.port, auth: { mode: 'token', token: STALE } } });
    await runCli(sb, ['fix', '--dry-run']);
    expect(existsSync(join(sb.stateDir, 'otw-cache'))).toBe(false);
  });
});
