import { CATALOGUE, DiagnosisCode, NoiseSettings } from '@tillscope/shared';
import type { z } from 'zod';
import type { SqlConnection } from '../db/console-database';
import { readConsoleSetting, writeConsoleSetting } from '../db/console-settings';

/** The console_settings key of the noise settings. */
export const NOISE_SETTINGS_KEY = 'noise';

/** How long `code` must stand before a ticket opens: the admin's override, else the catalogue's hold. */
export function holdSecOf(settings: Pick<NoiseSettings, 'holds'>, code: DiagnosisCode): number {
  return settings.holds[code] ?? CATALOGUE[code].holdSec ?? 0;
}

/** The catalogue's hold of every code that has one (what the settings editor shows beside the overrides). */
export function catalogueHolds(): Partial<Record<DiagnosisCode, number>> {
  return Object.fromEntries(DiagnosisCode.options.flatMap((code) => (CATALOGUE[code].holdSec ? [[code, CATALOGUE[code].holdSec]] : [])));
}

/** Settings that hold nothing: every finding opens its ticket at once (tests and demos that are not about noise). */
export const NO_HOLDS: z.input<typeof NoiseSettings> = { holds: Object.fromEntries(DiagnosisCode.options.map((code) => [code, 0])) };

/** What the ticket stages read the settings through. */
export interface NoiseSettingsSource {
  current(sql: SqlConnection): Promise<NoiseSettings>;
}

/**
 * The noise settings an admin edits, stored as one document in console_settings. Read once and kept
 * in memory until saved again (one console owns its database); `defaults` apply until the first save.
 */
export class NoiseSettingsStore implements NoiseSettingsSource {
  private cached: NoiseSettings | undefined;

  constructor(private readonly defaults: NoiseSettings = NoiseSettings.parse({})) {}

  async current(sql: SqlConnection): Promise<NoiseSettings> {
    if (this.cached) return this.cached;
    this.cached = (await readConsoleSetting(sql, NOISE_SETTINGS_KEY, NoiseSettings))?.value ?? this.defaults;
    return this.cached;
  }

  /** Stores the settings (inside the caller's write transaction). */
  async save(sql: SqlConnection, settings: NoiseSettings, actor: string, nowIso: string): Promise<void> {
    this.cached = undefined;
    await writeConsoleSetting(sql, NOISE_SETTINGS_KEY, settings, actor, nowIso);
    this.cached = settings;
  }
}
