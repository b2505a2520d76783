/**
 * The demo's browser: a simulated Control UI in the sandbox. It takes the link the wizard hands
 * over, reads the token from its #token= fragment as the Control UI does, and connects to the
 * fake gateway as the Control UI (client openclaw-control-ui, mode webchat, the page's origin),
 * so the gateway logs the connect like a real tab and the demo reaches a true "Connected".
 */
import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { probeGateway } from '../gateway/probe.js';

/** The variable that names the demo's browser; the wizard hands the link to it instead of a real browser. */
export const DEMO_BROWSER_VAR = 'OTW_DEMO_BROWSER';

/** Writes `bin/demo-browser` (runs this module with node) and returns its path. */
export async function installDemoBrowser(bin: string, nodePath: string, shQuote: (s: string) => string): Promise<string> {
  const here = fileURLToPath(import.meta.url);
  // Under the test runner this module is the TypeScript source: its built copy is what node runs.
  const script = here.endsWith('.ts') ? fileURLToPath(new URL('../../dist/src/demo/control-ui-client.js', import.meta.url)) : here;
  const file = join(bin, 'demo-browser');
  await writeFile(file, `#!/bin/sh\nexec ${shQuote(nodePath)} ${shQuote(script)} "$1"\n`);
  await chmod(file, 0o755);
  return file;
}

async function main(link: string): Promise<number> {
  const url = new URL(link);
  const token = new URLSearchParams(url.hash.slice(1)).get('token') ?? undefined;
  const ws = `${url.protocol === 'https:' ? 'wss' : 'ws'}://${url.host}`;
  const r = await probeGateway({ url: ws, token, timeoutMs: 5000, clientId: 'openclaw-control-ui', clientMode: 'webchat', origin: url.origin });
  process.stdout.write(`demo Control UI: ${r.kind === 'hello-ok' ? 'connected' : `not connected (${r.kind})`}\n`);
  return r.kind === 'hello-ok' ? 0 : 1;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main(process.argv[2] ?? '').then(
    (code) => process.exit(code),
    () => process.exit(2),
  );
}
