// A gateway in a container: no check prints a host `openclaw …` command (it would change the
// host's ~/.openclaw, not the gateway's). Every check is run over container views built to make
// as many of them fire as possible, and every fix step's plan is asked for; each printed line
// must target the container (`docker-compose … exec SERVICE openclaw …`, its restart, or an edit
// of the mounted config on the host). The same views without the container print host commands:
// the test sees the difference it guards.
import { describe, expect, it } from 'vitest';
import { toFinding } from '../../src/checks/check.js';
import { CHECKS, STEPS } from '../../src/checks/index.js';
import { forGateway } from '../../src/checks/container-commands.js';
import { viewOf } from '../../src/diagnosis/view.js';
import type { DiagnosisFacts } from '../../src/diagnosis/types.js';
import { parseConfigText } from '../../src/facts/config.js';
import { COMPOSE_STANDALONE } from '../../src/facts/container-command.js';
import type { GatewayContainer } from '../../src/facts/container-gateway.js';
import type { LogHandshake, LogHandshakeKind } from '../../src/facts/types.js';
import { diagnosisFacts, gatewayContainer, gatewayLog, loopbackTarget } from '../support/diagnosis-facts.js';

const DIR = '/srv/otw-compose';
const CONFIG = `${DIR}/config/openclaw.json`;
const EXEC = `cd ${DIR} && docker-compose -p otwabc exec openclaw-gateway openclaw `;
/** A host `openclaw` command: at the start of a line, after `&& `/`; `, or after the `: ` of a comment. */
const HOST_COMMAND = /(?:^|&& |; |: )openclaw [a-z-]/;

const CONFIGS = [
  { gateway: { mode: 'remote', auth: { mode: 'token', token: 'a'.repeat(48) } } },
  { gateway: { mode: 'local', auth: { mode: 'password', password: 'p'.repeat(20) } } },
  { gateway: { mode: 'local', auth: { mode: 'none' } } },
  { gateway: { mode: 'local', auth: { token: 'b'.repeat(48), password: 'q'.repeat(20) } } },
  { gateway: { mode: 'local', auth: { mode: 'token', token: 'change-me-now' } } },
  { gateway: { mode: 'local', auth: { mode: 'token', token: ` ${'c'.repeat(48)} ` } } },
  { gateway: { mode: 'local', auth: { mode: 'token' } } },
  { agents: { gateway: { auth: { token: 'd'.repeat(48) } } }, gateway: { mode: 'local' } },
  { gateway: { mode: 'local', auth: { mode: 'token', token: 'e'.repeat(48) } }, env: { OPENCLAW_GATEWAY_TOKEN: 'f'.repeat(48) } },
  { gateway: { mode: 'local', auth: { mode: 'token', token: { source: 'exec', provider: 'x', id: 'y' } } } },
];

const KINDS: LogHandshakeKind[] = [
  'token-missing',
  'token-mismatch',
  'origin-not-allowed',
  'insecure-context',
  'device-identity',
  'pairing-required',
  'device-token-mismatch',
  'rate-limited',
  'scope-upgrade',
  'password-missing',
];

function container(config: GatewayContainer['config']): GatewayContainer {
  return gatewayContainer('otwabc', DIR, { config });
}

function handshakes(): LogHandshake[] {
  return KINDS.map((kind, i) => ({
    time: `2026-11-30T04:00:${String(10 + i).padStart(2, '0')}.000Z`,
    kind,
    client: i % 2 ? 'openclaw-control-ui' : 'cli',
    clientMode: i % 2 ? 'webchat' : 'cli',
    origin: kind === 'origin-not-allowed' ? 'http://127.0.0.1:28789' : null,
    remote: '172.18.0.1',
    reason: kind === 'pairing-required' ? 'pairing required' : null,
    requestId: kind === 'pairing-required' || kind === 'scope-upgrade' ? 'req-42' : null,
  }));
}

