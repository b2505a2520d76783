/** Docker Compose facts: see compose/index.ts. This path stays for the modules that import it. */
export * from './compose/index.js';
