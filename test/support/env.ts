/**
 * The one environment scrubber: what a child process (the wizard, a fake or real openclaw, a
 * helper server) inherits from the test runner. Removed always:
 *   - the real user's OpenClaw settings (OPENCLAW_*, and the older CLAWDBOT_* / MOLTBOT_* names);
 *   - the test runner's markers (VITEST*, TINYPOOL_*, JEST_WORKER_ID, TEST, NODE_ENV=test): a real
 *     openclaw that sees them silences its logger and takes test-only code paths (observed on
 *     2026.9.6, which reads process.env.VITEST in ~200 places).
 * With `asPerson`, also what a person's terminal has none of: CI markers (clack draws spinners
 * differently under CI=true), a desktop session (xdg-open would route around $BROWSER) and TMUX.
 */
const ALWAYS = /^(OPENCLAW_|CLAWDBOT_|MOLTBOT_|VITEST|TINYPOOL_|JEST_WORKER_ID$|TEST$)/;
const NOT_A_PERSON =
  /^(CI$|CONTINUOUS_INTEGRATION$|GITHUB_ACTIONS$|DISPLAY$|WAYLAND_DISPLAY$|XDG_CURRENT_DESKTOP$|XDG_SESSION_DESKTOP$|DESKTOP_SESSION$|KDE_FULL_SESSION$|GNOME_DESKTOP_SESSION_ID$|MATE_DESKTOP_SESSION_ID$|DBUS_SESSION_BUS_ADDRESS$|TMUX)/;

export function scrubbedEnv(env: NodeJS.ProcessEnv = process.env, opts: { asPerson?: boolean } = {}): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(env)) {
    if (ALWAYS.test(k) || (opts.asPerson && NOT_A_PERSON.test(k))) continue;
    if (k === 'NODE_ENV' && v === 'test') continue;
    out[k] = v;
  }
  return out;
}
