#!/usr/bin/env node
// Rewrites the README's flow diagrams from `openclaw-token-wizard graph` (the machines themselves),
// between the <!-- flows:start --> and <!-- flows:end --> markers. The graph test checks they match.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const out = execFileSync(process.execPath, ['bin/openclaw-token-wizard.js', 'graph'], { encoding: 'utf8' });
// `graph` prints one fenced mermaid block per flow, each starting with its `%% flow: NAME` line.
const flows = [...out.matchAll(/```mermaid\n([\s\S]*?)```/g)].map((m) => m[1]);
const blurb = {
  recovery: 'Self-serve recovery (the default command): diagnose, route to the first step of the fix sequence that applies, confirm, apply, diagnose again.',
  setup: 'First-time walkthrough.',
  rotate: 'Token rotation: rotate, make the gateway enforce it, propagate, hand it to the Control UI.',
  support: 'Support session script: ask what the user sees, walk the recovery flow with narration, write the report.',
};
const section = flows
  .map((b) => {
    const name = /^%% flow: (\w+)/.exec(b)[1];
    const block = '```mermaid\n' + b.replace(/\n+$/, '\n') + '```';
    return name === 'recovery' ? `### ${name}\n\n${blurb[name]}\n\n${block}\n` : `<details><summary><b>${name}</b>: ${blurb[name]}</summary>\n\n${block}\n\n</details>\n`;
  })
  .join('\n');
const readme = readFileSync('README.md', 'utf8');
const start = '<!-- flows:start -->';
const end = '<!-- flows:end -->';
const a = readme.indexOf(start);
const z = readme.indexOf(end);
if (a < 0 || z < a) throw new Error('README.md has no flows markers');
writeFileSync('README.md', readme.slice(0, a + start.length) + '\n\n' + section + '\n' + readme.slice(z));
console.log(`README.md: ${flows.length} flow diagram(s) updated`);
