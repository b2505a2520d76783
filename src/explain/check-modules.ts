/**
 * One loader per finding: its check module alone (`src/checks/<id>.ts`, ARCHITECTURE.md), so
 * `explain` reads a title without loading the whole registry. Typed by FindingId: a new check
 * without a line here does not compile.
 */
import type { FindingId } from '../checks/index.js';

export const CHECK_MODULES: Record<FindingId, () => Promise<Record<string, unknown>>> = {
  'ambiguous-auth-mode': () => import('../checks/ambiguous-auth-mode.js'),
  'auth-mode-not-token': () => import('../checks/auth-mode-not-token.js'),
  'cli-not-found': () => import('../checks/cli-not-found.js'),
  'client-password-rejected': () => import('../checks/client-password-rejected.js'),
  'client-token-mismatch': () => import('../checks/client-token-mismatch.js'),
  'client-token-missing': () => import('../checks/client-token-missing.js'),
  'config-auto-restored': () => import('../checks/config-auto-restored.js'),
  'config-unreadable': () => import('../checks/config-unreadable.js'),
  'control-ui-insecure-context': () => import('../checks/control-ui-insecure-context.js'),
  'control-ui-stale-build': () => import('../checks/control-ui-stale-build.js'),
  'device-token-mismatch': () => import('../checks/device-token-mismatch.js'),
  'docker-env-override': () => import('../checks/docker-env-override.js'),
  'env-token-differs': () => import('../checks/env-token-differs.js'),
  'gateway-mode-not-local': () => import('../checks/gateway-mode-not-local.js'),
  'gateway-not-running': () => import('../checks/gateway-not-running.js'),
  'gateway-rejects-config-token': () => import('../checks/gateway-rejects-config-token.js'),
  'gateway-starting': () => import('../checks/gateway-starting.js'),
  'gateway-unreachable-remote': () => import('../checks/gateway-unreachable-remote.js'),
  'legacy-env-ignored': () => import('../checks/legacy-env-ignored.js'),
  'multiple-gateways': () => import('../checks/multiple-gateways.js'),
  'no-token-configured': () => import('../checks/no-token-configured.js'),
  'origin-not-allowed': () => import('../checks/origin-not-allowed.js'),
  'pairing-required': () => import('../checks/pairing-required.js'),
  'port-occupied-by-other': () => import('../checks/port-occupied-by-other.js'),
  'protocol-mismatch': () => import('../checks/protocol-mismatch.js'),
  'proxy-untrusted': () => import('../checks/proxy-untrusted.js'),
  'rate-limited': () => import('../checks/rate-limited.js'),
  'remote-token-mismatch': () => import('../checks/remote-token-mismatch.js'),
  'scope-upgrade-pending': () => import('../checks/scope-upgrade-pending.js'),
  'secretref-unresolved': () => import('../checks/secretref-unresolved.js'),
  'service-token-stale': () => import('../checks/service-token-stale.js'),
  'token-invalid-value': () => import('../checks/token-invalid-value.js'),
  'token-misplaced': () => import('../checks/token-misplaced.js'),
  'token-whitespace': () => import('../checks/token-whitespace.js'),
  'url-override-needs-credentials': () => import('../checks/url-override-needs-credentials.js'),
};
