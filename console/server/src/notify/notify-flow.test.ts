import { DateTime } from 'luxon';
import { WebhookBody, type ChannelSettings, type NotifyRule } from '@tillscope/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { sweepSlaClocks } from '../sla/sla-watch';
import { ChangeSet } from '../tickets/change-set';
import { openStoreFleet, type StoreFleet } from '../test-support/store-fleet';
import { finding, healthMessage, printerReport } from '../test-support/device-reports';
import { startHttpSink, type HttpSink } from '../test-support/notify-sinks';
import { saveChannel, saveRule } from './notify-config';

// Notifications through the real path: registers report through the ingest batcher, the ticket
// pipeline (store correlation included) writes the timeline on a SQLite file, the notify sweep
// queues and sends to a real webhook receiver on loopback. The clock is moved by hand.

const SETTLE_SEC = 30;
const retry = { baseMs: 30_000, capMs: 30 * 60_000, maxAttempts: 4 };

let fleet: StoreFleet | undefined;
let sink: HttpSink | undefined;
afterEach(async () => {
  sink?.release(200);
  await fleet?.dispose();
  await sink?.close();
  fleet = undefined;
  sink = undefined;
});

const printerDown = (id: string) => healthMessage(id, [printerReport({ findings: [finding('printer.no_reply', 'no answer on USB')] })]);

async function setUp(registers: Record<string, number>, rule: Partial<Omit<NotifyRule, 'id' | 'channelId'>> = {}, perMinute = 20) {
  sink = await startHttpSink();
  fleet = await openStoreFleet(registers, { notify: { settleMs: SETTLE_SEC * 1000, retry, random: () => 0.5, consoleUrl: 'https://support.example.ru' } });
  const { db } = fleet.services;
  const at = fleet.clock.now().toISOString();
  const channel: ChannelSettings = { kind: 'webhook', name: 'duty', enabled: true, perMinute, config: { url: `${sink.url}/hook` }, secret: 'hook-secret-123' };
  const { id: channelId } = await db.write((sql) => saveChannel(sql, undefined, channel, 'admin', at));
  await db.write((sql) => saveRule(sql, undefined, { channelId, group: null, triggers: ['p1_opened', 'sla_warning', 'escalated'], quiet: null, enabled: true, ...rule }, 'admin', at));
  return { fleet, sink, channelId };
}

const bodies = (s: HttpSink) => s.received.map((request) => WebhookBody.parse(JSON.parse(request.raw)));
const deliveries = (f: StoreFleet) =>
  f.services.db.sql.all<{ id: number; ticket_id: number; status: string; attempts: number; next_at: string; quiet: number; last_error: string | null }[]>(
    'SELECT id, ticket_id, status, attempts, next_at, quiet, last_error FROM notify_deliveries ORDER BY id',
  );
const ticketsOf = (f: StoreFleet) => f.services.db.sql.all<{ id: number; code: string; priority: number; parent_id: number | null; store_id: string }[]>(
  'SELECT id, code, priority, parent_id, store_id FROM tickets ORDER BY id',
);

async function downAt(f: StoreFleet, storeId: string, count: number, prefix = 'h') {
  for (const [index, agentId] of (f.stores.get(storeId) ?? []).slice(0, count).entries()) await f.services.ingest.submit(agentId, printerDown(`${prefix}-${storeId}-${index}`));
}

