/**
 * The fix steps, in the order the article works through them (its fix sequence, then its
 * "still failing?" checklist), each with: when it applies, the line a supporter reads out,
 * the commands it runs (shown before it runs them), and what it does. The machines in this
 * folder decide the order and the confirmations; this table decides the content.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { DiagnosisFacts } from '../src/diagnose.js';
import type { DiagnosisReport } from '../src/render/json.js';
import type { FindingId } from '../src/types.js';
import type { ActionContext, ActionOutcome } from '../src/actions/types.js';
import { applyConfig, configCommands } from '../src/actions/config-edit.js';
import { hasService, ownGatewayProcess, restartGateway, startGatewayInBackground, startInBackgroundCommand, stopPid, waitForGateway } from '../src/actions/gateway.js';
import { runOpenClaw } from '../src/actions/openclaw-cli.js';
import { run } from '../src/exec.js';
import { backupFile, writeFileAtomic } from '../src/actions/fs-safe.js';
import { controlUiUrl, copyToClipboard, openInBrowser, tokenForClients, watchForControlUi } from '../src/actions/control-ui.js';
import { CANCELLED } from '../src/prompter.js';
import { FATAL_PROBLEMS } from '../src/hygiene.js';
import { Secret } from '../src/secret.js';

export const STEP_IDS = [
  'repairConfigFile',
  'moveMisplacedGatewayBlock',
  'setGatewayModeLocal',
  'chooseTokenAuthMode',
  'generateToken',
  'startGateway',
  'freeThePort',
  'stopStaleGateway',
  'restartGateway',
  'reinstallService',
  'alignDockerEnv',
  'removeEnvOverride',
  'allowOrigin',
  'approvePairing',
  'putTokenIntoControlUi',
  // Reached only from the rotate flow, never from findings:
  'rotateToken',
  'propagateToken',
] as const;
export type StepId = (typeof STEP_IDS)[number];

export interface StepSpec {
  id: StepId;
  /** The article's step or checklist item this implements. */
  article: string;
  title: string;
  /** What a supporter reads out to the user at this step. */
  say: string;
  findings: FindingId[];
  /** Beyond the finding ids: does this step apply to these facts? */
  when?: (facts: DiagnosisFacts, report: DiagnosisReport) => boolean;
  /** Never implied by --yes: stopping a process, approving a device. */
  explicit?: boolean;
  /** What an explicit step breaks or changes, named in its confirmation. */
  consequence?: string;
  /** The commands the step runs, in order, as the person could type them (tokens as fingerprints). */
  plan(ctx: ActionContext): string[];
  apply(ctx: ActionContext): Promise<ActionOutcome>;
}

const has = (report: DiagnosisReport, ids: FindingId[]) => report.findings.some((f) => ids.includes(f.id));
const configToken = (f: DiagnosisFacts) => f.sources.find((s) => s.id === 'config');

/** A fresh token: 48 hex characters, like `openclaw doctor --generate-gateway-token`. */
export function newToken(): string {
  return randomBytes(24).toString('hex');
}

function tokenAssignments(token: string) {
  const shown = new Secret(token).fingerprint;
  return [
    { path: 'gateway.auth.mode', value: 'token' },
    { path: 'gateway.auth.token', value: token, display: `<new token ${shown}>` },
  ];
}

/**
 * After a config token change, probe before asking for a restart: 2026.9 hot-reloads a token
 * change on a gateway that started with one, but not on a gateway that started without.
 */
async function settleAfterTokenChange(ctx: ActionContext, token: string): Promise<string> {
  const reachable = [...ctx.facts.probes.values(), ...(ctx.facts.bareProbe ? [ctx.facts.bareProbe] : [])].some((r) => r.kind === 'hello-ok' || r.kind === 'rejected');
  if (!reachable || ctx.dryRun) return '';
  // A gateway that generated a runtime token at startup keeps it until restarted (observed on 2026.9.6).
  if (ctx.facts.log?.runtimeTokenGenerated) return ' The running gateway started without a configured token and keeps its runtime token until it restarts.';
  const w = await waitForGateway(ctx, { token, goal: 'accepts-token', timeoutMs: 5000, label: 'Checking whether the running gateway picked up the new token' });
  return w.ok ? ' The running gateway applied it without a restart (hot reload).' : ' The running gateway still enforces its old token: it needs a restart.';
}

