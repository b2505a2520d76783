// The gateway container as the diagnosis sees it: when the engine is asked, which ids the
// container's config sources get, and how its `docker logs` lines become the gateway log.
import { describe, expect, it } from 'vitest';
import { containerConfig, containerConfigSourceId, containerLog, newContainerEnvSources, withoutOtherContainers, worthAskingEngine } from '../../src/diagnosis/container-target.js';
import { configSourceId, viewOf } from '../../src/diagnosis/view.js';
import type { DiagnosisFacts } from '../../src/diagnosis/types.js';
import type { GatewayContainer } from '../../src/facts/container-gateway.js';
import type { ConfigFacts, DockerFacts, ListenerFacts } from '../../src/facts/types.js';
import { consoleLine, failureDetailRecord, listeningRecord } from '../../src/demo/gateway-log-writer.js';
import { Secret } from '../../src/secret.js';
import { sanitizeForTerminal } from '../../src/text/sanitize.js';
import type { TokenSource } from '../../src/types.js';
import { fakeToken } from '../support/sandbox.js';
import { gatewayContainer } from '../support/diagnosis-facts.js';

const TOKEN = fakeToken('container-config');
const ENV_TOKEN = fakeToken('container-env');

function source(id: string, kind: TokenSource['kind'], value: string, variable = 'gateway.auth.token'): TokenSource {
  return { id, kind, label: `${id} label`, variable, credential: 'token', value: new Secret(value), problems: [] };
}

function config(path: string, sources: TokenSource[]): ConfigFacts {
  return { path, exists: true, sources, gateway: { mode: 'local', allowedOrigins: [] } } as unknown as ConfigFacts;
}

function container(patch: Partial<GatewayContainer> = {}): GatewayContainer {
  return gatewayContainer('proj', '/srv/proj', {
    config: config('/srv/proj/config/openclaw.json', [source('config', 'config', TOKEN)]),
    envSources: [source('container:proj_openclaw-gateway_1', 'container', ENV_TOKEN, 'OPENCLAW_GATEWAY_TOKEN')],
    ...patch,
  });
}

const docker = (containers: DockerFacts['containers']): DockerFacts => ({ available: true, error: null, containers, sources: [] });
const listeners = (command: string | null): ListenerFacts => ({
  port: 28789,
  method: 'ss',
  listeners: [{ pid: null, address: '127.0.0.1:28789', command, commandLine: null, isGateway: false, stateDir: null, configPath: null, home: null }],
  otherGateways: [],
  locks: [],
  error: null,
});

describe('asking the engine', () => {
  it('only when Docker answered and a container or a container proxy is behind the port', () => {
    expect(worthAskingEngine(28789, null, listeners('docker-proxy'), false)).toBe(false);
    expect(worthAskingEngine(28789, { ...docker([]), error: 'Docker daemon not reachable' }, listeners('docker-proxy'), false)).toBe(false);
    expect(worthAskingEngine(28789, docker([]), listeners('docker-proxy'), false)).toBe(true);
    expect(worthAskingEngine(28789, docker([]), listeners(null), false)).toBe(true);
    expect(worthAskingEngine(28789, docker([]), listeners('node'), false)).toBe(false);
    expect(worthAskingEngine(28789, docker([]), listeners('node'), true)).toBe(true);
    expect(worthAskingEngine(28789, docker([{ id: 'x', name: 'openclaw', image: 'i', ports: '127.0.0.1:28789->18789/tcp' }]), null, false)).toBe(true);
    // A restarting container publishes nothing.
    expect(worthAskingEngine(28789, docker([{ id: 'x', name: 'openclaw', image: 'i', ports: '' }]), null, false)).toBe(true);
    expect(worthAskingEngine(28789, docker([{ id: 'x', name: 'openclaw', image: 'i', ports: '127.0.0.1:1234->18789/tcp' }]), null, false)).toBe(false);
  });
});

