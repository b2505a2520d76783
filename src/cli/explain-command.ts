/** `explain "<message>"`: the meaning of a pasted OpenClaw auth message, offline. */
import { EXIT, UsageError, type CommandRunner } from './core.js';
import { explainMessage, formatExplanation } from '../explain/explain.js';

/** A paste is a few lines; a larger stdin is cut (only the start is needed to recognise it). */
const MAX_MESSAGE_CHARS = 64 * 1024;

export const runExplain: CommandRunner = async (values, positionals, io) => {
  let message = positionals.join(' ');
  if (!message.trim() && !io.stdin.isTTY) message = await readStart(io.stdin, MAX_MESSAGE_CHARS);
  if (!message.trim()) throw new UsageError('explain needs the message: paste it in quotes, or pipe it on stdin');
  const answer = await explainMessage(message.slice(0, MAX_MESSAGE_CHARS));
  io.stdout.write(values.json ? `${JSON.stringify(answer)}\n` : formatExplanation(answer));
  return answer.recognised ? EXIT.ok : EXIT.problems;
};

/** The first `max` characters of a stream; stops reading there (a paste never needs more). */
async function readStart(stream: NodeJS.ReadableStream, max: number): Promise<string> {
  let out = '';
  for await (const chunk of stream) {
    out += typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
    if (out.length >= max) break;
  }
  return out.slice(0, max);
}
