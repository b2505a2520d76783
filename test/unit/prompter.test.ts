/**
 * The prompter against clack's real rendering: key presses go into `input` (clack reads
 * 'keypress' events), frames come out of a non-TTY `output`. Checks the answers, the --yes and
 * no-terminal policy (nothing is asked, and no prompt frame is drawn), and that every line is
 * redacted before it is shown or recorded.
 */
import { PassThrough, Writable } from 'node:stream';
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { CANCELLED, createPrompter, type PrompterOptions } from '../../src/prompter.js';
import { fingerprintOf, redactText } from '../../src/secret.js';
import { fakeToken } from '../support/sandbox.js';

class MockWritable extends Writable {
  buffer: string[] = [];
  isTTY = false;
  columns = 80;
  rows = 20;
  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: () => void) {
    this.buffer.push(chunk.toString());
    done();
  }
  get text() {
    return stripVTControlCharacters(this.buffer.join(''));
  }
}

function make(opts: Partial<PrompterOptions> = {}) {
  const input = new PassThrough();
  const output = new MockWritable();
  const p = createPrompter({ yes: false, tty: true, input, output, now: () => new Date('2026-01-02T03:04:05Z'), ...opts });
  const press = async (...keys: string[]) => {
    for (const name of keys) {
      // Let clack finish drawing (and attach its listener) before each key.
      await new Promise((r) => setImmediate(r));
      input.emit('keypress', name === 'escape' ? 'escape' : '', { name });
    }
  };
  return { p, input, output, press };
}

/** Frames clack draws only while a question is open: the active symbol plus the Yes/No toggle or option bullets. */
const PROMPT_FRAME = /◆|● Yes|○ No|○ Yes|● No/;

describe('confirm in a terminal', () => {
  it('Enter takes the default (yes); the question and answer are in the transcript', async () => {
    const { p, output, press } = make();
    const r = p.confirm('Restart the gateway?');
    await press('return');
    expect(await r).toBe(true);
    expect(output.text).toMatch(/◆ {2}Restart the gateway\?/);
    expect(output.text).toMatch(/◇ {2}Restart the gateway\?\n│ {2}Yes/);
    expect(p.transcript.map((t) => [t.kind, t.text, t.at])).toEqual([
      ['ask', 'Restart the gateway?', '2026-01-02T03:04:05.000Z'],
      ['answer', 'yes', '2026-01-02T03:04:05.000Z'],
    ]);
  });

  it('right arrow then Enter answers no; initial:false defaults to no', async () => {
    const a = make();
    const r1 = a.p.confirm('Restart the gateway?');
    await a.press('right', 'return');
    expect(await r1).toBe(false);
    expect(a.p.transcript.at(-1)).toMatchObject({ kind: 'answer', text: 'no' });

    const b = make();
    const r2 = b.p.confirm('Show it on screen?', { initial: false });
    await b.press('return');
    expect(await r2).toBe(false);
  });

  it('Ctrl-D (end of input) cancels like Ctrl-C: CANCELLED, not a prompt left unanswered', async () => {
    const { p, input } = make();
    const r = p.confirm('Restart the gateway?');
    await new Promise((res) => setImmediate(res));
    input.emit('keypress', '\x04', { name: 'd', ctrl: true, sequence: '\x04' });
    expect(await r).toBe(CANCELLED);
    expect(p.transcript.at(-1)).toMatchObject({ kind: 'answer', text: 'cancelled' });
    const s = p.select('Pick one', [{ value: 'a', label: 'A' }], 'a');
    await new Promise((res) => setImmediate(res));
    input.emit('keypress', '\x04', { name: 'd', ctrl: true, sequence: '\x04' });
    expect(await s).toBe(CANCELLED);
  });

  it('Esc cancels: CANCELLED, recorded as cancelled', async () => {
    const { p, output, press } = make();
    const r = p.confirm('Restart the gateway?');
    await press('escape');
    expect(await r).toBe(CANCELLED);
    expect(p.transcript.at(-1)).toMatchObject({ kind: 'answer', text: 'cancelled' });
    expect(output.text).toMatch(/■ {2}Restart the gateway\?/);
  });

  it('an aborted signal (Ctrl-C handled outside clack) cancels the open question', async () => {
    const controller = new AbortController();
    const { p } = make({ signal: controller.signal });
    const r = p.confirm('Restart the gateway?');
    await new Promise((res) => setImmediate(res));
    controller.abort();
    expect(await r).toBe(CANCELLED);
  });
});

