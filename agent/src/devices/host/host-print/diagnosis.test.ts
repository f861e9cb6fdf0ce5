// The pure parts: the verdict, driver-version tracking, job waits and restart counting.
import { describe, expect, it } from 'vitest';
import { HOST_PRINT_CODES, judgePrint, type PrintObservation } from './diagnosis';
import { DriversState, trackDrivers } from './drivers-state';
import { queueWaits, restartsInWindow, type RestartSample } from './reading';

const now = new Date('2026-11-30T10:30:00Z');
const limits = { now, stuckAfterSec: 300, crashRestarts: 3, crashWindowHours: 24 };
const running = { name: 'Spooler', state: 'running' as const, startMode: 'auto' as const };
const healthy: PrintObservation = { system: 'windows-spooler', service: running, restarts: 0, restartLoop: false, waits: [], driversRead: true, driverChanges: [] };
const HOUR = 3600_000;

describe('judgePrint', () => {
  it('a healthy print system: no finding, every code vouched for', () => {
    expect(judgePrint(healthy, limits)).toEqual({ findings: [], checked: ['host.print_service_stopped', 'host.print_service_crashing', 'host.print_queue_stuck', 'host.driver_changed'] });
  });

  it('emits only its declared codes', () => {
    const worst: PrintObservation = {
      ...healthy,
      service: { ...running, state: 'stopped', startMode: 'disabled' },
      restarts: 9,
      restartLoop: true,
      waits: [{ queue: 'q', jobCount: 1, waitingSince: new Date(0) }],
      driverChanges: [{ key: 'k', name: 'd', from: '1', to: '2', at: now.toISOString() }],
    };
    const codes = judgePrint(worst, limits).findings.map((f) => f.code);
    expect(codes).toEqual(['host.print_service_stopped', 'host.print_service_crashing', 'host.print_queue_stuck', 'host.driver_changed']);
    for (const code of codes) expect(HOST_PRINT_CODES).toContain(code);
  });

  it('a stopped, disabled service says so', () => {
    const { findings } = judgePrint({ ...healthy, service: { ...running, state: 'stopped', startMode: 'disabled' } }, limits);
    expect(findings).toEqual([{ code: 'host.print_service_stopped', detail: 'the Windows print spooler (Spooler) is not running and is disabled (a policy or an update may have turned it off)' }]);
  });

  it('crashing from the restart count at the limit, not below it', () => {
    expect(judgePrint({ ...healthy, restarts: 2 }, limits).findings).toEqual([]);
    expect(judgePrint({ ...healthy, restarts: 3 }, limits).findings.map((f) => f.code)).toEqual(['host.print_service_crashing']);
  });

  it('a queue is stuck once its oldest job has waited stuckAfterSec, not a second before', () => {
    const wait = (sec: number) => ({ ...healthy, waits: [{ queue: 'receipt', jobCount: 2, waitingSince: new Date(now.getTime() - sec * 1000) }] });
    expect(judgePrint(wait(299), limits).findings).toEqual([]);
    expect(judgePrint(wait(300), limits).findings[0]?.detail).toBe('jobs stuck in 1 OS print queue(s): "receipt": 2 job(s), the oldest waiting since 2026-11-30T10:25:00.000Z (5 min)');
  });

  it('what could not be read is not vouched for and raises nothing (never a false "ok")', () => {
    const blind: PrintObservation = { system: 'cups', service: undefined, restarts: undefined, restartLoop: false, waits: undefined, driversRead: false, driverChanges: [] };
    expect(judgePrint(blind, limits)).toEqual({ findings: [], checked: [] });
    expect(judgePrint({ ...blind, service: { name: 'cups.service', state: 'unknown', startMode: 'auto' } }, limits).checked).toEqual([]);
  });
});

