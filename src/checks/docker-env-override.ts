/** The article's step 5: Docker hands the gateway container another token than the config. */
import { rewriteEnvLine } from '../actions/env-line.js';
import { failureReason, knownSecrets, shellQuote } from '../actions/openclaw-cli.js';
import type { ActionContext, ActionOutcome } from '../actions/types.js';
import type { DiagnosisView } from '../diagnosis/view.js';
import { run } from '../exec.js';
import type { TokenSource } from '../types.js';
import { defineCheck, defineStep } from './check.js';
import { composeRestartWords, composeUp } from './compose-words.js';
import { agree, sourceLine } from './words.js';

interface EnvEdit {
  file: string;
  line: number;
}

/** Where a Docker token is written: the .env line a `${OPENCLAW_GATEWAY_TOKEN}` came from, or an env_file line. */
export function dockerEnvEdits(sources: TokenSource[]): EnvEdit[] {
  const out = new Map<string, EnvEdit>();
  for (const s of sources) {
    const at = s.valueAt ?? (s.kind === 'compose' && s.file && s.line && /\.env[^/]*$/.test(s.file) ? { file: s.file, line: s.line } : null);
    if (at) out.set(`${at.file}:${at.line}`, at);
  }
  return [...out.values()];
}

/** Recreates the container from its project directory (else the edited .env's), so it gets the new environment. */
async function recreate(ctx: ActionContext, envDir: string): Promise<ActionOutcome> {
  const up = composeUp(ctx.view);
  if (ctx.dryRun) return { ok: true, message: `dry run: would run ${up.line}` };
  const r = await run(up.file, up.args, { timeoutMs: 120_000, env: ctx.env, cwd: up.cwd ?? envDir });
  if (!r.ok) return { ok: false, message: `${up.line} failed: ${failureReason(r, knownSecrets(ctx), { line: 'last' })}` };
  ctx.record({ at: new Date().toISOString(), what: 'recreated the gateway container', commands: [up.line], files: [], backups: [] });
  return { ok: true, message: 'the .env now carries the config token and the container was recreated' };
}

/** The confirmation's words when the compose project in question is not seen running this gateway. */
function foreignProjectWarning(view: DiagnosisView): string {
  const up = composeUp(view);
  return `This recreates the containers of the compose project in ${up.cwd ?? 'this directory'}, which is not the one running this gateway (no container of it publishes port ${view.facts.target.port}): whatever its compose file says is started.`;
}

export const alignDockerEnv = defineStep({
  id: 'alignDockerEnv',
  stage: 'still-failing',
  title: 'Make Docker pass the same token as the config',
  say: 'Docker hands the gateway a different token than your config file. I will make the .env that Docker reads carry the same token, then recreate the container.',
  // Compose files found in the working directory may belong to anyone: `up -d` there starts
  // whatever they say. Only the project that runs this gateway is recreated on --yes.
  explicit: (view) => !composeUp(view).ofGateway,
  consequence: (view) => (composeUp(view).ofGateway ? undefined : foreignProjectWarning(view)),
  plan: (view) => [
    ...dockerEnvEdits(view.dockerOverrides).map((e) => `$EDITOR ${shellQuote(e.file)}   # line ${e.line}: OPENCLAW_GATEWAY_TOKEN=<config token ${view.referenceToken?.value.fingerprint ?? ''}>`),
    composeUp(view).line,
  ],
  apply: async (ctx) => {
    const edits = dockerEnvEdits(ctx.view.dockerOverrides);
    const token = ctx.view.referenceToken?.value;
    if (!edits.length || !token) return { ok: false, waiting: true, message: `the token is written in the compose file itself: change it there by hand, then run ${composeUp(ctx.view).line}` };
    for (const e of edits) {
      const r = await rewriteEnvLine(ctx, e.file, e.line, token.reveal().trim(), 'set OPENCLAW_GATEWAY_TOKEN to the config token');
      if (!r.ok) return r;
    }
    return recreate(ctx, edits[0]!.file.replace(/\/[^/]*$/, ''));
  },
  proof: ({ after }) =>
    after.dockerOverrides.length
      ? { held: false, observed: `${after.dockerOverrides.map((s) => s.label).join(', ')} still pass another token` }
      : { held: true, observed: 'Docker passes the config token (or none)' },
});

function severityOf(view: DiagnosisView): 'error' | undefined {
  return view.dockerOverrides.some((s) => view.facts.accepted.get(s.id) === true) ? 'error' : undefined;
}

export const dockerEnvOverride = defineCheck({
  id: 'docker-env-override',
  severity: 'warning',
  title: 'Docker sets a different OPENCLAW_GATEWAY_TOKEN than the config',
  fixes: [alignDockerEnv],
  detect(view) {
    const differ = view.dockerOverrides;
    const ref = view.referenceToken;
    if (!differ.length || !ref) return [];
    const winning = severityOf(view) === 'error';
    return [
      {
        detail: `${differ.map((s) => s.label).join(' and ')} pass${agree(differ.length, 'es', '')} a different OPENCLAW_GATEWAY_TOKEN to the gateway container than ${ref.label}.${winning ? ' The live gateway accepts the Docker value: on this version the environment wins.' : ' Current OpenClaw prefers the config, older images the environment: keep one value in both places.'} \`${composeRestartWords(view)}\` does not apply .env changes; \`${composeUp(view).line}\` does.`,
        evidence: [sourceLine(ref), ...differ.map((s) => sourceLine(s) + (s.notes?.length ? ` (${s.notes.join('; ')})` : ''))],
        ...(winning ? { severity: 'error' as const } : {}),
        step: alignDockerEnv,
      },
    ];
  },
});
