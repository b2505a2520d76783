/**
 * The fake gateway's pairing refusals, as openclaw@2026.9.6 answers them (seen live in
 * test/real/contract-limits.test.ts): the error message names the state, the close reason adds
 * `(requestId: <uuid>)` and is then cut at 120 bytes (which cuts a scope upgrade's id), and
 * `details` carries the whole request id, the reason and the requested role and scopes. The fake
 * keeps no device registry: which refusal a client meets is the scenario's choice, so it reports
 * no approved scopes it would have to make up.
 */
import { randomUUID } from 'node:crypto';
import { truncateCloseReason } from './fake-connect-frame.js';

export type PairingReason = 'not-paired' | 'scope-upgrade';

const MESSAGE: Record<PairingReason, string> = {
  'not-paired': 'pairing required: device is not approved yet',
  'scope-upgrade': 'pairing required: device is asking for more scopes than currently approved',
};

const REMEDIATION: Record<PairingReason, string> = {
  'not-paired': 'Approve this device from the pending pairing requests.',
  'scope-upgrade': 'Review the requested scopes, then approve the pending upgrade.',
};

export interface PairingRefusal {
  requestId: string;
  /** error.message of the res frame. */
  message: string;
  /** The close frame's reason: the message with the request id, at most 120 bytes. */
  closeReason: string;
  details: Record<string, unknown>;
}

export function pairingRefusal(reason: PairingReason, request: { deviceId: string | null; role: string; scopes: readonly string[] }): PairingRefusal {
  const requestId = randomUUID();
  const message = MESSAGE[reason];
  return {
    requestId,
    message,
    closeReason: truncateCloseReason(`${message} (requestId: ${requestId})`),
    details: {
      code: 'PAIRING_REQUIRED',
      reason,
      requestId,
      remediationHint: REMEDIATION[reason],
      recommendedNextStep: 'wait_then_retry',
      retryable: true,
      pauseReconnect: false,
      ...(request.deviceId ? { deviceId: request.deviceId } : {}),
      requestedRole: request.role,
      requestedScopes: [...request.scopes],
    },
  };
}
