/**
 * OpenClaw restored its last good config over an edit it judged clobbered (no `meta` block, lost
 * gateway.mode, or the file shrank sharply) and kept the edit as `<config>.clobbered.<time>`: a
 * token written by hand "does not apply" because it is no longer there.
 */
import { shellCommand } from '../text/shell-quote.js';
import { defineCheck } from './check.js';

const REASON_WORDS: Record<string, string> = {
  'missing-meta-vs-last-good': 'the edited file had no "meta" block (OpenClaw stamps one on every write)',
  'gateway-mode-missing-vs-last-good': 'the edited file lost gateway.mode',
  'size-drop-vs-last-good': 'the edited file was less than half the size of the last good one',
  'update-channel-only-root': 'the edited file held nothing but an update channel',
};

export const configAutoRestored = defineCheck({
  id: 'config-auto-restored',
  severity: 'warning',
  title: 'OpenClaw undid a hand edit of the config (auto-restored from backup)',
  fixes: [],
  detect(view) {
    const restored = view.facts.log?.configRestored ?? null;
    const copies = view.facts.config?.clobberedCopies ?? [];
    if (!restored && !copies.length) return [];
    const newest = copies.at(-1);
    const why = restored ? (REASON_WORDS[restored.reason] ?? restored.reason) : null;
    return [
      {
        detail: `${restored ? `OpenClaw restored ${restored.path} from its last good copy at ${restored.time} because ${why}.` : `A copy OpenClaw set aside when it restored the config is beside it.`}${newest ? ` Your edit is kept in ${newest}.` : ''} Reapply the change with \`openclaw config set\` (or keep the "meta" block when editing by hand).`,
        evidence: [
          ...(restored ? [`log ${view.facts.log?.file ?? ''}: ${restored.time} Config auto-restored from backup: ${restored.path} (${restored.reason})`] : []),
          ...copies.map((c) => `clobbered copy: ${c}`),
        ],
        advice: [...(newest ? [shellCommand(['diff', newest, view.configPath])] : []), `openclaw config set gateway.auth.token '"<the value you meant to set>"'   # one key at a time; keeps meta`],
        ...(restored ? {} : { severity: 'info' as const }),
      },
    ];
  },
});