describe('trackDrivers', () => {
  const seen = (version: string | undefined) => [{ key: 'EPSON|Windows x64', name: 'EPSON TM-T(203dpi) Receipt6', version }];

  it('the first look is the baseline: no change', () => {
    const first = trackDrivers(undefined, seen('6.0.0.0'), now, 24 * HOUR);
    expect(first.active).toEqual([]);
    expect(first.dirty).toBe(true);
    expect(first.state.versions).toEqual({ 'EPSON|Windows x64': '6.0.0.0' });
  });

  it('a version that differs from the one saved is a change; it stands for the hold time, then goes', () => {
    const before = trackDrivers(undefined, seen('6.0.0.0'), now, 24 * HOUR).state;
    const changed = trackDrivers(before, seen('6.1.0.0'), now, 24 * HOUR);
    expect(changed.active).toEqual([{ key: 'EPSON|Windows x64', name: 'EPSON TM-T(203dpi) Receipt6', from: '6.0.0.0', to: '6.1.0.0', at: now.toISOString() }]);
    const later = (hours: number) => trackDrivers(changed.state, seen('6.1.0.0'), new Date(now.getTime() + hours * HOUR), 24 * HOUR);
    expect(later(23.9).active).toHaveLength(1);
    expect(later(23.9).dirty).toBe(false);
    expect(later(24.1).active).toEqual([]);
    expect(later(24.1).dirty).toBe(true);
  });

  it('a driver removed and put back at another version is a change; one without a version is not compared', () => {
    const before = trackDrivers(undefined, seen('6.0.0.0'), now, 24 * HOUR).state;
    const gone = trackDrivers(before, [], now, 24 * HOUR).state;
    expect(trackDrivers(gone, seen('5.9.0.0'), now, 24 * HOUR).active.map((c) => c.from)).toEqual(['6.0.0.0']);
    expect(trackDrivers(before, seen(undefined), now, 24 * HOUR).active).toEqual([]);
  });

  it('its state round-trips through JSON and its schema (what the state file holds)', () => {
    const changed = trackDrivers(trackDrivers(undefined, seen('1'), now, HOUR).state, seen('2'), now, HOUR).state;
    expect(DriversState.parse(JSON.parse(JSON.stringify(changed)))).toEqual(changed);
    expect(DriversState.safeParse({ versions: 'x' }).success).toBe(false);
  });
});

describe('queueWaits', () => {
  it('the oldest job per queue, by its submit time or when first seen (a job with no date), forgetting jobs gone', () => {
    const firstSeen = new Map<string, number>();
    const t0 = new Date('2026-11-30T10:00:00Z');
    const jobs = [
      { queue: 'receipt', id: '1', submittedAt: new Date('2026-11-30T09:50:00Z') },
      { queue: 'receipt', id: '2', submittedAt: new Date('2026-11-30T09:55:00Z') },
      { queue: 'office', id: '3', submittedAt: undefined },
    ];
    expect(queueWaits(jobs, firstSeen, t0)).toEqual([
      { queue: 'receipt', jobCount: 2, waitingSince: new Date('2026-11-30T09:50:00Z') },
      { queue: 'office', jobCount: 1, waitingSince: t0 },
    ]);
    const t1 = new Date('2026-11-30T10:10:00Z');
    expect(queueWaits(jobs.slice(2), firstSeen, t1)).toEqual([{ queue: 'office', jobCount: 1, waitingSince: t0 }]);
    expect([...firstSeen.keys()]).toEqual(['office\u00003']);
  });
});

describe('restartsInWindow (systemd NRestarts is a running total)', () => {
  it('counts the rise within the window from the first sample, a reset counts from zero, old samples drop out', () => {
    const samples: RestartSample[] = [];
    const at = (hours: number) => new Date(now.getTime() + hours * HOUR);
    expect(restartsInWindow(samples, 7, at(0), 24 * HOUR)).toBe(0); // restarts before the agent looked are not counted
    expect(restartsInWindow(samples, 9, at(1), 24 * HOUR)).toBe(2);
    expect(restartsInWindow(samples, 1, at(2), 24 * HOUR)).toBe(3); // a manual restart reset the total to 0, then one more
    expect(restartsInWindow(samples, 1, at(26), 24 * HOUR)).toBe(0); // the rises up to 2 h fell out of the window
    expect(restartsInWindow(samples, 4, at(27), 24 * HOUR)).toBe(3);
    expect(samples.length).toBeLessThanOrEqual(3);
  });
});
