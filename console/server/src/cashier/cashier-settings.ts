import { CashierSettings, CashierSettingsView } from '@tillscope/shared';
import type { SqlConnection } from '../db/console-database';
import { readConsoleSetting, writeConsoleSetting } from '../db/console-settings';

/** The console_settings key of the cashier settings. */
export const CASHIER_SETTINGS_KEY = 'cashier';

/** What the ticket engine and the auto-close sweep read the cashier settings through. */
export interface CashierSettingsSource {
  current(sql: SqlConnection): Promise<CashierSettings>;
}

/**
 * The cashier settings an admin edits (CashierSettings), one document in console_settings. Read
 * once and kept in memory until saved again (one console owns its database); `defaults` apply
 * until the first save, and when a stored document no longer parses (a hand-edited file).
 */
export class CashierSettingsStore implements CashierSettingsSource {
  private cached: CashierSettings | undefined;

  constructor(private readonly defaults: CashierSettings = CashierSettings.parse({})) {}

  async current(sql: SqlConnection): Promise<CashierSettings> {
    this.cached ??= (await this.view(sql)).settings;
    return this.cached;
  }

  async view(sql: SqlConnection): Promise<CashierSettingsView> {
    const stored = await readConsoleSetting(sql, CASHIER_SETTINGS_KEY, CashierSettings);
    if (!stored) return { settings: this.defaults, updatedBy: null, updatedAt: null };
    return { settings: stored.value, updatedBy: stored.updatedBy, updatedAt: stored.updatedAt };
  }

  /** Stores the settings (inside the caller's write transaction). */
  async save(sql: SqlConnection, settings: CashierSettings, actor: string, nowIso: string): Promise<void> {
    this.cached = undefined;
    await writeConsoleSetting(sql, CASHIER_SETTINGS_KEY, settings, actor, nowIso);
    this.cached = settings;
  }
}
