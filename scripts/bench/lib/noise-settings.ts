import { NoiseSettingsView, type DiagnosisCode, type NoiseSettings } from '@tillscope/shared';

/**
 * The console's noise settings over its REST API, as an admin edits them (GET/PUT
 * /api/settings/noise). `undefined`: this console has no such API (a build before the hold stage).
 */
export async function readNoiseSettings(baseUrl: string, cookie: string): Promise<NoiseSettingsView | undefined> {
  const response = await fetch(`${baseUrl}/api/settings/noise`, { headers: { cookie } });
  if (response.status === 404) return undefined;
  if (!response.ok) throw new Error(`GET /api/settings/noise: HTTP ${response.status} ${await response.text()}`);
  return NoiseSettingsView.parse(await response.json());
}

/**
 * Puts per-code hold overrides (seconds) over the current settings; everything else stays. Resolves
 * with the settings now in force, or `undefined` when the console has no noise settings API.
 */
export async function putNoiseSettings(baseUrl: string, cookie: string, patch: (current: NoiseSettings) => NoiseSettings): Promise<NoiseSettings | undefined> {
  const view = await readNoiseSettings(baseUrl, cookie);
  if (!view) return undefined;
  const settings = patch(view.settings);
  const response = await fetch(`${baseUrl}/api/settings/noise`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify(settings),
  });
  if (!response.ok) throw new Error(`PUT /api/settings/noise: HTTP ${response.status} ${await response.text()}`);
  return settings;
}

/** The hold of `code` under these settings: the admin's override, else the catalogue's. */
export function holdOf(view: NoiseSettingsView, code: DiagnosisCode): number {
  return view.settings.holds[code] ?? view.defaultHolds[code] ?? 0;
}

export function withHolds(holds: Partial<Record<DiagnosisCode, number>>): (current: NoiseSettings) => NoiseSettings {
  return (current) => ({ ...current, holds: { ...current.holds, ...holds } });
}
