import { describe, expect, it } from 'vitest';
import { classifyAuthReason, classifyRejection } from '../../src/gateway/classify.js';
import type { RejectReason } from '../../src/gateway/types.js';

// Close reasons exactly as real gateways sent them (verified-live.md, openclaw-gateway.md §2, and
// older wordings quoted from issues): matching must survive hint changes.
const REASONS: Array<[string, RejectReason]> = [
  ['unauthorized: gateway token missing (paste in Control UI settings or openclaw doctor --generate-gateway-token; restart)', 'token-missing'],
  ['unauthorized: gateway token missing (open a tokenized dashboard URL or paste token in Control UI settings)', 'token-missing'],
  ['unauthorized: gateway token missing (provide gateway auth token)', 'token-missing'],
  ['unauthorized: gateway token mismatch (provide gateway auth token)', 'token-mismatch'],
  ["unauthorized: gateway token mismatch (use this gateway's gateway.auth.token or pair the device)", 'token-mismatch'],
  ['unauthorized: gateway token mismatch (set gateway.remote.token to match gateway.auth.token)', 'token-mismatch'],
  ['unauthorized: gateway token mismatch (open the dashboard URL and paste the token in Control UI settings)', 'token-mismatch'],
  ['unauthorized: gateway token not configured on gateway (set gateway.auth.token)', 'token-not-configured'],
  ['unauthorized: gateway password not configured on gateway (set gateway.auth.password)', 'token-not-configured'],
  ['gateway credential is a redaction sentinel (run openclaw doctor --fix on the Gateway, then restart and re-pair)', 'redacted-config'],
  ['unauthorized: gateway password missing (provide gateway auth password)', 'password-missing'],
  ['unauthorized: gateway password mismatch (enter the password in Control UI settings)', 'password-mismatch'],
  ['unauthorized: too many failed authentication attempts (retry later)', 'rate-limited'],
  ['unauthorized: device token mismatch (rotate/reissue device token)', 'device-token-mismatch'],
  ['device identity required', 'device-identity-required'],
  ['control ui requires device identity (use HTTPS or localhost secure context)', 'control-ui-insecure-context'],
  ['origin not allowed (open the Control UI from the gateway host or allow it in gateway.controlUi.allowedOrigins)', 'origin-not-allowed'],
  ['pairing required', 'pairing-required'],
  ['pairing required: device is not approved yet (requestId: 7c9e6679-7425-40de-944b-e07fc1f90ae7)', 'pairing-required'],
  ['pairing required: device identity changed and must be re-approved', 'pairing-required'],
  ['unauthorized', 'unauthorized-other'],
  ['unauthorized: device token rejected (pair/repair this device, or provide gateway token)', 'unauthorized-other'],
  ['', 'unauthorized-other'],
];

describe('classifyRejection by reason prefix', () => {
  it.each(REASONS)('%s', (reason, expected) => {
    expect(classifyRejection(reason, null)).toBe(expected);
  });

  it('matches a reason cut at 120 bytes and in another case', () => {
    const cut = 'unauthorized: gateway token missing (paste in Control UI settings or openclaw doctor --generate-gateway-token; resta';
    expect(classifyRejection(cut, null)).toBe('token-missing');
    expect(classifyRejection('Origin Not Allowed', null)).toBe('origin-not-allowed');
    expect(classifyRejection(null, null)).toBe('unauthorized-other');
  });
});

describe('classifyRejection by details.code', () => {
  const CODES: Array<[string, RejectReason]> = [
    ['AUTH_TOKEN_MISSING', 'token-missing'],
    ['AUTH_TOKEN_MISMATCH', 'token-mismatch'],
    ['AUTH_TOKEN_NOT_CONFIGURED', 'token-not-configured'],
    ['AUTH_PASSWORD_MISSING', 'password-missing'],
    ['AUTH_PASSWORD_MISMATCH', 'password-mismatch'],
    ['AUTH_RATE_LIMITED', 'rate-limited'],
    ['AUTH_DEVICE_TOKEN_MISMATCH', 'device-token-mismatch'],
    ['DEVICE_IDENTITY_REQUIRED', 'device-identity-required'],
    ['CONTROL_UI_DEVICE_IDENTITY_REQUIRED', 'control-ui-insecure-context'],
    ['CONTROL_UI_ORIGIN_NOT_ALLOWED', 'origin-not-allowed'],
    ['PAIRING_REQUIRED', 'pairing-required'],
  ];
  it.each(CODES)('%s', (code, expected) => {
    // The code wins even over a contradicting reason text.
    expect(classifyRejection('unauthorized', code)).toBe(expected);
  });

  it('falls back to the reason for generic codes', () => {
    expect(classifyRejection('unauthorized: gateway token mismatch (x)', 'AUTH_UNAUTHORIZED')).toBe('token-mismatch');
    expect(classifyRejection('gateway credential is a redaction sentinel (…)', 'AUTH_UNAUTHORIZED')).toBe('redacted-config');
    expect(classifyRejection('weird', 'SOMETHING_NEW')).toBe('unauthorized-other');
  });
});

describe('classifyAuthReason', () => {
  it('maps the log/authReason vocabulary', () => {
    expect(classifyAuthReason('token_missing')).toBe('token-missing');
    expect(classifyAuthReason('token_mismatch')).toBe('token-mismatch');
    expect(classifyAuthReason('token_missing_config')).toBe('token-not-configured');
    expect(classifyAuthReason('token_redacted_config')).toBe('redacted-config');
    expect(classifyAuthReason('rate_limited')).toBe('rate-limited');
    expect(classifyAuthReason('device_token_mismatch')).toBe('device-token-mismatch');
    expect(classifyAuthReason('tailscale_user_missing')).toBeNull();
    expect(classifyAuthReason(null)).toBeNull();
  });
});

describe('password-mode refusals stay password refusals', () => {
  it('AUTH_PASSWORD_NOT_CONFIGURED: a password-mode gateway without a password lacks its credential (token-not-configured)', () => {
    // The reason text says nothing specific, so only the code can tell.
    expect(classifyRejection('unauthorized', 'AUTH_PASSWORD_NOT_CONFIGURED')).toBe('token-not-configured');
    expect(classifyRejection(null, 'auth_password_not_configured ')).toBe('token-not-configured');
  });

  it.each([
    ['password_missing', 'password-missing'],
    ['password_mismatch', 'password-mismatch'],
    ['password_missing_config', 'token-not-configured'],
    ['password_redacted_config', 'redacted-config'],
  ] as const)('the log reason %s is %s, never a token mismatch', (authReason, expected) => {
    expect(classifyAuthReason(authReason)).toBe(expected);
    expect(classifyAuthReason(` ${authReason}\n`)).toBe(expected);
  });
});

describe('close reasons as they arrive', () => {
  it('ignores surrounding whitespace and case in the close reason and the details code', () => {
    expect(classifyRejection('  Unauthorized: Gateway Token Missing\n', null)).toBe('token-missing');
    expect(classifyRejection(null, ' auth_token_mismatch ')).toBe('token-mismatch');
    expect(classifyRejection(null, null)).toBe('unauthorized-other');
  });
});
