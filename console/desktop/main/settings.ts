import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { parseHttpUrl } from './security';

export const DEFAULT_SERVER_URL = 'http://127.0.0.1:8080';
export const SETTINGS_FILE = 'settings.json';
export const SERVER_URL_ENV = 'TILLSCOPE_SERVER_URL';

/** `<userData>/settings.json`, written by an administrator: `{ "serverUrl": "https://console.example" }`. */
const SettingsFile = z.object({ serverUrl: z.string().max(2048).optional() });

export interface DesktopSettings {
  /** the page the window loads: the console server's renderer */
  serverUrl: string;
  /** the only origin the window may show, navigate to, or talk IPC from */
  serverOrigin: string;
  source: 'env' | 'file' | 'default';
  warnings: string[];
}

/** The console server's URL: an http(s) URL without credentials (and without a hash), or null. */
export function parseServerUrl(raw: string | undefined | null): URL | null {
  const url = raw ? parseHttpUrl(raw.trim()) : null;
  if (url) url.hash = '';
  return url;
}

/** Env wins over the settings file, which wins over the default. Bad values are reported, not used. */
export function resolveSettings(env: Record<string, string | undefined>, fileText: string | null): DesktopSettings {
  const warnings: string[] = [];
  const fromEnv = env[SERVER_URL_ENV];
  if (fromEnv !== undefined && fromEnv !== '') {
    const url = parseServerUrl(fromEnv);
    if (url) return finish(url, 'env', warnings);
    warnings.push(`${SERVER_URL_ENV} is not an http(s) URL; ignored`);
  }
  if (fileText !== null) {
    let json: unknown;
    try {
      json = JSON.parse(fileText);
    } catch {
      json = undefined;
      warnings.push(`${SETTINGS_FILE} is not valid JSON; ignored`);
    }
    if (json !== undefined) {
      const parsed = SettingsFile.safeParse(json);
      const url = parsed.success ? parseServerUrl(parsed.data.serverUrl) : null;
      if (url) return finish(url, 'file', warnings);
      if (!parsed.success || parsed.data.serverUrl !== undefined) warnings.push(`${SETTINGS_FILE}: serverUrl is not an http(s) URL; ignored`);
    }
  }
  return finish(new URL(DEFAULT_SERVER_URL), 'default', warnings);
}

function finish(url: URL, source: DesktopSettings['source'], warnings: string[]): DesktopSettings {
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
    warnings.push(`the console server ${url.origin} is not HTTPS: sessions travel in clear text`);
  }
  return { serverUrl: url.toString(), serverOrigin: url.origin, source, warnings };
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

export function loadSettings(userDataDir: string, env: Record<string, string | undefined>): DesktopSettings {
  let text: string | null = null;
  try {
    text = readFileSync(join(userDataDir, SETTINGS_FILE), 'utf8');
  } catch {
    text = null; // no settings file: env or default
  }
  return resolveSettings(env, text);
}
