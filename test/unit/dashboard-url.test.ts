import { describe, expect, it } from 'vitest';
import { dashboardUrl, gatewayWsUrl, normaliseBasePath } from '../../src/gateway/dashboard-url.js';

const base = { host: '127.0.0.1', port: 18789, tls: false, basePath: null };

describe('dashboardUrl', () => {
  it('builds the plain and the tokenized Control UI link', () => {
    expect(dashboardUrl(base)).toBe('http://127.0.0.1:18789/');
    expect(dashboardUrl({ ...base, token: 'abc123' })).toBe('http://127.0.0.1:18789/#token=abc123');
  });

  it('percent-encodes the token', () => {
    expect(dashboardUrl({ ...base, token: 'a b&c#d/é' })).toBe(`http://127.0.0.1:18789/#token=${encodeURIComponent('a b&c#d/é')}`);
    expect(dashboardUrl({ ...base, token: 'a b&c#d' })).toBe('http://127.0.0.1:18789/#token=a%20b%26c%23d');
  });

  it('normalises the base path and uses https with TLS', () => {
    for (const bp of ['ui', '/ui', '/ui/', 'ui/', '//ui//']) {
      expect(dashboardUrl({ ...base, basePath: bp, tls: true, token: 't' })).toBe('https://127.0.0.1:18789/ui/#token=t');
    }
    expect(dashboardUrl({ ...base, basePath: '/a/b/' })).toBe('http://127.0.0.1:18789/a/b/');
    expect(dashboardUrl({ ...base, basePath: '/' })).toBe('http://127.0.0.1:18789/');
    expect(dashboardUrl({ ...base, basePath: '' })).toBe('http://127.0.0.1:18789/');
  });

  it('brackets IPv6 hosts once', () => {
    expect(dashboardUrl({ ...base, host: '::1' })).toBe('http://[::1]:18789/');
    expect(dashboardUrl({ ...base, host: '[::1]' })).toBe('http://[::1]:18789/');
    expect(dashboardUrl({ ...base, host: 'localhost', port: 19001 })).toBe('http://localhost:19001/');
  });

  it('omits an empty token', () => {
    expect(dashboardUrl({ ...base, token: '' })).toBe('http://127.0.0.1:18789/');
  });
});

describe('gatewayWsUrl', () => {
  it('matches control-ui-links: no trailing slash, base path appended', () => {
    expect(gatewayWsUrl(base)).toBe('ws://127.0.0.1:18789');
    expect(gatewayWsUrl({ ...base, tls: true, basePath: 'ui/' })).toBe('wss://127.0.0.1:18789/ui');
    expect(gatewayWsUrl({ ...base, host: 'fe80::1' })).toBe('ws://[fe80::1]:18789');
  });

  it('produces URLs that parse', () => {
    expect(new URL(gatewayWsUrl({ ...base, host: '::1', basePath: '/x' })).port).toBe('18789');
    expect(normaliseBasePath(null)).toBe('');
  });
});