describe('select in a terminal', () => {
  const options = [
    { value: 'open', label: 'Open the Control UI' },
    { value: 'copy', label: 'Copy the link' },
    { value: 'show', label: 'Show the link' },
  ] as const;

  it('arrow keys move from the initial option; Enter picks; the label is recorded', async () => {
    const { p, output, press } = make();
    const r = p.select('How?', [...options], 'open');
    await press('down', 'down', 'return');
    expect(await r).toBe('show');
    expect(p.transcript.at(-1)).toMatchObject({ kind: 'answer', text: 'Show the link' });
    expect(output.text).toContain('● Open the Control UI');
  });

  it('up from the first option wraps to the last; Esc cancels', async () => {
    const a = make();
    const r1 = a.p.select('How?', [...options], 'open');
    await a.press('up', 'return');
    expect(await r1).toBe('show');

    const b = make();
    const r2 = b.p.select('How?', [...options], 'copy');
    await b.press('escape');
    expect(await r2).toBe(CANCELLED);
  });
});

describe('--yes and no-terminal policy', () => {
  it('yes:true answers a confirmation without asking and says "yes (--yes)"', async () => {
    const { p, output } = make({ yes: true });
    expect(p.interactive).toBe(false);
    expect(await p.confirm('Set gateway.mode to local?')).toBe(true);
    expect(output.text).toContain('Set gateway.mode to local? yes (--yes)');
    expect(output.text).not.toMatch(PROMPT_FRAME);
    expect(p.transcript.map((t) => t.text)).toEqual(['Set gateway.mode to local?', 'yes (--yes)']);
  });

  it('yes:true does NOT answer an explicit confirmation: in a terminal it asks', async () => {
    const { p, output, press } = make({ yes: true });
    const r = p.confirm('Stop pid 4242?', { explicit: true });
    // The person moves to Yes on purpose (the default is No).
    await press('left', 'return');
    expect(await r).toBe(true);
    expect(output.text).toMatch(/◆ {2}Stop pid 4242\?/);
    expect(output.text).not.toContain('--yes');
    expect(p.transcript.at(-1)).toMatchObject({ kind: 'answer', text: 'yes' });
  });

  it('an explicit confirmation defaults to No: one Enter never stops a process or rotates the token', async () => {
    for (const yes of [false, true]) {
      const { p, press } = make({ yes });
      const r = p.confirm('Rotate the gateway token?', { explicit: true });
      await press('return');
      expect(await r).toBe(false);
      expect(p.transcript.at(-1)).toMatchObject({ kind: 'answer', text: 'no' });
    }
  });

  it('yes:true without a terminal: an explicit confirmation is "no", never asked', async () => {
    const { p, output } = make({ yes: true, tty: false });
    expect(await p.confirm('Stop pid 4242?', { explicit: true })).toBe(false);
    expect(output.text).toContain('Stop pid 4242? no (needs an explicit answer in a terminal)');
    expect(output.text).not.toMatch(PROMPT_FRAME);
  });

  it('tty:false never asks: confirm is false, select is the default; no prompt frame is drawn', async () => {
    const { p, output, input } = make({ tty: false });
    let read = false;
    input.on('keypress', () => (read = true));
    expect(p.interactive).toBe(false);
    expect(await p.confirm('Restart the gateway?')).toBe(false);
    expect(
      await p.select(
        'When you have done it:',
        [
          { value: 'done', label: 'Done' },
          { value: 'later', label: 'Later' },
        ],
        'later',
      ),
    ).toBe('later');
    expect(output.text).toContain('Restart the gateway? no (not a terminal: nothing changed)');
    expect(output.text).toContain('When you have done it: Later (default)');
    expect(output.text).not.toMatch(PROMPT_FRAME);
    expect(read).toBe(false);
    expect(p.transcript.map((t) => `${t.kind}:${t.text}`)).toEqual(['ask:Restart the gateway?', 'answer:no (not a terminal: nothing changed)', 'ask:When you have done it:', 'answer:Later']);
  });

  it('yes:true select takes the given default and says --yes', async () => {
    const { p, output } = make({ yes: true });
    expect(
      await p.select(
        'How?',
        [
          { value: 'open', label: 'Open' },
          { value: 'show', label: 'Show' },
        ],
        'show',
      ),
    ).toBe('show');
    expect(output.text).toContain('How? Show (--yes)');
  });
});

