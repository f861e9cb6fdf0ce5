import { CreateMaintenanceRequest, MaintenanceWindow, type MaintenanceListQuery, type MaintenanceState } from '@tillscope/shared';
import { z } from 'zod';
import type { SqlConnection } from '../db/console-database';
import { parseRows } from '../db/rows';
import { DomainError, NotFound } from '../tickets/domain-errors';

// Maintenance windows (issue 11): planned time when a store, or one of its registers, is expected
// to misbehave (a move, a power works, a reinstall). During a window the findings are stored as
// history as always but open no ticket (maintenance-check.ts). A window is never deleted:
// cancelling keeps it, with who and when, so the history of what was planned stays.

/** A window that cannot be as asked (it would end in the past). */
export class InvalidMaintenance extends DomainError {
  readonly code = 'bad_request';
  constructor(message: string) {
    super(message);
    this.name = 'InvalidMaintenance';
  }
}

/** The window's state does not allow it (cancelling one that already ended or was cancelled). */
export class MaintenanceConflict extends DomainError {
  readonly code = 'conflict';
  constructor(message: string) {
    super(message);
    this.name = 'MaintenanceConflict';
  }
}

/** The past list (ended or cancelled windows) is history without paging: the newest this many. */
export const PAST_WINDOWS_LIMIT = 500;

const WindowRow = z.object({
  id: z.number().int(),
  store_id: z.string(),
  register_id: z.string().nullable(),
  starts_at: z.string(),
  ends_at: z.string(),
  reason: z.string(),
  created_by: z.string(),
  created_at: z.string(),
  cancelled_at: z.string().nullable(),
  cancelled_by: z.string().nullable(),
  suppressed: z.number().int(),
});
type WindowRow = z.infer<typeof WindowRow>;

const SELECT_WINDOW = `SELECT w.id, w.store_id, a.register_id, w.starts_at, w.ends_at, w.reason, w.created_by, w.created_at,
    w.cancelled_at, w.cancelled_by, w.suppressed
  FROM maintenance_windows w LEFT JOIN agents a ON a.id = w.agent_id`;

/** The state at `nowIso`: cancelled wins; otherwise planned before the start, active until the end, then ended. */
export function maintenanceStateAt(window: Pick<WindowRow, 'starts_at' | 'ends_at' | 'cancelled_at'>, nowIso: string): MaintenanceState {
  if (window.cancelled_at !== null) return 'cancelled';
  if (nowIso < window.starts_at) return 'planned';
  return nowIso < window.ends_at ? 'active' : 'ended';
}

function toWindow(row: WindowRow, nowIso: string): MaintenanceWindow {
  return MaintenanceWindow.parse({
    id: row.id, storeId: row.store_id, registerId: row.register_id, startsAt: row.starts_at, endsAt: row.ends_at,
    reason: row.reason, createdBy: row.created_by, createdAt: row.created_at, cancelledAt: row.cancelled_at,
    cancelledBy: row.cancelled_by, suppressed: row.suppressed, state: maintenanceStateAt(row, nowIso),
  });
}

/**
 * current: planned or active (not cancelled, not yet ended), soonest first; past: ended or
 * cancelled, newest first (at most PAST_WINDOWS_LIMIT); all: current, then past.
 */
export async function listMaintenance(sql: SqlConnection, query: MaintenanceListQuery, nowIso: string): Promise<MaintenanceWindow[]> {
  const store = query.storeId === undefined ? '' : ' AND w.store_id = ?';
  const storeParam = query.storeId === undefined ? [] : [query.storeId];
  const current = () => sql.all(`${SELECT_WINDOW} WHERE w.cancelled_at IS NULL AND w.ends_at > ?${store} ORDER BY w.starts_at, w.id`, nowIso, ...storeParam);
  const past = () => sql.all(
    `${SELECT_WINDOW} WHERE (w.cancelled_at IS NOT NULL OR w.ends_at <= ?)${store} ORDER BY w.ends_at DESC, w.id DESC LIMIT ${PAST_WINDOWS_LIMIT}`,
    nowIso, ...storeParam,
  );
  const rows = query.state === 'current' ? await current() : query.state === 'past' ? await past() : [...(await current()), ...(await past())];
  return parseRows(WindowRow, rows).map((row) => toWindow(row, nowIso));
}

export async function readMaintenance(sql: SqlConnection, id: number, nowIso: string): Promise<MaintenanceWindow> {
  const raw = await sql.get(`${SELECT_WINDOW} WHERE w.id = ?`, id);
  if (!raw) throw new NotFound('maintenance window', id);
  return toWindow(WindowRow.parse(raw), nowIso);
}

/**
 * Plans a window for a store, or one register of it. The store must be known (it has a settings
 * row or a register), the register must be one of the store's, and the window must not end in the
 * past (the schema already checked it ends after it starts and lasts at most 7 days).
 */
export async function createMaintenance(
  sql: SqlConnection, request: z.output<typeof CreateMaintenanceRequest>, actor: string, nowIso: string,
): Promise<MaintenanceWindow> {
  const known = await sql.get('SELECT 1 AS found FROM stores WHERE id = ? UNION ALL SELECT 1 FROM agents WHERE store_id = ? LIMIT 1', request.storeId, request.storeId);
  if (!known) throw new NotFound('store', request.storeId);
  let agentId: string | null = null;
  if (request.registerId !== null) {
    const register = await sql.get<{ id: string }>('SELECT id FROM agents WHERE store_id = ? AND register_id = ?', request.storeId, request.registerId);
    if (!register) throw new NotFound('register', `${request.storeId}/${request.registerId}`);
    agentId = register.id;
  }
  const startsAt = new Date(request.startsAt).toISOString();
  const endsAt = new Date(request.endsAt).toISOString();
  if (endsAt <= nowIso) throw new InvalidMaintenance(`the window would end in the past (${endsAt})`);
  const result = await sql.run(
    `INSERT INTO maintenance_windows (store_id, agent_id, starts_at, ends_at, reason, created_by, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
    request.storeId, agentId, startsAt, endsAt, request.reason, actor, nowIso,
  );
  if (result.lastID === undefined) throw new Error('maintenance insert returned no id');
  return readMaintenance(sql, result.lastID, nowIso);
}

/** Cancels a planned or active window; it stays in the history with who cancelled it and when. */
export async function cancelMaintenance(sql: SqlConnection, id: number, actor: string, nowIso: string): Promise<MaintenanceWindow> {
  const window = await readMaintenance(sql, id, nowIso);
  if (window.state === 'cancelled' || window.state === 'ended') throw new MaintenanceConflict(`maintenance window ${id} is already ${window.state}`);
  await sql.run('UPDATE maintenance_windows SET cancelled_at = ?, cancelled_by = ? WHERE id = ?', nowIso, actor, id);
  return readMaintenance(sql, id, nowIso);
}
