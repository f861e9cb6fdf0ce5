import { NoiseSettings } from '@tillscope/shared';
import { afterEach, describe, expect, it } from 'vitest';
import type { SqlConnection } from '../db/console-database';
import { ChangeSet } from '../tickets/change-set';
import type { TicketFinding } from '../tickets/stages/finding';
import { FLEET_OFFLINE_AFTER_SEC, openStoreFleet, type StoreFleet } from '../test-support/store-fleet';
import { alikeVerdict, registersNeeded, silenceVerdict } from './store-verdict';

const DEFAULTS = NoiseSettings.parse({}).correlation;

describe('registers needed for a store incident', () => {
  it('is the share of the store rounded up, never fewer than minRegisters', () => {
    expect(DEFAULTS).toEqual({ windowSec: 120, share: 0.6, minRegisters: 2 });
    expect([50, 10, 5, 3, 2, 1].map((alive) => registersNeeded(alive, DEFAULTS))).toEqual([30, 6, 3, 2, 2, 2]);
    expect(registersNeeded(7, { ...DEFAULTS, share: 1 })).toBe(7);
    expect(registersNeeded(100, { ...DEFAULTS, minRegisters: 80 })).toBe(80);
  });
});

// The decision must read one store, never the fleet: a 25,000-register console runs it on every
// new offline or alike ticket. Every SELECT it issues is checked with EXPLAIN QUERY PLAN (no
// timing): a full scan of agents or tickets fails here.

let fleet: StoreFleet | undefined;
afterEach(async () => {
  await fleet?.dispose();
  fleet = undefined;
});

/** The connection, recording every statement run through it. */
function recording(sql: SqlConnection, statements: [string, unknown[]][]): SqlConnection {
  return new Proxy(sql, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if ((property !== 'get' && property !== 'all' && property !== 'run') || typeof value !== 'function') return value;
      return (statement: string, ...params: unknown[]) => {
        statements.push([statement, params]);
        return (value as (statement: string, ...params: unknown[]) => unknown).call(target, statement, ...params);
      };
    },
  });
}

const offline = (agentId: string): TicketFinding => ({
  agentId, deviceId: null, code: 'agent.offline', detail: 'silent', checklist: [], evidence: null, device: null, source: { kind: 'event' },
});

/**
 * A step that reads agents or tickets beyond one store, register or ticket: any full scan, or a
 * search whose index key does not start with the store, the register, the parent or the row id.
 */
function unbounded(step: string): boolean {
  if (!/^(SCAN|SEARCH) (agents|tickets|a|t|s|p)\b/.test(step)) return false;
  return step.startsWith('SCAN') || !/\((store_id|agent_id|parent_id|id|rowid)=\?|INTEGER PRIMARY KEY/.test(step);
}

describe('the storm decision reads one store through indexes', () => {
  it('silence and alike verdicts, opening the incident and attaching to it: no full scan of agents or tickets', async () => {
    fleet = await openStoreFleet({ 'store-1': 50, 'store-2': 5 });
    const registers = fleet.stores.get('store-1') ?? [];
    await fleet.disconnect(registers);
    fleet.clock.advanceSeconds(FLEET_OFFLINE_AFTER_SEC + 1);
    const statements: [string, unknown[]][] = [];
    const { engine } = fleet.services;
    const nowIso = fleet.clock.now().toISOString();
    const verdicts = await fleet.services.db.write(async (raw) => {
      const sql = recording(raw, statements);
      const silence = await silenceVerdict(sql, registers[0]!, DEFAULTS);
      const alike = await alikeVerdict(sql, registers[0]!, 'printer.offline', nowIso, DEFAULTS);
      const first = await engine.openOfflineTicket(sql, registers[0]!, nowIso, new ChangeSet());
      const second = await engine.pipeline.stages.correlate.parentOf(sql, offline(registers[1]!), new ChangeSet());
      return { silence, alike, first, second };
    });
    expect(verdicts.silence).toMatchObject({ storeId: 'store-1', alive: 50, needed: 30, incident: true });
    expect(verdicts.silence?.agentIds).toHaveLength(50);
    expect(verdicts.alike).toMatchObject({ agentIds: [registers[0]], alive: 50, incident: false });
    // The first opened the incident and became its symptom; the second attaches to it.
    const first = await fleet.services.db.sql.get<{ parent_id: number }>('SELECT parent_id FROM tickets WHERE id = ?', verdicts.first);
    expect(verdicts.second).toBe(first?.parent_id);

    const selects = statements.filter(([statement]) => /^\s*SELECT/i.test(statement));
    expect(selects.length).toBeGreaterThan(5);
    const steps: string[] = [];
    for (const [statement, params] of selects) {
      const plan = (await fleet.services.db.sql.all<{ detail: string }[]>(`EXPLAIN QUERY PLAN ${statement}`, ...params)).map((row) => row.detail);
      expect(plan.filter(unbounded), `${statement}\n${plan.join('\n')}`).toEqual([]);
      steps.push(...plan);
    }
    // The store's silent registers come from migration 013's partial index.
    expect(steps.some((step) => step.includes('agents_silent_by_store')), steps.join('\n')).toBe(true);
  });
});