describe('redaction', () => {
  const TOKEN = fakeToken('prompter');
  const FP = fingerprintOf(TOKEN);

  it('a token in any message reaches neither the output nor the transcript', async () => {
    const { p, output, press } = make({ redact: (t) => redactText(t, [TOKEN]) });
    p.intro(`wizard ${TOKEN}`);
    p.step(`step ${TOKEN}`);
    p.say(`say ${TOKEN}`);
    p.info(`info ${TOKEN}`);
    p.warn(`warn ${TOKEN}`);
    p.error(`error ${TOKEN}`);
    p.success(`success ${TOKEN}`);
    p.note(`body ${TOKEN}`, `title ${TOKEN}`);
    p.commands([`openclaw config set gateway.auth.token ${TOKEN}`, `open http://127.0.0.1:1/#token=${encodeURIComponent(TOKEN)}`], `title ${TOKEN}`);
    const s = p.spinner();
    s.start(`spin ${TOKEN}`);
    s.message(`spin2 ${TOKEN}`);
    s.stop(`spun ${TOKEN}`);
    const c = p.confirm(`Use ${TOKEN}?`);
    await press('return');
    expect(await c).toBe(true);
    const sel = p.select(`Pick ${TOKEN}`, [{ value: 'a', label: `label ${TOKEN}`, hint: `hint ${TOKEN}` }], 'a');
    await press('return');
    expect(await sel).toBe('a');
    p.outro(`bye ${TOKEN}`);

    const all = output.buffer.join('') + JSON.stringify(p.transcript);
    expect(all).not.toContain(TOKEN);
    expect(all).not.toContain(encodeURIComponent(TOKEN));
    expect(output.text).toContain(`wizard ${FP}`);
    expect(output.text).toContain(`$ openclaw config set gateway.auth.token ${FP}`);
    expect(output.text).toContain(`#token=${FP}`);
    expect(output.text).toContain(`Use ${FP}?`);
    expect(p.transcript.filter((t) => t.text.includes(FP)).map((t) => t.kind)).toEqual([
      'intro',
      'step',
      'say',
      'info',
      'warn',
      'error',
      'success',
      'note',
      'command',
      'command',
      'step',
      'success',
      'ask',
      'ask',
      'answer',
      'outro',
    ]);
  });

  it('the non-interactive answers are redacted too', async () => {
    const { p, output } = make({ tty: false, redact: (t) => redactText(t, [TOKEN]) });
    await p.confirm(`Use ${TOKEN}?`);
    await p.select('Which?', [{ value: 'x', label: `token ${TOKEN}` }], 'x');
    const all = output.buffer.join('') + JSON.stringify(p.transcript);
    expect(all).not.toContain(TOKEN);
    expect(output.text).toContain(`Which? token ${FP} (default)`);
  });
});
