import { describe, expect, it, vi } from 'vitest';
import { BACKSTOP_CSP, isAllowedExternal, isSameOrigin, setupCsp, setupPermissions, withBackstopCsp } from './security';
import { FakeSession } from './testing/fake-electron';
import type { Session } from 'electron';

vi.mock('electron', () => import('./testing/fake-electron'));

const ORIGIN = 'http://127.0.0.1:8080';

function askPermission(session: FakeSession, permission: string, requestingUrl = `${ORIGIN}/`): boolean {
  let granted: boolean | undefined;
  session.permissionRequestHandler!({}, permission, (ok: boolean) => (granted = ok), { requestingUrl });
  return granted!;
}

describe('permissions', () => {
  it('grants notifications to the console origin and denies everything else', () => {
    const session = new FakeSession();
    setupPermissions(session as unknown as Session, ORIGIN);
    expect(askPermission(session, 'notifications')).toBe(true);
    for (const p of ['media', 'geolocation', 'clipboard-read', 'openExternal', 'fullscreen', 'pointerLock', 'midi', 'hid', 'serial', 'usb']) {
      expect(askPermission(session, p), p).toBe(false);
    }
  });

  it('denies notifications to other origins', () => {
    const session = new FakeSession();
    setupPermissions(session as unknown as Session, ORIGIN);
    expect(askPermission(session, 'notifications', 'https://evil.example/')).toBe(false);
    expect(session.permissionCheckHandler!({}, 'notifications', 'https://evil.example')).toBe(false);
    expect(session.permissionCheckHandler!({}, 'notifications', ORIGIN)).toBe(true);
    expect(session.permissionCheckHandler!({}, 'media', ORIGIN)).toBe(false);
  });
});

describe('backstop CSP', () => {
  it('adds the policy to responses from the server', () => {
    const session = new FakeSession();
    setupCsp(session as unknown as Session, ORIGIN);
    let result: any;
    session.headersReceived!({ url: `${ORIGIN}/index.html`, responseHeaders: { 'Content-Type': ['text/html'] } }, (r: unknown) => (result = r));
    expect(result.responseHeaders['Content-Security-Policy']).toEqual([BACKSTOP_CSP]);
    expect(result.responseHeaders['Content-Type']).toEqual(['text/html']);
  });

  it('leaves other origins alone and keeps a server policy alongside ours', () => {
    const session = new FakeSession();
    setupCsp(session as unknown as Session, ORIGIN);
    let result: any;
    session.headersReceived!({ url: 'https://cdn.example/x.js', responseHeaders: {} }, (r: unknown) => (result = r));
    expect(result).toEqual({});
    expect(withBackstopCsp({ 'content-security-policy': ["default-src 'none'"] })['content-security-policy']).toEqual(["default-src 'none'", BACKSTOP_CSP]);
  });

  it('is strict', () => {
    expect(BACKSTOP_CSP).toContain("script-src 'self'");
    expect(BACKSTOP_CSP).toContain("object-src 'none'");
    expect(BACKSTOP_CSP).toContain("frame-ancestors 'none'");
    expect(BACKSTOP_CSP).not.toContain('unsafe-inline');
    expect(BACKSTOP_CSP).not.toContain('unsafe-eval');
  });
});

describe('origin checks', () => {
  it('compares origins, not prefixes', () => {
    expect(isSameOrigin(`${ORIGIN}/a`, ORIGIN)).toBe(true);
    expect(isSameOrigin('http://127.0.0.1:8080.evil.example/', ORIGIN)).toBe(false);
    expect(isSameOrigin('not a url', ORIGIN)).toBe(false);
  });

  it('allows only http(s) URLs of the server for external opening', () => {
    expect(isAllowedExternal(`${ORIGIN}/help`, ORIGIN)).toBe(true);
    expect(isAllowedExternal('https://evil.example/', ORIGIN)).toBe(false);
    expect(isAllowedExternal('file:///etc/passwd', ORIGIN)).toBe(false);
    expect(isAllowedExternal('smb://host/share', ORIGIN)).toBe(false);
    expect(isAllowedExternal('javascript:alert(1)', ORIGIN)).toBe(false);
    expect(isAllowedExternal('http://user:pw@127.0.0.1:8080/', ORIGIN)).toBe(false);
  });
});
