/**
 * The bad-input suite's one measurement: every CLI run there must end within LIMITS. Wall time is
 * the runner's own clock (CliRun.ms); peak RSS is the CLI's own: a preload (`node --import`) appends
 * `<pid> <maxRSS kB>` from process.resourceUsage() when the process exits, to a file made for this
 * run, and the highest figure counts (a killed run writes none and fails).
 */
import { mkdtempSync, readFileSync, rmSync, chmodSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { CliRun, RunOptions } from './cli.js';

export const LIMITS = { ms: 2000, rssBytes: 200 * 1024 * 1024 } as const;

export interface Measured {
  /** Peak resident set size of the CLI process, in bytes. */
  peakRssBytes: number;
}

function preload(file: string): string {
  const code = [
    `import { appendFileSync } from 'node:fs';`,
    `process.on('exit', () => { try { appendFileSync(${JSON.stringify(file)}, process.pid + ' ' + process.resourceUsage().maxRSS + '\\n'); } catch {} });`,
  ].join('\n');
  return `data:text/javascript,${encodeURIComponent(code)}`;
}

/** The highest peak RSS (kB) written: the CLI's, or a node child's if one ran and grew larger. */
function peakOf(file: string): number | undefined {
  const lines = readFileSync(file, 'utf8').trim().split('\n').filter(Boolean);
  const kb = lines.map((l) => Number(l.split(' ')[1]));
  return kb.length ? Math.max(...kb) : undefined;
}

/**
 * Run `run` (runCli or diagnoseJson with these RunOptions merged in) measured, and assert it stayed
 * under LIMITS: it exited by itself, in under 2 s of wall time, with a peak RSS under 200 MB.
 */
export async function measured<T extends CliRun>(run: (extra: RunOptions) => Promise<T>): Promise<T & Measured> {
  const dir = mkdtempSync(join(tmpdir(), 'otw-measure-'));
  try {
    const file = join(dir, 'rss');
    writeFileSync(file, '');
    // A run as another uid must be able to write its figure.
    chmodSync(dir, 0o755);
    chmodSync(file, 0o666);
    const r = await run({ nodeArgs: ['--import', preload(file)] });
    const kb = peakOf(file);
    expect(r.exitCode, `the run ended by itself (stderr: ${r.stderr.slice(0, 300)})`).not.toBeUndefined();
    expect(kb, 'the run reported its peak RSS').toBeDefined();
    const peakRssBytes = kb! * 1024;
    expect(r.ms, 'wall time of one CLI run (ms)').toBeLessThan(LIMITS.ms);
    expect(peakRssBytes, 'peak RSS of one CLI run (bytes)').toBeLessThan(LIMITS.rssBytes);
    return { ...r, peakRssBytes };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
