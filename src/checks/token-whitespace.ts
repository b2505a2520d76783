/** Whitespace or quotes around a token: the gateway trims them, a pasted copy does not. */
import { shellQuote } from '../actions/openclaw-cli.js';
import { defineCheck } from './check.js';
import { sourceLine } from './words.js';

export const tokenWhitespace = defineCheck({
  id: 'token-whitespace',
  severity: 'warning',
  title: 'A gateway token carries whitespace or quotes',
  fixes: [],
  detect(view) {
    return view.facts.sources.flatMap((s) => {
      const cosmetic = s.problems.filter((p) => p === 'whitespace' || p === 'quoted');
      if (!cosmetic.length) return [];
      return [
        {
          detail: `${s.label} has ${cosmetic.includes('quoted') ? 'quotes around the value' : 'leading or trailing whitespace'}. The gateway trims values, but a copy of it pasted into a client keeps the extra characters.`,
          evidence: [sourceLine(s) + ` [${cosmetic.join(', ')}]`],
          advice: [`$EDITOR ${shellQuote(s.file ?? s.label)}${s.line ? `   # line ${s.line}` : ''}`],
        },
      ];
    });
  },
});
