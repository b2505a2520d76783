// The "restart pending" case on the REAL openclaw@2026.9.6 gateway (verified-live.md): a gateway
// that started without a configured token keeps its runtime token even after a token is written
// into its config (the log even says "config hot reload applied"), until it restarts. diagnose
// must see that by probing, not assume it; and a healthy gateway reports the right token.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sleep } from '../support/sleep.js';
import { fakeToken, freePort, makeSandbox, type Sandbox } from '../support/sandbox.js';
import { openclawCmd, pidsWithHome, startRealGateway, type RealGateway } from '../support/real-openclaw.js';
import { ids, realTarget, wizard } from '../support/real-wizard.js';
import { diagnoseJson } from '../support/cli.js';
import { fingerprintOf } from '../../src/secret.js';

describe('restart pending: a token written after the gateway started without one', () => {
  let sb: Sandbox;
  let gw: RealGateway;
  const TOKEN = fakeToken('written-late');

  beforeAll(async () => {
    sb = await makeSandbox('otw-real-pending-');
    gw = await startRealGateway(sb, { port: await freePort(), token: null, readyTimeoutMs: 180_000 });
  });
  afterAll(async () => {
    // The wizard restarted the gateway: stop() finds the new one by the sandbox HOME.
    await gw?.stop();
    expect(pidsWithHome(sb.home)).toEqual([]);
    await sb?.cleanup();
  });

  it('diagnose: gateway-rejects-config-token (runtime token still enforced); fix --yes restarts it; then healthy with that token', async () => {
    const set = await openclawCmd(sb, ['config', 'set', 'gateway.auth.token', JSON.stringify(TOKEN)]);
    expect(set.exitCode, set.stderr).toBe(0);
    await sleep(4000); // longer than the 3 s in which a hot reload applies on a gateway that had a token

    const d = await diagnoseJson(realTarget(sb));
    expect(`${d.stdout}${d.stderr}`.includes(TOKEN)).toBe(false);
    expect(d.exitCode).toBe(1);
    expect(ids(d.report)).toContain('gateway-rejects-config-token');
    expect(ids(d.report)).not.toContain('no-token-configured');
    const config = d.report.sources.find((s) => s.id === 'config')!;
    expect(config).toMatchObject({ fingerprint: fingerprintOf(TOKEN), length: 48, accepted: false });
    expect(d.report.gateway.acceptedSource).toBeNull();
    const f = d.report.findings.find((x) => x.id === 'gateway-rejects-config-token')!;
    expect(f.detail).toMatch(/runtime token/);
    expect(f.evidence).toContain('log: gateway started with a generated runtime token');

    // The wizard's fix is the restart (no new token: the saved one is fine).
    const fix = await wizard(sb, ['fix', '--yes']);
    expect(`${fix.stdout}${fix.stderr}`.includes(TOKEN)).toBe(false);
    expect(fix.stdout).toContain('Restart the gateway so it enforces the config token');
    expect(fix.stdout).not.toContain('Generate a gateway token');
    expect(fix.exitCode).toBe(0);
    const healthy = await diagnoseJson(realTarget(sb));
    expect(healthy.exitCode, JSON.stringify(healthy.report.findings.map((f) => [f.id, f.evidence]))).toBe(0);
    expect(healthy.report.healthy).toBe(true);
    expect(healthy.report.gateway.acceptedSource).toBe('config');
    expect(healthy.report.gateway.version).toBe('2026.9.6');
    expect(healthy.report.sources.find((s) => s.id === 'config')).toMatchObject({ fingerprint: fingerprintOf(TOKEN), accepted: true });
  });
});