describe('notifications on the real ticket path', () => {
  it('a storm of 50 registers of one store failing alike: one message, about the store incident', async () => {
    const { fleet: f, sink: s } = await setUp({ big: 50, calm: 2 });
    await downAt(f, 'big', 50);
    const tickets = await ticketsOf(f);
    const symptoms = tickets.filter((t) => t.code === 'printer.no_reply');
    expect(symptoms).toHaveLength(50);
    expect(symptoms.every((t) => t.priority === 1 && t.parent_id !== null)).toBe(true); // each a P1 of its own, had it not been a symptom
    // Not settled yet: nothing read, nothing sent.
    expect(await f.services.notifier.sweep()).toMatchObject({ queued: 0, sent: 0 });
    f.clock.advanceSeconds(SETTLE_SEC + 1);
    expect(await f.services.notifier.sweep()).toMatchObject({ queued: 1, sent: 1 });
    expect(await f.services.notifier.sweep()).toMatchObject({ queued: 0, sent: 0 });
    expect(bodies(s)).toHaveLength(1);
    const [body] = bodies(s);
    expect(body!.ticket).toMatchObject({ code: 'store.outage', scope: 'store', storeId: 'big', symptoms: 50, priority: 1 });
    expect(body!.text.ru).toContain('магазин big, касс: 50');
    expect(body!.url).toBe(`https://support.example.ru/#/tickets/${body!.ticket.id}`);
  });

  it('a P1 register ticket: one message per channel; a P2 or a symptom raises none', async () => {
    const { fleet: f, sink: s } = await setUp({ a: 2 });
    await downAt(f, 'a', 1);
    f.clock.advanceSeconds(SETTLE_SEC + 1);
    await f.services.notifier.sweep();
    expect(bodies(s).map((b) => [b.trigger, b.ticket.code, b.ticket.registerId])).toEqual([['p1_opened', 'printer.no_reply', 'pos-0']]);
  });

  it('a failing channel is retried with backoff and never holds up ingest; it gives up after the last try', async () => {
    const { fleet: f, sink: s } = await setUp({ a: 2, b: 2 });
    await downAt(f, 'a', 1);
    f.clock.advanceSeconds(SETTLE_SEC + 1);
    s.answer = 'hang';
    const pass = f.services.notifier.sweep();
    while (s.received.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    // The webhook hangs; a register reports, its ticket opens and is acknowledged meanwhile.
    const ack = await f.services.ingest.submit(f.stores.get('b')![0]!, printerDown('during-hang'));
    expect(ack).toMatchObject({ ok: true });
    expect((await ticketsOf(f)).filter((t) => t.store_id === 'b')).toHaveLength(1);
    s.release(500);
    expect(await pass).toMatchObject({ sent: 0, retrying: 1 });
    const [first] = await deliveries(f);
    // attempt 1 failed: 30 s planned, equal jitter with random 0.5 → 15 s + 7.5 s
    expect(first).toMatchObject({ status: 'pending', attempts: 1, last_error: 'webhook answered HTTP 500' });
    expect(Date.parse(first!.next_at) - f.clock.now().getTime()).toBe(22_500);
    s.answer = 500;
    expect(await f.services.notifier.sweep()).toMatchObject({ sent: 0, retrying: 0 }); // not due yet
    for (const wait of [23, 45, 90]) {
      f.clock.advanceSeconds(wait);
      await f.services.notifier.sweep();
    }
    const [given] = await deliveries(f);
    expect(given).toMatchObject({ status: 'failed', attempts: retry.maxAttempts, last_error: 'webhook answered HTTP 500' });
    expect(s.received.filter((r) => r.path === '/hook' && JSON.parse(r.raw).ticket.storeId === 'a')).toHaveLength(retry.maxAttempts);
  });

  it('a retry that gets through is sent once, with the same delivery id', async () => {
    const { fleet: f, sink: s } = await setUp({ a: 2 });
    await downAt(f, 'a', 1);
    f.clock.advanceSeconds(SETTLE_SEC + 1);
    s.answer = 503;
    expect(await f.services.notifier.sweep()).toMatchObject({ queued: 1, retrying: 1 });
    s.answer = 200;
    f.clock.advanceSeconds(23);
    expect(await f.services.notifier.sweep()).toMatchObject({ sent: 1 });
    f.clock.advanceSeconds(3600);
    expect(await f.services.notifier.sweep()).toMatchObject({ sent: 0, retrying: 0 });
    expect(new Set(s.received.map((r) => r.headers['x-tillscope-delivery']))).toEqual(new Set(['1']));
    expect(await deliveries(f)).toMatchObject([{ status: 'sent', attempts: 2, last_error: null }]);
  });

  it('per-channel cap: over the minute\'s share, messages wait for the next minute, none are lost', async () => {
    const { fleet: f, sink: s } = await setUp({ a: 2, b: 2, c: 2 }, {}, 2);
    for (const store of ['a', 'b', 'c']) await downAt(f, store, 1);
    f.clock.advanceSeconds(SETTLE_SEC + 1);
    expect(await f.services.notifier.sweep()).toMatchObject({ queued: 3, sent: 2, deferred: 1 });
    f.clock.advanceSeconds(30);
    expect(await f.services.notifier.sweep()).toMatchObject({ sent: 0 });
    f.clock.advanceSeconds(31);
    expect(await f.services.notifier.sweep()).toMatchObject({ sent: 1 });
    expect(bodies(s).map((b) => b.ticket.storeId).sort()).toEqual(['a', 'b', 'c']);
  });

  it('a channel hanging until its timeout holds up only its own messages: the next pass serves the others', async () => {
    const { fleet: f, sink: s } = await setUp({ a: 2 });
    const other = await startHttpSink();
    try {
      const at = f.clock.now().toISOString();
      const { db } = f.services;
      const second: ChannelSettings = { kind: 'webhook', name: 'second', enabled: true, perMinute: 20, config: { url: other.url } };
      const { id } = await db.write((sql) => saveChannel(sql, undefined, second, 'admin', at));
      await downAt(f, 'a', 1);
      f.clock.advanceSeconds(SETTLE_SEC + 1);
      s.answer = 'hang';
      other.answer = 'hang';
      const first = f.services.notifier.sweep(); // the P1 goes to the first channel only (the second has no rule yet)
      while (s.received.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      await db.write((sql) => saveRule(sql, undefined, { channelId: id, group: null, triggers: ['escalated'], quiet: null, enabled: true }, 'admin', at));
      await f.services.db.write((sql) => f.services.moves.escalate(sql, 1, { username: 'eve' }, { to: 'third_line', reason: 'board' }, new ChangeSet()));
      f.clock.advanceSeconds(SETTLE_SEC + 1);
      other.answer = 200;
      // The first channel is still hanging on its first message; the second channel's message goes out.
      expect(await f.services.notifier.sweep()).toMatchObject({ queued: 2, sent: 1 });
      expect(other.received).toHaveLength(1);
      expect(s.received).toHaveLength(1);
      s.release(200);
      expect(await first).toMatchObject({ sent: 1 });
    } finally {
      await other.close();
    }
  });

  it('an event older than an hour when read (a seeded or imported history) raises nothing', async () => {
    const { fleet: f, sink: s } = await setUp({ a: 2 });
    await downAt(f, 'a', 1);
    f.clock.advanceSeconds(61 * 60);
    expect(await f.services.notifier.sweep()).toMatchObject({ queued: 0 });
    await downAt(f, 'a', 2, 'later'); // pos-1 now: a fresh P1 is still news
    f.clock.advanceSeconds(SETTLE_SEC + 1);
    expect(await f.services.notifier.sweep()).toMatchObject({ queued: 1, sent: 1 });
    expect(bodies(s).map((b) => b.ticket.registerId)).toEqual(['pos-1']);
  });

  it('finished deliveries are forgotten after 90 days; a pending one stays', async () => {
    const { fleet: f, sink: s } = await setUp({ a: 2, b: 2 });
    await downAt(f, 'a', 1);
    f.clock.advanceSeconds(SETTLE_SEC + 1);
    await f.services.notifier.sweep();
    await downAt(f, 'b', 1);
    f.clock.advanceSeconds(SETTLE_SEC + 1);
    s.answer = 500;
    await f.services.notifier.sweep();
    expect((await deliveries(f)).map((d) => d.status)).toEqual(['sent', 'pending']);
    f.clock.advanceSeconds(89 * 86_400);
    await f.services.notifier.sweep();
    expect(await deliveries(f)).toHaveLength(2);
    f.clock.advanceSeconds(2 * 86_400);
    await f.services.notifier.sweep();
    expect((await deliveries(f)).map((d) => [d.ticket_id, d.status])).toEqual([[2, 'pending']]);
  });

  it('a rule for another group, or without the trigger, queues nothing', async () => {
    const { fleet: f, sink: s } = await setUp({ a: 2 }, { group: 'fiscal' });
    await downAt(f, 'a', 1);
    f.clock.advanceSeconds(SETTLE_SEC + 1);
    expect(await f.services.notifier.sweep()).toMatchObject({ queued: 0 });
    expect(s.received).toHaveLength(0);
  });

  it('quiet hours hold a message until they end (Moscow time); a ticket resolved meanwhile is skipped; P1 may override', async () => {
    // 10:00 UTC is 13:00 in Moscow: inside 12:00–14:00.
    const quiet = { from: '12:00', to: '14:00', timeZone: 'Europe/Moscow', p1Overrides: false };
    const { fleet: f, sink: s } = await setUp({ a: 2, b: 2 }, { quiet });
    await downAt(f, 'a', 1);
    await downAt(f, 'b', 1);
    f.clock.advanceSeconds(SETTLE_SEC + 1);
    expect(await f.services.notifier.sweep()).toMatchObject({ queued: 2, sent: 0 });
    const held = await deliveries(f);
    expect(held.map((d) => [d.quiet, d.next_at])).toEqual([[1, '2026-11-22T11:00:00.000Z'], [1, '2026-11-22T11:00:00.000Z']]);
    // Store b's printer answers again: its ticket resolves itself before the quiet hours end.
    await f.services.ingest.submit(f.stores.get('b')![0]!, healthMessage('b-ok', [printerReport()]));
    f.clock.advanceSeconds(3600);
    expect(await f.services.notifier.sweep()).toMatchObject({ sent: 1, skipped: 1 });
    expect(bodies(s).map((b) => b.ticket.storeId)).toEqual(['a']);
    expect((await deliveries(f))[1]).toMatchObject({ status: 'skipped', last_error: 'ticket resolved during quiet hours' });
  });

  it('a message held for quiet hours that fails when they end is a plain retry from then on', async () => {
    const quiet = { from: '12:00', to: '14:00', timeZone: 'Europe/Moscow', p1Overrides: false };
    const { fleet: f, sink: s } = await setUp({ a: 2 }, { quiet });
    await downAt(f, 'a', 1);
    f.clock.advanceSeconds(SETTLE_SEC + 1);
    await f.services.notifier.sweep();
    expect(await deliveries(f)).toMatchObject([{ status: 'pending', quiet: 1 }]);
    s.answer = 500;
    f.clock.advanceSeconds(3600);
    expect(await f.services.notifier.sweep()).toMatchObject({ retrying: 1 });
    expect(await deliveries(f)).toMatchObject([{ status: 'pending', attempts: 1, quiet: 0 }]);
  });

  it('quiet hours with P1 override: a new P1 goes out at once', async () => {
    const quiet = { from: '12:00', to: '14:00', timeZone: 'Europe/Moscow', p1Overrides: true };
    const { fleet: f, sink: s } = await setUp({ a: 2 }, { quiet });
    await downAt(f, 'a', 1);
    f.clock.advanceSeconds(SETTLE_SEC + 1);
    expect(await f.services.notifier.sweep()).toMatchObject({ queued: 1, sent: 1 });
    expect(s.received).toHaveLength(1);
  });

  it('an escalation and an SLA warning are messages of their own', async () => {
    const { fleet: f, sink: s } = await setUp({ a: 2 }, { triggers: ['sla_warning', 'escalated'] });
    await downAt(f, 'a', 1);
    const [ticket] = await ticketsOf(f);
    const changes = new ChangeSet();
    await f.services.db.write((sql) => f.services.moves.escalate(sql, ticket!.id, { username: 'eve' }, { to: 'third_line', reason: 'printer board suspected' }, changes));
    f.clock.advanceSeconds(SETTLE_SEC + 1);
    await f.services.notifier.sweep();
    expect(bodies(s).map((b) => b.trigger)).toEqual(['escalated']);
    expect(bodies(s)[0]!.text.ru).toContain('printer board suspected');
    // The reaction clock turns amber (escalating is not a reaction): the SLA watch's warning is a message.
    const clocks = await f.services.db.sql.get<{ opened_at: string; react_by: string }>('SELECT opened_at, react_by FROM tickets WHERE id = ?', ticket!.id);
    const amberAt = Date.parse(clocks!.opened_at) + 0.8 * (Date.parse(clocks!.react_by) - Date.parse(clocks!.opened_at));
    f.clock.advanceSeconds((amberAt - f.clock.now().getTime()) / 1000);
    expect((await sweepSlaClocks({ db: f.services.db, bus: f.services.bus, now: f.clock.now })).map((alert) => alert.kind)).toEqual(['sla_warning']);
    f.clock.advanceSeconds(SETTLE_SEC + 1);
    await f.services.notifier.sweep();
    expect(bodies(s).map((b) => b.trigger)).toEqual(['escalated', 'sla_warning']);
    // The due time in the store's own clock and zone, not UTC.
    const zone = (await f.services.db.sql.get<{ time_zone: string }>("SELECT s.time_zone FROM tickets t JOIN agents a ON a.id = t.agent_id JOIN stores s ON s.id = a.store_id WHERE t.id = ?", ticket!.id))?.time_zone ?? 'Europe/Moscow';
    const due = DateTime.fromISO(clocks!.react_by, { zone: 'utc' }).setZone(zone).toFormat('dd.MM HH:mm');
    expect(bodies(s)[1]!.text.ru).toContain(`реакция до ${due} (${zone})`);
    expect(bodies(s)[1]!.text.en).toContain(`reaction due ${due} (${zone})`);
  });
});
