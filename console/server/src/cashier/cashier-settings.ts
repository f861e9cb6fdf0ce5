import { CashierSettings, CashierSettingsView } from '@tillscope/shared';
import type { SqlConnection } from '../db/console-database';
import { writeConsoleSetting } from '../db/console-settings';

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
    const row = await sql.get<{ value_json: string; updated_by: string | null; updated_at: string }>(
      'SELECT value_json, updated_by, updated_at FROM console_settings WHERE key = ?', CASHIER_SETTINGS_KEY,
    );
    const stored = row ? CashierSettings.safeParse(JSON.parse(row.value_json)) : undefined;
    if (!row || !stored?.success) return { settings: this.defaults, updatedBy: null, updatedAt: null };
    return { settings: stored.data, updatedBy: row.updated_by, updatedAt: row.updated_at };
  }

  /** Stores the settings (inside the caller's write transaction). */
  async save(sql: SqlConnection, settings: CashierSettings, actor: string, nowIso: string): Promise<void> {
    this.cached = undefined;
    await writeConsoleSetting(sql, CASHIER_SETTINGS_KEY, settings, actor, nowIso);
    this.cached = settings;
  }
}
