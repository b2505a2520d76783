import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sanitizeForTerminal } from '../../src/text/sanitize.js';

const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/;

describe('D14 escape stripping', () => {
  it('D14: OSC 52 clipboard writes, screen clears and titles do not reach the terminal', () => {
    const osc52 = '\u001b]52;c;ZWNobyBwd25lZA==\u0007';
    const title = '\u001b]0;owned\u001b\\';
    const clear = '\u001b[2J\u001b[H';
    const c1 = '\u009b31m';
    expect(sanitizeForTerminal(`origin ${osc52}http://a${title}${clear}${c1} ok\r\n\tnext`)).toBe('origin http://a ok\n\tnext');
    expect(sanitizeForTerminal('bell\u0007 del\u007f nul\u0000 esc\u001b')).toBe('bell del nul esc');
  });

  it('D14 property: no control character survives except newline and tab', () => {
    const withEscapes = fc.string({
      unit: fc.oneof(fc.constantFrom('\u001b', '\u009b', '\u009d', '\u0007', '[', ']', ';', '\\', '\n', '\t', '\r'), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })),
      maxLength: 80,
    });
    fc.assert(
      fc.property(withEscapes, (s) => {
        const out = sanitizeForTerminal(s);
        expect(out).not.toMatch(CONTROL);
        expect(sanitizeForTerminal(out)).toBe(out);
      }),
      { numRuns: 500 },
    );
  });

  it('D14 property: text without controls is unchanged', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 60 }).filter((s) => !CONTROL.test(s)),
        (s) => {
          expect(sanitizeForTerminal(s)).toBe(s);
        },
      ),
    );
  });
});
