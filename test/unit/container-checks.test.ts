// Findings about a gateway that runs in a container: the commands name this machine's Compose
// form, the container's project and service, and run from its project directory; the origin
// refused through a remapped port is explained; a restart loop names the fatal log line.
import { confirmationOf } from '../../src/checks/check.js';
import { describe, expect, it } from 'vitest';
import { composeExec, composeUp } from '../../src/checks/compose-words.js';
import { gatewayNotRunning } from '../../src/checks/gateway-not-running.js';
import { originNotAllowed, allowOrigin } from '../../src/checks/origin-not-allowed.js';
import { approvePairing, pairingRequired } from '../../src/checks/pairing-required.js';
import { alignDockerEnv } from '../../src/checks/docker-env-override.js';
import { viewOf } from '../../src/diagnosis/view.js';
import type { DiagnosisFacts } from '../../src/diagnosis/types.js';
import { COMPOSE_PLUGIN, COMPOSE_STANDALONE, type ComposeCommand } from '../../src/facts/container-command.js';
import type { GatewayContainer } from '../../src/facts/container-gateway.js';
import type { LogHandshake } from '../../src/facts/types.js';
import { diagnosisFacts, gatewayContainer, gatewayLog, loopbackTarget } from '../support/diagnosis-facts.js';

const NAME = 'otwabc_openclaw-gateway_1';
const FATAL = 'Gateway failed to start: Invalid config: gateway auth token is blank, a published example placeholder';

function container(patch: Partial<GatewayContainer> = {}): GatewayContainer {
  return gatewayContainer('otwabc', '/srv/otw-compose', patch);
}

function hs(kind: LogHandshake['kind'], patch: Partial<LogHandshake> = {}): LogHandshake {
  return { time: '2026-11-30T04:00:05.000Z', kind, client: 'openclaw-control-ui', clientMode: 'webchat', origin: null, remote: '172.18.0.1', reason: null, requestId: null, ...patch };
}

function facts(c: GatewayContainer | null, opts: { handshakes?: LogHandshake[]; form?: ComposeCommand; reachable?: boolean } = {}): DiagnosisFacts {
  const probe = { kind: opts.reachable === false ? 'refused' : 'hello-ok' };
  return diagnosisFacts({
    log: gatewayLog(opts.handshakes ?? [], { file: `docker logs ${NAME}` }),
    target: loopbackTarget(28789, '--port'),
    bareProbe: probe as DiagnosisFacts['bareProbe'],
    container: { available: true, error: null, container: c },
    composeCommand: opts.form ?? COMPOSE_STANDALONE,
  });
}

describe('compose commands for the gateway container', () => {
  it("use this machine's form, the container's project, and run from its directory", () => {
    const v = viewOf(facts(container()));
    const up = composeUp(v);
    expect(up).toEqual({
      file: 'docker-compose',
      args: ['-p', 'otwabc', 'up', '-d', 'openclaw-gateway'],
      cwd: '/srv/otw-compose',
      line: 'cd /srv/otw-compose && docker-compose -p otwabc up -d openclaw-gateway',
      ofGateway: true,
    });
    const plugin = composeUp(viewOf(facts(container({ project: 'otw-compose' }), { form: COMPOSE_PLUGIN })));
    expect(plugin.line).toBe('cd /srv/otw-compose && docker compose up -d openclaw-gateway');
    expect(plugin.args).toEqual(['compose', 'up', '-d', 'openclaw-gateway']);
    const files = composeUp(viewOf(facts(container({ project: 'otw-compose', composeFiles: ['/srv/otw-compose/ops/gw.yml'] }))));
    expect(files.args).toEqual(['-f', '/srv/otw-compose/ops/gw.yml', 'up', '-d', 'openclaw-gateway']);
    // What is run has no terminal; what is printed is what a person types.
    const exec = composeExec(v, ['openclaw', 'devices', 'list']);
    expect(exec.args).toContain('-T');
    expect(exec.line).toBe('cd /srv/otw-compose && docker-compose -p otwabc exec openclaw-gateway openclaw devices list');
  });

  it('docker-env-override recreates with that command', () => {
    expect(alignDockerEnv.plan(viewOf(facts(container())))).toEqual(['cd /srv/otw-compose && docker-compose -p otwabc up -d openclaw-gateway']);
    // The project that runs the gateway: --yes answers the confirmation (D22).
    expect(confirmationOf(alignDockerEnv, viewOf(facts(container()))).explicit).toBe(false);
  });
});

