import { describe, expect, it } from 'vitest';
import { DEFAULT_SERVER_URL, parseServerUrl, resolveSettings, SERVER_URL_ENV } from './settings';

describe('settings', () => {
  it('defaults to the local console server', () => {
    const s = resolveSettings({}, null);
    expect(s).toMatchObject({ serverUrl: `${DEFAULT_SERVER_URL}/`, serverOrigin: DEFAULT_SERVER_URL, source: 'default', warnings: [] });
  });

  it('takes the environment first, then the settings file', () => {
    const file = JSON.stringify({ serverUrl: 'https://console.shop.example' });
    expect(resolveSettings({ [SERVER_URL_ENV]: 'https://env.example:8443/console/' }, file)).toMatchObject({
      serverUrl: 'https://env.example:8443/console/',
      serverOrigin: 'https://env.example:8443',
      source: 'env',
    });
    expect(resolveSettings({}, file)).toMatchObject({ serverOrigin: 'https://console.shop.example', source: 'file' });
  });

  it('ignores bad values with a warning', () => {
    const s = resolveSettings({ [SERVER_URL_ENV]: 'file:///etc/passwd' }, '{not json');
    expect(s.source).toBe('default');
    expect(s.warnings).toHaveLength(2);
    expect(resolveSettings({}, JSON.stringify({ serverUrl: 'javascript:alert(1)' })).source).toBe('default');
  });

  it('warns about plain HTTP to a remote host', () => {
    expect(resolveSettings({ [SERVER_URL_ENV]: 'http://10.0.0.5:8080' }, null).warnings[0]).toMatch(/not HTTPS/);
  });

  it('refuses URLs with credentials or other schemes', () => {
    expect(parseServerUrl('http://admin:pw@host/')).toBeNull();
    expect(parseServerUrl('ws://host/')).toBeNull();
    expect(parseServerUrl('')).toBeNull();
    expect(parseServerUrl('https://host/#/queue')?.toString()).toBe('https://host/');
  });
});
