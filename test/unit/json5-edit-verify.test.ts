/**
 * The last check of a JSON5 edit: the new text is parsed again and must hold exactly the value at
 * the path, or nothing is written. A faulty parse of the result is simulated here (the real edit
 * is always right, so only a broken reader or serializer could get past it).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { editJson5Value } from '../../src/text/json5-edit.js';

/** How the re-read of the edited text goes wrong, per test (null: it does not). */
const fault = vi.hoisted(() => ({ reread: null as null | 'throws' | 'other-document' | 'other-value', parses: 0 }));
vi.mock('@humanwhocodes/momoa', async (importOriginal) => {
  const real = await importOriginal<typeof import('@humanwhocodes/momoa')>();
  return {
    ...real,
    parse: (text: string, opts: Parameters<typeof real.parse>[1]) => {
      fault.parses++;
      if (fault.parses === 2 && fault.reread === 'throws') throw new SyntaxError('simulated');
      if (fault.parses === 2 && fault.reread === 'other-document') return real.parse('{"gateway": "elsewhere"}', opts);
      return real.parse(text, opts);
    },
    evaluate: (node: Parameters<typeof real.evaluate>[0]) => (fault.reread === 'other-value' ? 'garbled' : real.evaluate(node)),
  };
});

afterEach(() => {
  fault.reread = null;
  fault.parses = 0;
});

const TEXT = '{ "gateway": { "mode": "remote" } }';

describe('an edit that does not read back is refused', () => {
  it('the result would not parse', () => {
    fault.reread = 'throws';
    expect(editJson5Value(TEXT, ['gateway', 'mode'], 'local')).toEqual({ ok: false, reason: 'unparseable', message: 'the edit would not parse (not valid JSON5: simulated): not written' });
  });

  it('the value is not found at the path', () => {
    fault.reread = 'other-document';
    expect(editJson5Value(TEXT, ['gateway', 'mode'], 'local')).toEqual({ ok: false, reason: 'not-an-object', message: 'the edit did not land at gateway.mode: not written' });
  });

  it('the value at the path reads back differently', () => {
    fault.reread = 'other-value';
    expect(editJson5Value(TEXT, ['gateway', 'mode'], 'local')).toEqual({ ok: false, reason: 'bad-value', message: 'the edit read back differently at gateway.mode: not written' });
  });

  it('without a fault the same edit lands', () => {
    expect(editJson5Value(TEXT, ['gateway', 'mode'], 'local')).toEqual({ ok: true, text: '{ "gateway": { "mode": "local" } }' });
  });
});
