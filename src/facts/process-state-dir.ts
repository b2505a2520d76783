/**
 * Which state dir a running gateway uses, from what it has open rather than from its environment.
 * A gateway started as `openclaw --dev gateway` or `openclaw --profile work gateway` renames itself
 * `openclaw-gateway` and carries neither the flag nor OPENCLAW_STATE_DIR in /proc/<pid>/environ
 * (observed on 2026.9.6: only HOME and PATH). What it does hold open gives it away: its state
 * database `<stateDir>/state/openclaw.sqlite` and its lock files
 * `<stateDir>/tmp/openclaw-<uid>/gateway.*.lock`, whose JSON payload names the state dir, config
 * path and port outright. Read-only: readlink on /proc/<pid>/fd and small bounded file reads.
 */
import { readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { readBoundedSync } from '../fs/read-bounded.js';

export interface OpenFilesAttribution {
  stateDir: string;
  configPath: string | null;
  port: number | null;
  /** `lock`: a held lock file whose payload names this pid; `state-db`: the open state database. */
  via: 'lock' | 'state-db';
  /** The open file that told. */
  file: string;
}

/** A gateway lock payload (src/infra/gateway-lock.ts): `{pid, configPath, stateDir, port, ...}`. */
export interface LockPayload {
  pid: number | null;
  configPath: string | null;
  stateDir: string | null;
  port: number | null;
}

/** Lock files are a few hundred bytes (pretty JSON padded to a fixed size). */
export const LOCK_MAX_BYTES = 64 * 1024;
/** A gateway holds ~100 descriptors; a runaway one is not worth more than this many readlinks. */
const MAX_FDS = 4096;

const LOCK_RE = /^(.+)\/tmp\/openclaw-\d+\/gateway\.[^/]+\.lock$/;
const STATE_DB_RE = /^(.+)\/state\/openclaw\.sqlite(?:-wal|-shm|-journal)?$/;

/**
 * Pure: the state dir the open files point at. A lock whose payload names `pid` wins (it also
 * gives the config path and port); else the state database; null when neither is open.
 */
export function attributeOpenFiles(targets: string[], pid: number, readLock: (file: string) => LockPayload | null): OpenFilesAttribution | null {
  let db: OpenFilesAttribution | null = null;
  for (const t of targets) {
    if (t.endsWith(' (deleted)')) continue;
    const lock = LOCK_RE.exec(t);
    if (lock?.[1]) {
      const payload = readLock(t);
      if (payload?.pid === pid) {
        return { stateDir: payload.stateDir ?? lock[1], configPath: payload.configPath, port: payload.port, via: 'lock', file: t };
      }
      continue;
    }
    const m = STATE_DB_RE.exec(t);
    if (m?.[1] && !db) db = { stateDir: m[1], configPath: null, port: null, via: 'state-db', file: t };
  }
  return db;
}

/** The targets of /proc/<pid>/fd/*, skipping what cannot be read (another user's process, a closed fd). */
export function readFdTargets(procRoot: string, pid: number): string[] {
  const dir = join(procRoot, String(pid), 'fd');
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const n of names.slice(0, MAX_FDS)) {
    try {
      out.push(readlinkSync(join(dir, n)));
    } catch {
      /* closed meanwhile */
    }
  }
  return out;
}

/** parseLockFile's rule, repeated here so this module stands alone. */
export function parseLockPayload(text: string): LockPayload {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { pid: null, configPath: null, stateDir: null, port: null };
  }
  const o = data && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : {};
  const int = (v: unknown): number | null => {
    const n = typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : v;
    return typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : null;
  };
  const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
  return { pid: int(o.pid), configPath: str(o.configPath), stateDir: str(o.stateDir), port: int(o.port) };
}

/** A lock file through the bounded reader (regular files only). */
export function readLockFile(file: string): LockPayload | null {
  const r = readBoundedSync(file, { maxBytes: LOCK_MAX_BYTES });
  return r.ok ? parseLockPayload(r.text) : null;
}

/** The state dir of `pid` from its open files, or null when they cannot be read or say nothing. */
export function stateDirFromOpenFiles(procRoot: string, pid: number): OpenFilesAttribution | null {
  return attributeOpenFiles(readFdTargets(procRoot, pid), pid, readLockFile);
}

/**
 * State dirs that exist under `home` (`.openclaw`, `.openclaw-<profile>`, legacy `.clawdbot`):
 * their lock dirs are where a running gateway of any profile leaves its locks.
 */
export function profileStateDirs(home: string | null): string[] {
  if (!home) return [];
  try {
    return readdirSync(home, { withFileTypes: true })
      .filter((e) => e.isDirectory() && /^\.(openclaw(-[A-Za-z0-9][A-Za-z0-9_-]{0,63})?|clawdbot)$/.test(e.name))
      .map((e) => join(home, e.name))
      .sort();
  } catch {
    return [];
  }
}
