/**
 * A saved diagnosis (`diagnose --json`, or the `.diagnosis.json` beside a support report), read
 * back so a supporter sees what the user's wizard saw without touching this machine. The file
 * came from someone else: it is read bounded, its shape is checked, and every string in it is
 * cleaned of escape sequences before anything prints it.
 */
import { readBounded, SMALL_FILE_BYTES } from '../fs/read-bounded.js';
import { sanitizeForTerminal } from '../text/sanitize.js';
import { DIAGNOSIS_SCHEMA, type DiagnosisReport } from './types.js';

export type SavedDiagnosis = { ok: true; report: DiagnosisReport } | { ok: false; message: string };

/** Every string in a JSON value, cleaned for a terminal. */
function cleanStrings(v: unknown): unknown {
  if (typeof v === 'string') return sanitizeForTerminal(v);
  if (Array.isArray(v)) return v.map(cleanStrings);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, cleanStrings(x)]));
  return v;
}

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** The fields the renderers read; a document without them is refused instead of printed half. */
function shapeProblem(d: Record<string, unknown>): string | null {
  if (d.schema !== DIAGNOSIS_SCHEMA) return `it is not a ${DIAGNOSIS_SCHEMA} document (schema: ${JSON.stringify(d.schema ?? null)})`;
  if (typeof d.healthy !== 'boolean') return 'it has no "healthy" verdict';
  if (!isObject(d.gateway) || typeof d.gateway.url !== 'string') return 'it has no "gateway" with a "url"';
  for (const key of ['sources', 'findings', 'checks'] as const) if (!Array.isArray(d[key]) || !(d[key] as unknown[]).every(isObject)) return `its "${key}" is not a list of objects`;
  if (!(d.checks as Array<Record<string, unknown>>).every((c) => typeof c.id === 'string' && typeof c.status === 'string')) return 'a check lacks its id or status';
  const findings = d.findings as Array<Record<string, unknown>>;
  if (!findings.every((f) => typeof f.id === 'string' && typeof f.title === 'string' && Array.isArray(f.fix) && Array.isArray(f.evidence))) return 'a finding lacks its id, title, fix or evidence';
  return null;
}

export function parseSavedDiagnosis(text: string): SavedDiagnosis {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    return { ok: false, message: `it is not JSON (${sanitizeForTerminal((err as Error).message)})` };
  }
  if (!isObject(doc)) return { ok: false, message: 'it is not a JSON object' };
  const problem = shapeProblem(doc);
  if (problem) return { ok: false, message: problem };
  return { ok: true, report: cleanStrings(doc) as DiagnosisReport };
}

export async function readSavedDiagnosis(path: string): Promise<SavedDiagnosis> {
  const r = await readBounded(path, { maxBytes: SMALL_FILE_BYTES });
  if (!r.ok) return { ok: false, message: r.message };
  const parsed = parseSavedDiagnosis(r.text);
  return parsed.ok ? parsed : { ok: false, message: `${path}: ${parsed.message}` };
}