export const STEPS: Record<StepId, StepSpec> = {
  repairConfigFile: {
    id: 'repairConfigFile',
    article: 'before step 1: the config must be readable',
    title: 'Repair the config file',
    say: 'Your OpenClaw config file has a syntax error, so OpenClaw cannot read your token from it. Let us fix that line first.',
    findings: ['config-unreadable'],
    plan: (ctx) => [`$EDITOR ${ctx.facts.config?.path ?? '~/.openclaw/openclaw.json'}${ctx.facts.config?.error?.line ? `   # line ${ctx.facts.config.error.line}, column ${ctx.facts.config.error.column ?? '?'}` : ''}`],
    apply: async () => ({ ok: false, waiting: true, message: 'edit the file by hand; the wizard re-reads it when you continue' }),
  },
  moveMisplacedGatewayBlock: {
    id: 'moveMisplacedGatewayBlock',
    article: 'step 1: read the token the gateway enforces (it must be in the top-level gateway block)',
    title: 'Move the token from agents.gateway to the top-level gateway block',
    say: 'Your token sits under "agents", where OpenClaw never looks. I will copy it to the place the gateway reads.',
    findings: ['token-misplaced'],
    when: (f) => !!f.sources.find((s) => s.id === 'config:misplaced')?.value && !configToken(f)?.value,
    plan: (ctx) => {
      const v = ctx.facts.sources.find((s) => s.id === 'config:misplaced')?.value;
      return configCommands([{ path: 'gateway.auth.token', value: '', display: `<token from agents.gateway ${v?.fingerprint ?? ''}>` }]);
    },
    apply: async (ctx) => {
      const v = ctx.facts.sources.find((s) => s.id === 'config:misplaced')?.value;
      if (!v) return { ok: false, message: 'no token under agents.gateway to move' };
      return applyConfig(ctx, 'copied the token from agents.gateway.auth.token to gateway.auth.token', [{ path: 'gateway.auth.token', value: v.reveal().trim(), display: v.fingerprint }]);
    },
  },
  setGatewayModeLocal: {
    id: 'setGatewayModeLocal',
    article: 'checklist: is gateway.bind / gateway.mode what you expect?',
    title: 'Set gateway.mode to local',
    say: 'OpenClaw refuses to start the gateway on this machine until the config says it is the local gateway. I will set gateway.mode to local.',
    findings: ['gateway-mode-not-local'],
    plan: () => ['openclaw config set gateway.mode local'],
    apply: (ctx) => applyConfig(ctx, 'set gateway.mode=local', [{ path: 'gateway.mode', value: 'local' }]),
  },
  chooseTokenAuthMode: {
    id: 'chooseTokenAuthMode',
    article: 'step 1: the gateway must be in token mode',
    title: 'Make token auth explicit',
    say: 'Both a token and a password are configured and OpenClaw cannot tell which to use. I will set the auth mode to token.',
    findings: ['ambiguous-auth-mode'],
    plan: () => ['openclaw config set gateway.auth.mode token'],
    apply: (ctx) => applyConfig(ctx, 'set gateway.auth.mode=token', [{ path: 'gateway.auth.mode', value: 'token' }]),
  },
  generateToken: {
    id: 'generateToken',
    article: 'step 2: generate a token if none exists',
    title: 'Generate a gateway token and save it in the config',
    say: 'There is no usable token in your config, so the gateway makes up a new one every time it starts. I will create one and save it, so it stays the same.',
    findings: ['no-token-configured', 'token-invalid-value'],
    when: (f, r) => has(r, ['no-token-configured']) || !!configToken(f)?.problems.some((p) => FATAL_PROBLEMS.has(p) && p !== 'secret-ref'),
    plan: () => [...configCommands(tokenAssignments('x'.repeat(48)).map((a) => (a.path === 'gateway.auth.token' ? { ...a, display: '<new 48-hex token>' } : a)))],
    apply: async (ctx) => {
      const token = newToken();
      ctx.remember(token);
      const r = await applyConfig(ctx, `saved a new gateway token (${new Secret(token).describe()})`, tokenAssignments(token));
      if (!r.ok) return r;
      return { ...r, message: r.message + (await settleAfterTokenChange(ctx, token)) };
    },
  },
  startGateway: {
    id: 'startGateway',
    article: 'checklist: is the gateway even running?',
    title: 'Start the gateway',
    say: 'Nothing is listening where your clients connect, so the gateway is not running. I will start it.',
    findings: ['gateway-not-running'],
    plan: (ctx) => (hasService(ctx) ? ['openclaw gateway start'] : [startInBackgroundCommand(ctx)]),
    apply: async (ctx) => {
      if (hasService(ctx) && ctx.facts.cli?.found) {
        if (ctx.dryRun) return { ok: true, message: 'dry run: would run openclaw gateway start' };
        const r = await runOpenClaw(ctx, ['gateway', 'start'], 60_000);
        ctx.record({ at: new Date().toISOString(), what: 'started the gateway service', commands: ['openclaw gateway start'], files: [], backups: [] });
        if (!r.ok) return { ok: false, message: `openclaw gateway start failed: ${(r.failure ?? r.stderr.trim().split('\n').pop() ?? '').slice(0, 300)}` };
      } else {
        const r = await startGatewayInBackground(ctx);
        if (!r.ok || ctx.dryRun) return r;
      }
      const token = configToken(ctx.facts)?.value?.reveal().trim() ?? null;
      const w = await waitForGateway(ctx, { token, goal: 'answers', timeoutMs: 120_000, label: 'Waiting for the gateway to accept connections' });
      return w.ok ? { ok: true, message: 'the gateway is up' } : { ok: false, message: 'the gateway did not come up in time; its log says why' };
    },
  },
  freeThePort: {
    id: 'freeThePort',
    article: 'checklist: multiple gateways / port conflicts',
    title: 'Free the gateway port',
    say: 'Another program is using the port the gateway needs. We need to stop it or move the gateway to another port.',
    findings: ['port-occupied-by-other'],
    explicit: true,
    plan: (ctx) => {
      const other = ctx.facts.listeners?.listeners.find((l) => !l.isGateway);
      return other?.pid ? [`kill ${other.pid}   # ${other.commandLine ?? other.command ?? ''}`.trim()] : [`ss -ltnp 'sport = :${ctx.facts.target.port}'`];
    },
    apply: async (ctx) => {
      const other = ctx.facts.listeners?.listeners.find((l) => !l.isGateway);
      if (!other?.pid) return { ok: false, waiting: true, message: `find and stop what holds port ${ctx.facts.target.port}, or move the gateway: openclaw config set gateway.port <free port>` };
      return stopPid(ctx, other.pid);
    },
  },
  stopStaleGateway: {
    id: 'stopStaleGateway',
    article: 'checklist: multiple gateways? a stale daemon still listening with the old token',
    title: 'Stop the stale gateway',
    say: 'An old gateway with a different configuration holds the port and enforces its own token. I will stop that exact process.',
    findings: ['multiple-gateways'],
    explicit: true,
    plan: (ctx) => staleGateways(ctx).map((l) => `kill ${l.pid}   # ${l.commandLine ?? l.command ?? ''}${l.configPath ? ` (config ${l.configPath})` : ''}`),
    apply: async (ctx) => {
      const stale = staleGateways(ctx);
      if (!stale.length) return { ok: false, message: 'no stale gateway pid to stop' };
      for (const l of stale) {
        const r = await stopPid(ctx, l.pid!);
        if (!r.ok) return r;
      }
      return { ok: true, message: `stopped ${stale.map((l) => `pid ${l.pid}`).join(', ')}` };
    },
  },
  restartGateway: {
    id: 'restartGateway',
    article: 'checklist: did you restart the gateway after changing the token?',
    title: 'Restart the gateway so it enforces the config token',
    say: 'The gateway is still running with an old token in memory. A restart makes it read the token from the config.',
    findings: ['gateway-rejects-config-token'],
    when: (f, r) => !has(r, ['multiple-gateways']) && !!configToken(f)?.value,
    plan: (ctx) => {
      if (hasService(ctx)) return ['openclaw gateway restart'];
      const own = ownGatewayProcess(ctx);
      return own?.pid ? [`kill ${own.pid}`, startInBackgroundCommand(ctx)] : ['# restart the gateway where you started it (Ctrl-C, then run it again)'];
    },
    apply: (ctx) => restartGateway(ctx, configToken(ctx.facts)?.value?.reveal().trim() ?? null),
  },
  reinstallService: {
    id: 'reinstallService',
    article: 'checklist: multiple gateways (openclaw gateway install --force if it is stuck)',
    title: 'Reinstall the gateway service so it stops carrying an old token',
    say: 'Your gateway service has an old token baked into it. Reinstalling it writes a fresh service definition.',
    findings: ['service-token-stale'],
    plan: (ctx) => [...(ctx.facts.sources.some((s) => s.kind === 'launchctl') ? ['launchctl unsetenv OPENCLAW_GATEWAY_TOKEN'] : []), 'openclaw gateway install --force', 'openclaw gateway restart'],
    apply: async (ctx) => {
      if (ctx.dryRun) return { ok: true, message: 'dry run: would reinstall the service' };
      if (!ctx.facts.cli?.found) return { ok: false, message: 'the openclaw CLI is not on PATH' };
      for (const args of [['gateway', 'install', '--force'], ['gateway', 'restart']]) {
        const r = await runOpenClaw(ctx, args, 90_000);
        ctx.record({ at: new Date().toISOString(), what: `ran openclaw ${args.join(' ')}`, commands: [`openclaw ${args.join(' ')}`], files: [], backups: [] });
        if (!r.ok) return { ok: false, message: `openclaw ${args.join(' ')} failed: ${(r.failure ?? r.stderr.trim().split('\n').pop() ?? '').slice(0, 300)}` };
      }
      return { ok: true, message: 'service reinstalled and restarted' };
    },
  },
  alignDockerEnv: {
    id: 'alignDockerEnv',
    article: 'step 5: in Docker, check the env override',
    title: 'Make Docker pass the same token as the config',
    say: 'Docker hands the gateway a different token than your config file. I will make the .env that Docker reads carry the same token, then recreate the container.',
    findings: ['docker-env-override'],
    plan: (ctx) => [...dockerEnvEdits(ctx).map((e) => `$EDITOR ${e.file}   # line ${e.line}: OPENCLAW_GATEWAY_TOKEN=<config token ${tokenForClients(ctx)?.fingerprint ?? ''}>`), 'docker compose up -d openclaw-gateway'],
    apply: async (ctx) => {
      const edits = dockerEnvEdits(ctx);
      const token = tokenForClients(ctx);
      if (!edits.length || !token) return { ok: false, waiting: true, message: 'the token is written in the compose file itself: change it there by hand, then run docker compose up -d openclaw-gateway' };
      for (const e of edits) {
        const r = await rewriteEnvLine(ctx, e.file, e.line, `OPENCLAW_GATEWAY_TOKEN=${token.reveal().trim()}`, 'set OPENCLAW_GATEWAY_TOKEN to the config token');
        if (!r.ok) return r;
      }
      if (ctx.dryRun) return { ok: true, message: 'dry run: would run docker compose up -d openclaw-gateway' };
      const dir = edits[0]!.file.replace(/\/[^/]*$/, '');
      const r = await run('docker', ['compose', 'up', '-d', 'openclaw-gateway'], { timeoutMs: 120_000, env: ctx.env, cwd: dir });
      ctx.record({ at: new Date().toISOString(), what: 'recreated the gateway container', commands: ['docker compose up -d openclaw-gateway'], files: [], backups: [] });
      return r.ok ? { ok: true, message: 'the .env now carries the config token and the container was recreated' } : { ok: false, message: `docker compose up failed: ${(r.failure ?? r.stderr.trim().split('\n').pop() ?? '').slice(0, 300)}` };
    },
  },
  removeEnvOverride: {
    id: 'removeEnvOverride',
    article: 'step 5 / checklist: an environment variable overriding the config',
    title: 'Remove the stale OPENCLAW_GATEWAY_TOKEN',
    say: 'An old OPENCLAW_GATEWAY_TOKEN is still set in a file, and some clients send that instead of the real token. I will comment it out so the config is the one source of truth.',
    findings: ['env-token-differs'],
    plan: (ctx) => envOverrides(ctx).map((s) => (s.file ? `$EDITOR ${s.file}   # line ${s.line}: comment out OPENCLAW_GATEWAY_TOKEN` : 'unset OPENCLAW_GATEWAY_TOKEN   # in your shell and its profile')),
    apply: async (ctx) => {
      const list = envOverrides(ctx);
      const files = list.filter((s) => s.file && s.line);
      for (const s of files) {
        const r = await rewriteEnvLine(ctx, s.file!, s.line!, null, 'commented out a stale OPENCLAW_GATEWAY_TOKEN');
        if (!r.ok) return r;
      }
      const inShell = list.some((s) => s.kind === 'process-env');
      if (inShell) return { ok: files.length > 0, message: `${files.length ? 'file entries commented out; ' : ''}OPENCLAW_GATEWAY_TOKEN is set in this shell: run \`unset OPENCLAW_GATEWAY_TOKEN\` and remove it from your shell profile` };
      return { ok: true, message: `commented out ${files.length} stale entr${files.length === 1 ? 'y' : 'ies'}` };
    },
  },
  allowOrigin: {
    id: 'allowOrigin',
    article: 'checklist: bind / remote access',
    title: 'Allow the origin the Control UI is opened from',
    say: 'You open the Control UI from an address the gateway does not trust yet. I will add that address to the allowed origins.',
    findings: ['origin-not-allowed'],
    explicit: true,
    consequence: 'Pages from that origin may then connect to the gateway (they still need the token).',
    plan: (ctx) => configCommands([{ path: 'gateway.controlUi.allowedOrigins', value: allowedOriginsAfter(ctx) }]),
    apply: (ctx) => applyConfig(ctx, 'allowed the Control UI origin', [{ path: 'gateway.controlUi.allowedOrigins', value: allowedOriginsAfter(ctx) }]),
  },
  approvePairing: {
    id: 'approvePairing',
    article: 'after step 4: a new browser must be paired',
    title: 'Approve the waiting device',
    say: 'The gateway accepted the token and now asks whether this new browser or device may connect. I will approve it.',
    findings: ['pairing-required'],
    explicit: true,
    when: (f) => !!pendingRequestId(f),
    plan: (ctx) => ['openclaw devices list', `openclaw devices approve ${pendingRequestId(ctx.facts) ?? '<requestId>'}`],
    apply: async (ctx) => {
      const id = pendingRequestId(ctx.facts);
      if (!id) return { ok: false, message: 'no pairing request id in the log: run openclaw devices list' };
      if (ctx.dryRun) return { ok: true, message: `dry run: would run openclaw devices approve ${id}` };
      const r = await runOpenClaw(ctx, ['devices', 'approve', id]);
      ctx.record({ at: new Date().toISOString(), what: `approved device request ${id}`, commands: [`openclaw devices approve ${id}`], files: [], backups: [] });
      return r.ok ? { ok: true, message: `approved ${id}` } : { ok: false, message: `openclaw devices approve failed: ${(r.failure ?? r.stderr.trim()).slice(0, 300)}` };
    },
  },
  putTokenIntoControlUi: {
    id: 'putTokenIntoControlUi',
    article: 'step 3: paste the token into the Control UI, then step 4: verify',
    title: 'Put the token into the Control UI',
    say: 'Your browser does not have the right token. I will open the Control UI with the token built into the link, then we watch the gateway confirm the connection.',
    findings: ['client-token-missing', 'client-token-mismatch'],
    when: (f) => !!tokenForClients({ facts: f }),
    plan: (ctx) => [`open ${controlUiUrl(ctx, tokenForClients(ctx))}`],
    apply: async (ctx) => deliverToControlUi(ctx),
  },
  rotateToken: {
    id: 'rotateToken',
    article: 'regenerating a token: the gateway enforces the new value at once',
    title: 'Rotate the gateway token',
    say: 'I will replace the gateway token with a new one. Every client that holds the old one stops working until we give it the new one, which we do right after.',
    findings: [],
    explicit: true,
    consequence: 'Every client that holds the current token (browsers, CLIs, .env files) is refused until it gets the new one.',
    plan: () => [...configCommands(tokenAssignments('x'.repeat(48)).map((a) => (a.path === 'gateway.auth.token' ? { ...a, display: '<new 48-hex token>' } : a)))],
    apply: async (ctx) => {
      const token = newToken();
      ctx.remember(token);
      const r = await applyConfig(ctx, `rotated the gateway token to ${new Secret(token).describe()}`, tokenAssignments(token));
      if (!r.ok) return r;
      return { ...r, message: r.message + (await settleAfterTokenChange(ctx, token)) };
    },
  },
  propagateToken: {
    id: 'propagateToken',
    article: 'regenerating a token: propagate it to EVERY client',
    title: 'Give the new token to every place that holds the old one',
    say: 'Now every place that still has the old token gets the new one: environment files, Docker, the service, and your browsers.',
    findings: [],
    plan: (ctx) => propagationPlan(ctx).map((p) => p.command),
    apply: async (ctx) => {
      const token = tokenForClients(ctx);
      if (!token) return { ok: false, message: 'the gateway does not accept any known token yet' };
      const done: string[] = [];
      const manual: string[] = [];
      for (const item of propagationPlan(ctx)) {
        if (item.file && item.line && item.kind === 'dotenv-set') {
          const r = await rewriteEnvLine(ctx, item.file, item.line, `OPENCLAW_GATEWAY_TOKEN=${token.reveal().trim()}`, 'set OPENCLAW_GATEWAY_TOKEN to the new token');
          (r.ok ? done : manual).push(r.message);
        } else if (item.kind === 'remote-token') {
          const r = await applyConfig(ctx, 'set gateway.remote.token to the new token', [{ path: 'gateway.remote.token', value: token.reveal().trim(), display: token.fingerprint }]);
          (r.ok ? done : manual).push(r.message);
        } else manual.push(item.command);
      }
      for (const m of manual) ctx.prompter.warn(`Still to do by hand: ${m}`);
      // Each update names its file and backup: the person must be able to find and undo it.
      return { ok: true, message: `${done.length} place(s) updated${manual.length ? `, ${manual.length} left to you` : ''}${done.length ? `: ${done.join('; ')}` : ''}` };
    },
  },
};

interface PropagationItem {
  kind: 'dotenv-set' | 'remote-token' | 'manual';
  command: string;
  file?: string;
  line?: number;
}

/** Every place that still holds another fingerprint than the token the gateway enforces. */
export function propagationPlan(ctx: Pick<ActionContext, 'facts'>): PropagationItem[] {
  const token = tokenForClients(ctx);
  if (!token) return [];
  const stale = ctx.facts.sources.filter((s) => s.id !== 'config' && s.id !== 'token-stdin' && s.credential === 'token' && s.value && s.value.reveal().trim() !== token.reveal().trim());
  const items: PropagationItem[] = [];
  for (const s of stale) {
    if ((s.kind === 'dotenv' || s.kind === 'compose') && s.file && s.line && /\.env[^/]*$/.test(s.file)) items.push({ kind: 'dotenv-set', command: `$EDITOR ${s.file}   # line ${s.line}: OPENCLAW_GATEWAY_TOKEN=<new token ${token.fingerprint}>`, file: s.file, line: s.line });
    else if (s.kind === 'compose') for (const e of dockerEnvEdits({ facts: { ...ctx.facts, sources: [s] } })) items.push({ kind: 'dotenv-set', command: `$EDITOR ${e.file}   # line ${e.line}: OPENCLAW_GATEWAY_TOKEN=<new token ${token.fingerprint}>`, file: e.file, line: e.line });
    else if (s.kind === 'config-remote') items.push({ kind: 'remote-token', command: `openclaw config set gateway.remote.token '"<new token ${token.fingerprint}>"'` });
    else if (s.kind === 'process-env') items.push({ kind: 'manual', command: 'export OPENCLAW_GATEWAY_TOKEN=<new token>   # or unset it; in your shell profile too' });
    else if (s.kind === 'service' || s.kind === 'launchctl') items.push({ kind: 'manual', command: 'openclaw gateway install --force' });
    else if (s.kind === 'container') items.push({ kind: 'manual', command: 'docker compose up -d openclaw-gateway   # after updating its .env' });
    else items.push({ kind: 'manual', command: `update ${s.label}` });
  }
  if (items.some((i) => i.kind === 'dotenv-set' && /compose|docker/.test(i.command))) items.push({ kind: 'manual', command: 'docker compose up -d openclaw-gateway' });
  items.push({ kind: 'manual', command: 'other browsers and devices: open the new dashboard link there (openclaw-token-wizard open --print --show-token)' });
  return items;
}

function staleGateways(ctx: Pick<ActionContext, 'facts'>) {
  const own = ctx.facts.paths?.stateDir;
  const gws = (ctx.facts.listeners?.listeners ?? []).filter((l) => l.isGateway && l.pid);
  const foreign = gws.filter((l) => l.stateDir && own && l.stateDir !== own);
  return foreign.length ? foreign : gws.slice(1);
}

function dockerEnvEdits(ctx: Pick<ActionContext, 'facts'>): Array<{ file: string; line: number }> {
  const out: Array<{ file: string; line: number }> = [];
  for (const s of ctx.facts.sources.filter((x) => x.kind === 'compose' && !(x.notes ?? []).some((n) => n.startsWith('shadowed:')))) {
    if (s.valueAt) out.push(s.valueAt);
    else if (s.file && /\.env[^/]*$/.test(s.file) && s.line) out.push({ file: s.file, line: s.line });
  }
  return dedupe(out);
}

function dedupe<T>(xs: T[]): T[] {
  const seen = new Set<string>();
  return xs.filter((x) => {
    const k = JSON.stringify(x);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function envOverrides(ctx: Pick<ActionContext, 'facts'>) {
  const ref = configToken(ctx.facts)?.value ?? tokenForClients(ctx);
  return ctx.facts.sources.filter(
    (s) => (s.kind === 'dotenv' || s.kind === 'process-env' || s.kind === 'config-env') && s.credential === 'token' && s.id !== 'token-stdin' && s.value && ref && s.value.reveal().trim() !== ref.reveal().trim(),
  );
}

function allowedOriginsAfter(ctx: Pick<ActionContext, 'facts'>): string[] {
  const current = ctx.facts.config?.gateway.allowedOrigins ?? [];
  const wanted = (ctx.facts.log?.handshakes ?? []).filter((h) => h.kind === 'origin-not-allowed' && h.origin).map((h) => h.origin!);
  return [...new Set([...current, ...wanted])];
}

function pendingRequestId(f: DiagnosisFacts): string | null {
  const hs = (f.log?.handshakes ?? []).filter((h) => h.kind === 'pairing-required' && h.requestId);
  return hs[hs.length - 1]?.requestId ?? null;
}

/**
 * Rewrite one line of a .env file (null = comment it out), after a backup, atomically. The line
 * must still assign OPENCLAW_GATEWAY_TOKEN, so a file changed since the diagnosis is left alone.
 */
async function rewriteEnvLine(ctx: ActionContext, file: string, line: number, replacement: string | null, what: string): Promise<ActionOutcome> {
  if (ctx.dryRun) return { ok: true, message: `dry run: would edit ${file} line ${line}` };
  const text = await readFile(file, 'utf8');
  const lines = text.split('\n');
  const current = lines[line - 1];
  if (current === undefined || !/^\s*(export\s+)?OPENCLAW_GATEWAY_TOKEN\s*=/.test(current)) {
    return { ok: false, message: `${file} line ${line} no longer sets OPENCLAW_GATEWAY_TOKEN: left unchanged` };
  }
  const backup = await backupFile(file);
  lines[line - 1] = replacement ?? `# ${current.trim()}   # disabled by openclaw-token-wizard ${new Date().toISOString().slice(0, 10)}: the config token is the one source of truth`;
  await writeFileAtomic(file, lines.join('\n'));
  ctx.record({ at: new Date().toISOString(), what: `${what} (${file} line ${line})`, commands: [`edit ${file} line ${line}`], files: [file], backups: [backup] });
  return { ok: true, message: `${what} in ${file} line ${line} (backup ${backup})` };
}

/**
 * Deliver the tokenized dashboard URL: open it, copy it, or show it after an explicit yes; then
 * watch the gateway log for the browser's next handshake.
 */
async function deliverToControlUi(ctx: ActionContext): Promise<ActionOutcome> {
  const token = tokenForClients(ctx);
  if (!token) return { ok: false, message: 'no token the gateway accepts is known yet' };
  const url = controlUiUrl(ctx, token);
  const p = ctx.prompter;
  if (ctx.dryRun) return { ok: true, message: `dry run: would open ${url}` };
  const how = await p.select(
    'How do you want to get the token into the Control UI?',
    [
      { value: 'open', label: 'Open the Control UI in my browser with the token', hint: 'recommended' },
      { value: 'copy', label: 'Copy the tokenized link to the clipboard' },
      { value: 'show', label: 'Show the link here (it contains the token)' },
      { value: 'skip', label: 'Skip: I will paste the token myself' },
    ],
    p.interactive ? 'open' : 'show',
  );
  if (how === CANCELLED) return { ok: false, message: 'cancelled' };
  const since = new Date();
  let delivered = '';
  if (how === 'open') {
    const r = await openInBrowser(url);
    delivered = r.message;
    if (!r.ok) p.warn(`${r.message}. Run \`openclaw-token-wizard open --print --show-token\` to get the link.`);
  } else if (how === 'copy') {
    const r = await copyToClipboard(url, ctx.env);
    delivered = r.message;
    if (!r.ok) p.warn(r.message);
  } else if (how === 'show') {
    const sure = ctx.showToken ? true : p.interactive ? await p.confirm('The link contains the token itself. Show it on screen?', { initial: false, explicit: true }) : false;
    if (sure === true) {
      // The one place a raw token is printed on purpose: after an explicit yes, or --show-token.
      process.stdout.write(`\n  ${url}\n\n`);
      delivered = 'shown on screen';
    } else {
      p.info(`Link (token as fingerprint): ${url}`);
      p.info('To print it with the token: openclaw-token-wizard open --print --show-token');
      delivered = 'link given with the token redacted';
    }
  } else {
    p.info('In the Control UI: Settings → Gateway → Gateway secret. Get the value with `openclaw gateway auth-token --show`.');
    delivered = 'left to you';
  }
  if (!p.interactive) return { ok: true, message: `Control UI link: ${delivered}` };
  const seen = await watchForControlUi(ctx, since, 90_000);
  if (!seen) return { ok: true, message: `Control UI link: ${delivered}; no connection seen in the log yet` };
  if (seen.kind === 'connected') return { ok: true, message: 'the Control UI connected (seen in the gateway log)' };
  return { ok: true, message: `the Control UI was refused: ${seen.reason ?? seen.kind}` };
}

/** Which steps apply to a diagnosis, in the article's order. */
export function applicableSteps(facts: DiagnosisFacts, report: DiagnosisReport): StepId[] {
  return STEP_IDS.filter((id) => {
    const s = STEPS[id];
    return has(report, s.findings) && (s.when ? s.when(facts, report) : true);
  });
}
