/**
 * OpenClaw's config-read recovery keeps an edit it rejected as `<config>.clobbered.<time>` beside
 * the config. Only names are read (the directory listing), never the copies' contents: they may
 * hold a token.
 */
import { readdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** The `.clobbered.*` copies beside `configPath`, oldest name first; [] when none or unreadable. */
export async function listClobberedCopies(configPath: string, max = 20): Promise<string[]> {
  const prefix = `${basename(configPath)}.clobbered.`;
  let names: string[];
  try {
    names = await readdir(dirname(configPath));
  } catch {
    return [];
  }
  return names
    .filter((n) => n.startsWith(prefix))
    .sort()
    .slice(-max)
    .map((n) => join(dirname(configPath), n));
}
