/**
 * Normalises why a gateway refused a handshake. `details.code` is the stable machine value, so it
 * wins; the close reason is matched by prefix only, because the parenthetical hints have changed
 * wording across releases (see openclaw-gateway.md §2, "Failure responses").
 */
import type { RejectReason } from './types.js';

/** `error.details.code` → reason. Generic codes (AUTH_UNAUTHORIZED, AUTH_REQUIRED) are absent on
 * purpose: they say nothing more than "unauthorized", so the reason text decides instead. */
const BY_DETAILS_CODE: Readonly<Record<string, RejectReason>> = {
  AUTH_TOKEN_MISSING: 'token-missing',
  AUTH_TOKEN_MISMATCH: 'token-mismatch',
  AUTH_TOKEN_NOT_CONFIGURED: 'token-not-configured',
  AUTH_PASSWORD_MISSING: 'password-missing',
  AUTH_PASSWORD_MISMATCH: 'password-mismatch',
  // No separate RejectReason exists for a password-mode gateway without a password: in both cases
  // the gateway itself lacks its shared credential, which is what the wizard has to fix.
  AUTH_PASSWORD_NOT_CONFIGURED: 'token-not-configured',
  AUTH_RATE_LIMITED: 'rate-limited',
  AUTH_DEVICE_TOKEN_MISMATCH: 'device-token-mismatch',
  DEVICE_IDENTITY_REQUIRED: 'device-identity-required',
  CONTROL_UI_DEVICE_IDENTITY_REQUIRED: 'control-ui-insecure-context',
  CONTROL_UI_ORIGIN_NOT_ALLOWED: 'origin-not-allowed',
  PAIRING_REQUIRED: 'pairing-required',
};

/** Reason prefixes, most specific first (all lower-case; matching is case-insensitive). */
const BY_PREFIX: ReadonlyArray<readonly [string, RejectReason]> = [
  ['unauthorized: gateway token missing', 'token-missing'],
  ['unauthorized: gateway token mismatch', 'token-mismatch'],
  ['unauthorized: gateway token not configured', 'token-not-configured'],
  ['unauthorized: gateway password missing', 'password-missing'],
  ['unauthorized: gateway password mismatch', 'password-mismatch'],
  ['unauthorized: gateway password not configured', 'token-not-configured'],
  ['gateway credential is a redaction sentinel', 'redacted-config'],
  ['unauthorized: too many failed authentication attempts', 'rate-limited'],
  ['unauthorized: device token mismatch', 'device-token-mismatch'],
  ['control ui requires device identity', 'control-ui-insecure-context'],
  ['device identity required', 'device-identity-required'],
  ['origin not allowed', 'origin-not-allowed'],
  ['pairing required', 'pairing-required'],
];

export function classifyRejection(reason: string | null, detailsCode: string | null): RejectReason {
  if (detailsCode) {
    const byCode = BY_DETAILS_CODE[detailsCode.trim().toUpperCase()];
    if (byCode) return byCode;
  }
  const text = (reason ?? '').trim().toLowerCase();
  for (const [prefix, kind] of BY_PREFIX) if (text.startsWith(prefix)) return kind;
  return 'unauthorized-other';
}

/**
 * The gateway's internal `authReason` (`token_mismatch`, as written in `details.authReason` and in
 * the log's `reason=` field) → reason. Returns null for values with no specific meaning here.
 */
export function classifyAuthReason(authReason: string | null): RejectReason | null {
  switch ((authReason ?? '').trim()) {
    case 'token_missing':
      return 'token-missing';
    case 'token_mismatch':
      return 'token-mismatch';
    case 'token_missing_config':
    case 'password_missing_config':
      return 'token-not-configured';
    case 'token_redacted_config':
    case 'password_redacted_config':
      return 'redacted-config';
    case 'password_missing':
      return 'password-missing';
    case 'password_mismatch':
      return 'password-mismatch';
    case 'rate_limited':
      return 'rate-limited';
    case 'device_token_mismatch':
      return 'device-token-mismatch';
    default:
      return null;
  }
}
