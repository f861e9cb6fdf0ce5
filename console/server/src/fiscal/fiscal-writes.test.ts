import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FiscalFacts } from '@tillscope/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openConsoleDatabase, type ConsoleDatabase } from '../db/console-database';
import { DEFAULT_FISCAL_SETTINGS } from './fiscal-settings';
import { writeFiscalReadings, type FiscalReading } from './fiscal-writes';

// The write path on a real SQLite file: what is written when, what a register's summary and its
// blocking date report as changed (the live feed and the ticket summaries follow those sets).

let dir: string;
let db: ConsoleDatabase;
const T0 = Date.parse('2026-11-30T10:00:00.000Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();
const inDays = (days: number) => new Date(T0 + days * 86_400_000).toISOString();

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'tillscope-fiscal-'));
  db = await openConsoleDatabase(dir);
  await db.sql.run("INSERT INTO agents (id, store_id, register_id, credential_hash, enrolled_at) VALUES ('a1', 's1', 'pos-1', 'h', 't')");
  for (const device of ['kkt-1', 'kkt-2']) {
    await db.sql.run("INSERT INTO devices (agent_id, device_id, kind, driver, transport, target) VALUES ('a1', ?, 'fiscal', 'escpos', 'tcp', 'x')", device);
  }
});
afterEach(async () => {
  await db.close();
  await rm(dir, { recursive: true, force: true });
});

const reading = (minutes: number, fiscal: FiscalFacts, deviceId = 'kkt-1', extra: Partial<FiscalReading> = {}): FiscalReading =>
  ({ agentId: 'a1', deviceId, receivedAt: at(minutes), fiscal, ...extra });
const write = (...readings: FiscalReading[]) => db.write((sql) => writeFiscalReadings(sql, readings, DEFAULT_FISCAL_SETTINGS));
const writtenAt = async (deviceId = 'kkt-1') => (await db.sql.get<{ written_at: string }>('SELECT written_at FROM fiscal_states WHERE device_id = ?', deviceId))?.written_at;
const agentForecast = () => db.sql.get('SELECT fiscal_blocking_at AS at, fiscal_blocking_reason AS reason, fiscal_blocking_device AS device FROM agents');

const facts = (lastDocumentNumber: number, validDays = 100): FiscalFacts => ({ fn: { serial: 'FN-A', validUntil: inDays(validDays), lastDocumentNumber }, clockDriftSeconds: 1.5 });

describe('fiscal writes', () => {
  it('a first reading is written, changes the register and its blocking date', async () => {
    expect(await write(reading(0, facts(100)))).toEqual({ changedRegisters: new Set(['a1']), blockingChanged: new Set(['a1']) });
    expect(await agentForecast()).toEqual({ at: inDays(100), reason: 'fn_validity', device: 'kkt-1' });
  });

  it('the same facts again are not rewritten (only the clock drift moved) until the refresh is due', async () => {
    await write(reading(0, facts(100)));
    expect(await write(reading(1, { ...facts(100), clockDriftSeconds: 2.1 }))).toEqual({ changedRegisters: new Set(), blockingChanged: new Set() });
    expect(await writtenAt()).toBe(at(0));
    await write(reading(DEFAULT_FISCAL_SETTINGS.refreshMinutes, facts(100)));
    expect(await writtenAt()).toBe(at(DEFAULT_FISCAL_SETTINGS.refreshMinutes));
  });

  it('a new document number is written at once but changes nothing a register summary is published for', async () => {
    await write(reading(0, facts(100)));
    expect(await write(reading(1, facts(101)))).toEqual({ changedRegisters: new Set(), blockingChanged: new Set() });
    expect(await db.sql.get('SELECT fn_last_document, written_at FROM fiscal_states')).toEqual({ fn_last_document: 101, written_at: at(1) });
  });

  it('the register blocks at its earliest device; only a move of that date changes the agents row', async () => {
    await write(reading(0, facts(100)), reading(0, facts(100, 50), 'kkt-2'));
    expect(await agentForecast()).toEqual({ at: inDays(50), reason: 'fn_validity', device: 'kkt-2' });
    const later = await write(reading(1, facts(100, 80)));
    expect(later).toEqual({ changedRegisters: new Set(['a1']), blockingChanged: new Set() });
    const earlier = await write(reading(2, { ofd: { unsentCount: 3, firstUnsentAt: inDays(-25) } }));
    expect(earlier.blockingChanged).toEqual(new Set(['a1']));
    expect(await agentForecast()).toEqual({ at: inDays(5), reason: 'ofd_lock', device: 'kkt-1' });
  });

  it('several readings of one device in one call fold in order', async () => {
    await write(reading(0, facts(100)), reading(600, facts(2_500)));
    const row = await db.sql.get<{ rate_ref_number: number; fn_last_document: number; forecast_json: string }>('SELECT rate_ref_number, fn_last_document, forecast_json FROM fiscal_states');
    expect(row).toMatchObject({ rate_ref_number: 100, fn_last_document: 2_500 });
    expect(JSON.parse(row!.forecast_json).parts.map((p: { reason: string }) => p.reason)).toContain('archive_full');
  });

  it('an identity is kept on the device and counts as a change only when it differs', async () => {
    const identity = { model: 'АТОЛ 30Ф', serial: '00106712345678', fnSerial: 'FN-A' };
    expect((await write({ agentId: 'a1', deviceId: 'kkt-1', receivedAt: at(0), identity })).changedRegisters).toEqual(new Set(['a1']));
    expect(await db.sql.get("SELECT identity_json FROM devices WHERE device_id = 'kkt-1'")).toEqual({ identity_json: JSON.stringify(identity) });
    expect((await write({ agentId: 'a1', deviceId: 'kkt-1', receivedAt: at(1), identity })).changedRegisters).toEqual(new Set());
  });
});
