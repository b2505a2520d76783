/**
 * The registry: every check, in the order the article works through them (its fix sequence,
 * then its "still failing?" checklist, then handing the token to the clients). The finding ids,
 * the fix steps and the order the flow machines offer them in all come from this one list.
 * Adding a check: one file beside this one, one line here, one test (see ARCHITECTURE.md).
 */
import type { FixStep } from './check.js';
import { urlOverrideNeedsCredentials } from './url-override-needs-credentials.js';
import { secretrefUnresolved } from './secretref-unresolved.js';
import { scopeUpgradePending } from './scope-upgrade-pending.js';
import { proxyUntrusted } from './proxy-untrusted.js';
import { controlUiStaleBuild } from './control-ui-stale-build.js';
import { configAutoRestored } from './config-auto-restored.js';
import { clientPasswordRejected } from './client-password-rejected.js';
import { ambiguousAuthMode } from './ambiguous-auth-mode.js';
import { authModeNotToken } from './auth-mode-not-token.js';
import { cliNotFound } from './cli-not-found.js';
import { clientTokenMismatch } from './client-token-mismatch.js';
import { clientTokenMissing } from './client-token-missing.js';
import { configUnreadable } from './config-unreadable.js';
import { controlUiInsecureContext } from './control-ui-insecure-context.js';
import { deviceTokenMismatch } from './device-token-mismatch.js';
import { dockerEnvOverride } from './docker-env-override.js';
import { envTokenDiffers } from './env-token-differs.js';
import { gatewayModeNotLocal } from './gateway-mode-not-local.js';
import { gatewayNotRunning } from './gateway-not-running.js';
import { gatewayRejectsConfigToken } from './gateway-rejects-config-token.js';
import { gatewayStarting } from './gateway-starting.js';
import { gatewayUnreachableRemote } from './gateway-unreachable-remote.js';
import { legacyEnvIgnored } from './legacy-env-ignored.js';
import { multipleGateways } from './multiple-gateways.js';
import { noTokenConfigured } from './no-token-configured.js';
import { originNotAllowed } from './origin-not-allowed.js';
import { pairingRequired } from './pairing-required.js';
import { portOccupiedByOther } from './port-occupied-by-other.js';
import { protocolMismatch } from './protocol-mismatch.js';
import { rateLimited } from './rate-limited.js';
import { remoteTokenMismatch } from './remote-token-mismatch.js';
import { propagateToken, rotateToken } from './rotate-token.js';
import { serviceTokenStale } from './service-token-stale.js';
import { tokenInvalidValue } from './token-invalid-value.js';
import { tokenMisplaced } from './token-misplaced.js';
import { tokenWhitespace } from './token-whitespace.js';

export const CHECKS = [
  // Before step 1: the config must be readable, in the right place, in local token mode.
  configUnreadable,
  configAutoRestored,
  tokenMisplaced,
  gatewayModeNotLocal,
  ambiguousAuthMode,
  authModeNotToken,
  // Step 2: a token must exist, and be a usable value.
  noTokenConfigured,
  tokenInvalidValue,
  tokenWhitespace,
  secretrefUnresolved,
  // Still failing? Is the gateway even running, and is it ours?
  gatewayNotRunning,
  gatewayStarting,
  gatewayUnreachableRemote,
  portOccupiedByOther,
  protocolMismatch,
  controlUiStaleBuild,
  rateLimited,
  multipleGateways,
  // Did you restart it after changing the token? Does anything override it?
  gatewayRejectsConfigToken,
  serviceTokenStale,
  dockerEnvOverride,
  envTokenDiffers,
  remoteTokenMismatch,
  urlOverrideNeedsCredentials,
  // Step 3: the clients, as the gateway's log saw them.
  proxyUntrusted,
  originNotAllowed,
  pairingRequired,
  scopeUpgradePending,
  clientTokenMissing,
  clientTokenMismatch,
  clientPasswordRejected,
  controlUiInsecureContext,
  deviceTokenMismatch,
  // Hygiene.
  legacyEnvIgnored,
  cliNotFound,
] as const;

type AnyCheck = (typeof CHECKS)[number];
export type FindingId = AnyCheck['id'];
export const FINDING_IDS: readonly FindingId[] = CHECKS.map((c) => c.id);

/** The rotate flow's own steps: no finding asks for them. */
export const ROTATION_STEPS = [rotateToken, propagateToken] as const;

type StepsOf<C> = C extends { fixes: readonly (infer S)[] } ? S : never;
type AnyStep = StepsOf<AnyCheck> | (typeof ROTATION_STEPS)[number];
export type StepId = AnyStep['id'];

/** Every fix step once, in the order its first check appears above, then the rotation steps. */
export const STEPS: readonly FixStep<StepId>[] = [...new Set<FixStep<StepId>>([...CHECKS.flatMap((c): readonly FixStep<StepId>[] => c.fixes), ...ROTATION_STEPS])];
export const STEP_IDS: readonly StepId[] = STEPS.map((s) => s.id);

export function stepById(id: StepId): FixStep<StepId> {
  const s = STEPS.find((x) => x.id === id);
  if (!s) throw new Error(`unknown fix step ${id}`);
  return s;
}

export function isFindingId(id: string): id is FindingId {
  return (FINDING_IDS as readonly string[]).includes(id);
}

export function isStepId(id: string): id is StepId {
  return (STEP_IDS as readonly string[]).includes(id);
}

/** The steps of one stage of the article, in registry order: the order the machines route them in. */
export function stepsOfStage(stage: FixStep['stage']): StepId[] {
  return STEPS.filter((s) => s.stage === stage).map((s) => s.id);
}