describe('the container as the gateway', () => {
  it("gives the mounted config's sources their own ids and skips env sources readDocker already has", () => {
    const c = container();
    expect(containerConfig(c)!.sources.map((s) => s.id)).toEqual([containerConfigSourceId(c.name, 'config')]);
    expect(containerConfigSourceId(c.name, 'config')).not.toBe('config');
    expect(newContainerEnvSources(c, c.envSources)).toEqual([]);
    expect(newContainerEnvSources(c, [])).toEqual(c.envSources);
    expect(containerConfig(container({ config: null }))).toBeNull();
  });

  it('judges the container config token, not the host one', () => {
    const c = container();
    const cfg = containerConfig(c)!;
    const host = config('/home/u/.openclaw/openclaw.json', [source('config', 'config', fakeToken('host'))]);
    const f = { config: cfg, hostConfig: host, container: { available: true, error: null, container: c }, sources: [...host.sources, ...cfg.sources] } as Partial<DiagnosisFacts> as DiagnosisFacts;
    expect(configSourceId(f, 'config')).toBe(containerConfigSourceId(c.name, 'config'));
    const hostOnly = { ...f, config: host, container: null } as DiagnosisFacts;
    expect(configSourceId(hostOnly, 'config')).toBe('config');
  });

  it("reads the container's log with both its own port and the published one as the gateway's", () => {
    // In the container the gateway's socket is 18789 (peer=) while the browser names the published port (host=, origin=).
    const origin = 'http://127.0.0.1:28789';
    const peer = { remoteHost: '172.18.0.1', remotePort: 40001, localHost: '172.18.0.2', localPort: 18789 };
    const refused = failureDetailRecord({
      connId: 'c1',
      peer,
      client: 'openclaw-control-ui',
      clientMode: 'webchat',
      clientVersion: '2026.9.6',
      host: '127.0.0.1:28789',
      origin,
      cause: 'origin-mismatch',
      code: 1008,
      closeReason: 'origin not allowed',
      time: new Date('2026-11-30T04:00:05Z'),
    });
    const lines = [consoleLine(listeningRecord('0.0.0.0', 18789, 7, new Date('2026-11-30T04:00:00Z'))), consoleLine(refused)].map((l) => sanitizeForTerminal(l));
    const log = containerLog(container({ lastLogLines: lines }));
    expect(log.file).toBe('docker logs proj_openclaw-gateway_1');
    expect(log.lastStartAt).not.toBeNull();
    expect(log.handshakes.map((h) => [h.kind, h.origin])).toEqual([['origin-not-allowed', origin]]);
  });

  it('names the fatal line of a container that cannot start, and nothing for a running one', () => {
    const fatal = 'Gateway failed to start: Invalid config: gateway auth token is blank, a published example placeholder';
    const facts = (c: GatewayContainer) =>
      ({
        config: null,
        sources: [],
        probes: new Map(),
        bareProbe: null,
        accepted: new Map(),
        target: { port: 28789, remote: false },
        container: { available: true, error: null, container: c },
      }) as unknown as DiagnosisFacts;
    const restarting = container({ status: 'restarting', restarting: true, lastLogLines: ['starting', fatal, 'node exited'] });
    expect(viewOf(facts(restarting)).containerFatalLine).toBe(fatal);
    expect(viewOf(facts(container({ lastLogLines: [fatal] }))).containerFatalLine).toBeNull();
  });
});

describe('other containers', () => {
  it('are dropped once the gateway container is known: they serve other ports', () => {
    const c = container();
    const other = source('container:other_openclaw-gateway_1', 'container', fakeToken('other'), 'OPENCLAW_GATEWAY_TOKEN');
    const compose = source('compose:openclaw-gateway', 'compose', ENV_TOKEN, 'OPENCLAW_GATEWAY_TOKEN');
    expect(withoutOtherContainers(c, [...c.envSources, other, compose]).map((s) => s.id)).toEqual([c.envSources[0]!.id, compose.id]);
  });
});
