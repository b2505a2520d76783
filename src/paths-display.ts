import { sep } from 'node:path';

/**
 * `/home/ana/.openclaw/openclaw.json` → `~/.openclaw/openclaw.json`, for labels people read.
 * Only a whole leading home segment is replaced, so `/home/anabel` never becomes `~bel`.
 */
export function tildify(path: string, home: string | null): string {
  if (!home) return path;
  const base = home.length > 1 && home.endsWith(sep) ? home.slice(0, -1) : home;
  if (path === base) return '~';
  if (path.startsWith(base + sep)) return `~${path.slice(base.length)}`;
  return path;
}

/**
 * The home a person means by `~` in a label: HOME, else USERPROFILE. Blank and the literal
 * strings `undefined`/`null` count as unset, as OpenClaw's normalizeHomeDirValue does.
 */
export function displayHome(env: NodeJS.ProcessEnv): string | null {
  for (const v of [env.HOME, env.USERPROFILE]) {
    const t = v?.trim();
    if (t && t !== 'undefined' && t !== 'null') return t;
  }
  return null;
}