describe('findings of a gateway container', () => {
  it('origin-not-allowed through a remapped port names the exact origin and the mapping', () => {
    const origin = 'http://127.0.0.1:28789';
    const v = viewOf(facts(container(), { handshakes: [hs('origin-not-allowed', { origin, reason: 'origin not allowed' })] }));
    const [d] = originNotAllowed.detect(v);
    expect(d!.detail).toContain(`opened from ${origin}`);
    expect(d!.detail).toContain('host port 28789 while the gateway listens on 18789 inside it');
    expect(d!.detail).toContain(`Allow exactly ${origin}`);
    expect(d!.evidence).toContain(`container ${NAME}: host 127.0.0.1:28789 → container port 18789/tcp`);
    expect(allowOrigin.plan(v).at(-1)).toBe('# or publish the gateway on its own port (ports: "127.0.0.1:18789:18789") and open http://127.0.0.1:18789/');
    // Same port on both sides: no mapping to explain.
    const same = viewOf(
      facts(container({ portMapping: { hostIp: '', host: 18789, container: 18789, protocol: 'tcp' } }), { handshakes: [hs('origin-not-allowed', { origin: 'http://evil.example' })] }),
    );
    expect(originNotAllowed.detect(same)[0]!.detail).not.toContain('Docker publishes');
  });

  it('pairing in a container approves inside it, with the compose form', () => {
    const v = viewOf(facts(container(), { handshakes: [hs('pairing-required', { requestId: 'req-42' })] }));
    expect(pairingRequired.detect(v)[0]!.step).toBe(approvePairing);
    expect(approvePairing.plan(v)).toEqual([
      'cd /srv/otw-compose && docker-compose -p otwabc exec openclaw-gateway openclaw devices list',
      'cd /srv/otw-compose && docker-compose -p otwabc exec openclaw-gateway openclaw devices approve req-42',
    ]);
    const host = viewOf({ ...facts(null, { handshakes: [hs('pairing-required', { requestId: 'req-42' })] }) });
    expect(approvePairing.plan(host)).toEqual(['openclaw devices list', 'openclaw devices approve req-42']);
  });

  it('a container restarting on a fatal config names the fatal line and recreates with compose, not a host gateway', () => {
    const c = container({ status: 'restarting', restarting: true, restartCount: 3, lastLogLines: ['loading configuration', FATAL, 'exit 1'] });
    const [d] = gatewayNotRunning.detect(viewOf(facts(c, { reachable: false })));
    expect(d!.detail).toContain(`Its last start failed: ${FATAL}`);
    expect(d!.evidence).toContain(`docker logs ${NAME}: ${FATAL}`);
    expect(d!.step).toBeUndefined();
    expect(d!.advice).toEqual([
      '$EDITOR /srv/otw-compose/config/openclaw.json   # the config mounted at /home/node/.openclaw/openclaw.json',
      'cd /srv/otw-compose && docker-compose -p otwabc up -d openclaw-gateway',
      `docker logs --tail 40 ${NAME}`,
    ]);
    expect(gatewayNotRunning.detect(viewOf(facts(container())))).toEqual([]);
  });
});

describe('the fatal line of a container in a restart loop', () => {
  it('is named without the console time the gateway prefixes, also while the container is briefly running between restarts', () => {
    const c = container({ status: 'running', restarting: false, restartCount: 1, lastLogLines: ['loading configuration', `2026-11-30T06:42:32.712+00:00 ${FATAL}`] });
    const v = viewOf(facts(c, { reachable: false }));
    expect(v.containerFatalLine).toBe(FATAL);
    const [d] = gatewayNotRunning.detect(v);
    expect(d!.detail).toContain('(running, restarted 1 time)');
    // Serving again after one bad start: the old line names nothing.
    expect(gatewayNotRunning.detect(viewOf(facts(c)))).toEqual([]);
  });
});
