/**
 * The spinner that owns the keyboard while a wait runs: Ctrl-C interrupts the run (never exits
 * the process by itself), Enter reaches the wait that asked for it, an aborted run stops the frames.
 */
import { PassThrough, Writable } from 'node:stream';
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { elapsedLabel, keySpinner } from '../../src/terminal-spinner.js';

class Out extends Writable {
  chunks: string[] = [];
  override _write(c: Buffer | string, _e: BufferEncoding, done: () => void) {
    this.chunks.push(c.toString());
    done();
  }
  get text() {
    return stripVTControlCharacters(this.chunks.join(''));
  }
}

function make() {
  const input = new PassThrough();
  const output = new Out();
  const controller = new AbortController();
  const interrupts: number[] = [];
  let t = 0;
  const s = keySpinner({ input, output, signal: controller.signal, interrupt: () => interrupts.push(1), now: () => t });
  return { s, input, output, controller, interrupts, tick: (ms: number) => (t += ms) };
}

const key = (input: PassThrough, name: string, ctrl = false) => input.emit('keypress', undefined, { name, ctrl });

describe('keySpinner', () => {
  it('Ctrl-C interrupts the run (a SIGINT by default), and does not end the wait by itself', () => {
    const { s, input, interrupts, output } = make();
    s.start('Waiting for the gateway');
    key(input, 'c', true);
    expect(interrupts).toEqual([1]);
    s.stop('Waiting for the gateway: done');
    expect(output.text).toContain('◇  Waiting for the gateway: done [0s]');
    // Finished: no key is listened to any more.
    key(input, 'c', true);
    expect(interrupts).toEqual([1]);
  });

  it("Enter calls the wait's onEnter; other keys do nothing", () => {
    const { s, input } = make();
    const enters: string[] = [];
    s.start('Waiting for the Control UI', { onEnter: () => enters.push('enter') });
    key(input, 'x');
    key(input, 'return');
    expect(enters).toEqual(['enter']);
    s.error('stopped');
  });

  it('an aborted run ends the frames with a stopped line; later stop/error write nothing', () => {
    const { s, controller, output, tick } = make();
    s.start('Checking again');
    tick(12_000);
    controller.abort();
    const after = output.text;
    expect(after).toContain('■  Checking again: stopped [12s]');
    s.stop('late');
    expect(output.text).toBe(after);
  });

  it('elapsed time like clack: seconds, then minutes and seconds', () => {
    expect(elapsedLabel(59_999)).toBe('[59s]');
    expect(elapsedLabel(61_000)).toBe('[1m 1s]');
  });
});