function facts(configJson: object, inContainer: boolean, reachable: boolean): DiagnosisFacts {
  const config = parseConfigText(JSON.stringify(configJson), {}, CONFIG);
  return diagnosisFacts({
    config,
    log: gatewayLog(handshakes(), { file: 'docker logs otwabc_openclaw-gateway_1' }),
    target: loopbackTarget(28789, '--port'),
    bareProbe: { kind: reachable ? 'rejected' : 'refused' } as DiagnosisFacts['bareProbe'],
    sources: config.sources,
    container: { available: true, error: null, container: inContainer ? container(config) : null },
    composeCommand: COMPOSE_STANDALONE,
  });
}

/** Every line every check prints for these views, and every step's plan, with who printed it. */
function printed(inContainer: boolean): Array<{ by: string; line: string }> {
  const out: Array<{ by: string; line: string }> = [];
  for (const cfg of CONFIGS) {
    for (const reachable of [true, false]) {
      const view = viewOf(facts(cfg, inContainer, reachable));
      for (const check of CHECKS) {
        for (const d of check.detect(view)) for (const line of toFinding(check, d, view).fix) out.push({ by: check.id, line });
      }
      for (const step of STEPS) {
        let plan: string[] = [];
        try {
          plan = step.plan(view);
        } catch {
          // A plan that needs facts these views lack is not due here; the findings above cover what fires.
        }
        for (const line of plan) out.push({ by: `step ${step.id}`, line });
      }
    }
  }
  return out;
}

describe('commands printed for a gateway in a container', () => {
  it('no check prints a host `openclaw …` command; config changes run inside the container', () => {
    const lines = printed(true);
    const host = lines.filter((l) => HOST_COMMAND.test(l.line));
    expect(host).toEqual([]);
    const inside = lines.filter((l) => l.line.includes(`${EXEC}config set`));
    const by = new Set(inside.map((l) => l.by));
    // The views really made the config-changing checks speak (else the test proves nothing).
    for (const id of ['gateway-mode-not-local', 'auth-mode-not-token', 'token-invalid-value', 'origin-not-allowed']) expect([...by]).toContain(id);
    expect(lines.filter((l) => l.by.includes('airing')).map((l) => l.line)).toContain(`${EXEC}devices approve req-42`);
    expect(lines.some((l) => l.line === `cd ${DIR} && docker-compose -p otwabc restart openclaw-gateway`)).toBe(true);
  });

  it('the same views without a container print the host commands', () => {
    const host = printed(false).filter((l) => HOST_COMMAND.test(l.line));
    expect(host.some((l) => l.line.startsWith('openclaw config set gateway.mode local'))).toBe(true);
    expect(host.some((l) => l.line === 'openclaw devices approve req-42')).toBe(true);
  });

  it('a container that is not serving (a restart loop) is reached through a one-off container of its service', () => {
    const cfg = CONFIGS[4]!;
    const f = facts(cfg, true, false);
    f.container!.container = { ...container(f.config), status: 'restarting', restarting: true, restartCount: 3 };
    const lines = [...CHECKS].flatMap((c) => c.detect(viewOf(f)).flatMap((d) => toFinding(c, d, viewOf(f)).fix));
    expect(lines).toContain(`cd ${DIR} && docker-compose -p otwabc run --rm --no-deps openclaw-gateway openclaw config set gateway.auth.mode token`);
    expect(lines.filter((l) => HOST_COMMAND.test(l) || l.includes(' exec '))).toEqual([]);
  });

  it('retargets a command inside a comment, and leaves other tools alone', () => {
    const view = viewOf(facts(CONFIGS[6]!, true, true));
    expect(forGateway(view, '# or, deliberately, switch the gateway to token auth: openclaw config set gateway.auth.mode token')).toBe(
      `# or, deliberately, switch the gateway to token auth: ${EXEC}config set gateway.auth.mode token`,
    );
    expect(forGateway(view, 'openclaw-token-wizard diagnose')).toBe('openclaw-token-wizard diagnose');
    expect(forGateway(view, 'npm install -g openclaw@latest')).toBe('npm install -g openclaw@latest');
    expect(forGateway(view, 'openclaw gateway stop   # or end the foreground gateway (pid 7) with Ctrl-C')).toBe(`cd ${DIR} && docker-compose -p otwabc restart openclaw-gateway`);
  });
});
