// The modules under mutation testing (npm run test:mutation), each with the unit tests that are
// meant to catch a bug in it: the checks' verdict, probe classification, redaction, token
// hygiene, config and .env edits, shell quoting, the parsers. Each module is run against its own
// tests only: CPU is scarce (a static mutant, a top-level table, otherwise runs every unit test),
// and a test left out can only make the score lower, never higher.
/** @type {Record<string, string[]>} module -> the unit test files run against its mutants */
export const MUTATION_MODULES = {
  'src/secret.ts': [
    'test/unit/secret.test.ts',
    'test/unit/secret-edges.test.ts',
    'test/unit/prompter.test.ts',
    'test/unit/refusal-memory.test.ts',
    'test/unit/config-edit.test.ts',
    'test/unit/checks-registry.test.ts',
  ],
  'src/gateway/classify.ts': ['test/unit/classify.test.ts'],
  'src/hygiene.ts': ['test/unit/hygiene.test.ts', 'test/unit/compose.test.ts', 'test/unit/config.test.ts', 'test/unit/openclaw-rules.test.ts', 'test/unit/dotenv.test.ts'],
  'src/facts/dotenv.ts': ['test/unit/dotenv.test.ts', 'test/unit/facts-bad-input.test.ts'],
  'src/actions/openclaw-cli.ts': ['test/unit/openclaw-command.test.ts', 'test/unit/secret.test.ts', 'test/unit/shell-quote.test.ts', 'test/unit/container-target.test.ts', 'test/unit/listeners.test.ts'],
  'src/diagnosis/report.ts': ['test/unit/verdict-checks.test.ts', 'test/unit/diagnosis-report.test.ts'],
  'src/text/shell-quote.ts': ['test/unit/shell-quote.test.ts', 'test/unit/openclaw-cli.test.ts'],
  'src/text/json5-edit.ts': ['test/unit/json5-edit.test.ts', 'test/unit/json5-edit-layout.test.ts', 'test/unit/json5-edit-verify.test.ts', 'test/unit/config-edit.test.ts'],
  'src/actions/env-line-edit.ts': ['test/unit/env-line-edit.test.ts', 'test/unit/env-line-readback.test.ts', 'test/unit/config-edit.test.ts'],
};
