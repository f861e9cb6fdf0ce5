import type { KpiDuration, KpiRow } from '@tillscope/shared';
import quickselect from 'quickselect';
import type { KpiColumns } from './kpi-columns';

// The figures of every group of one level of a report (the total, the buckets, the slice values or
// the bucket × slice cells), one typed array per figure indexed by group: a report over 200,000
// facts adds into a few arrays instead of growing a JavaScript array per group and value (which
// spent most of its time in the garbage collector). Two passes over the same events:
// 1. `addOpened`/`addResolved` count and sum;
// 2. after `layout`, `placeOpened`/`placeResolved` put each duration into its group's stretch of one
//    array, where the group's nearest-rank p90 is selected in place (quickselect, linear time).

type Data = KpiColumns['data'];

/** One duration of every group: count, sum and "met" per group, and the values group after group. */
class DurationColumn {
  readonly count: Int32Array;
  readonly sum: Float64Array;
  readonly met: Int32Array;
  private values = new Float64Array(0);
  private start = new Int32Array(0);
  private next = new Int32Array(0);

  constructor(groups: number) {
    this.count = new Int32Array(groups);
    this.sum = new Float64Array(groups);
    this.met = new Int32Array(groups);
  }

  add(group: number, value: number, met: number): void {
    this.count[group]! += 1;
    this.sum[group]! += value;
    this.met[group]! += met;
  }

  /** Sizes each group's stretch from the counts of pass 1. */
  layout(): void {
    const groups = this.count.length;
    this.start = new Int32Array(groups + 1);
    for (let group = 0; group < groups; group += 1) this.start[group + 1] = this.start[group]! + this.count[group]!;
    this.values = new Float64Array(this.start[groups]!);
    this.next = this.start.slice(0, groups);
  }

  place(group: number, value: number): void {
    this.values[this.next[group]!] = value;
    this.next[group]! += 1;
  }

  /** The group's figure; `withMet`: also the share met (durations with an SLA target). */
  figure(group: number, withMet: boolean): KpiDuration {
    const count = this.count[group]!;
    return {
      count,
      meanSec: count === 0 ? null : this.sum[group]! / count,
      p90Sec: count === 0 ? null : this.p90(group),
      metShare: withMet ? share(this.met[group]!, count) : null,
    };
  }

  /** Nearest rank: the value at rank ⌈0.9·n⌉ of the group's sorted values (selected, not sorted). */
  private p90(group: number): number {
    const first = this.start[group]!;
    const last = this.start[group + 1]! - 1;
    const rank = first + Math.ceil(0.9 * (last - first + 1)) - 1;
    // quickselect is typed for arrays; it only indexes, which a Float64Array does the same way.
    quickselect(this.values as unknown as number[], rank, first, last);
    return this.values[rank]!;
  }
}

const share = (part: number, whole: number) => (whole === 0 ? null : part / whole);

/** Every group of one level. Contract: pass 1 for every event, then `layout`, then pass 2 for the same events, then `figures`. */
export class LevelFigures {
  readonly opened: Int32Array;
  readonly resolved: Int32Array;
  private readonly fcr: Int32Array;
  private readonly fcrOf: Int32Array;
  private readonly auto: Int32Array;
  private readonly overdue: Int32Array;
  private readonly reassignments: Int32Array;
  private readonly escalations: Int32Array;
  private readonly react: DurationColumn;
  private readonly resolve: DurationColumn;
  private readonly fault: DurationColumn;

  constructor(readonly groups: number) {
    this.opened = new Int32Array(groups);
    this.resolved = new Int32Array(groups);
    this.fcr = new Int32Array(groups);
    this.fcrOf = new Int32Array(groups);
    this.auto = new Int32Array(groups);
    this.overdue = new Int32Array(groups);
    this.reassignments = new Int32Array(groups);
    this.escalations = new Int32Array(groups);
    this.react = new DurationColumn(groups);
    this.resolve = new DurationColumn(groups);
    this.fault = new DurationColumn(groups);
  }

  /** Pass 1, a fact counted on its opening day. */
  addOpened(group: number, c: Data, row: number): void {
    this.opened[group]! += 1;
    const react = c.reactSec[row]!;
    if (!Number.isNaN(react)) this.react.add(group, react, c.reactMet[row] === 1 ? 1 : 0);
    this.overdue[group]! += c.overdue[row]!;
    this.reassignments[group]! += c.reassignments[row]!;
    this.escalations[group]! += c.escalations[row]!;
    const fault = c.faultSec[row]!;
    if (!Number.isNaN(fault)) this.fault.add(group, fault, 0);
  }

  /** Pass 1, a fact counted on its resolution day. */
  addResolved(group: number, c: Data, row: number): void {
    this.resolved[group]! += 1;
    const resolve = c.resolveSec[row]!;
    if (!Number.isNaN(resolve)) this.resolve.add(group, resolve, c.resolveMet[row] === 1 ? 1 : 0);
    if (c.resolvedBy[row] === 2) this.auto[group]! += 1;
    const fcr = c.fcr[row]!;
    if (fcr !== -1) {
      this.fcrOf[group]! += 1;
      this.fcr[group]! += fcr;
    }
  }

  layout(): void {
    this.react.layout();
    this.resolve.layout();
    this.fault.layout();
  }

  /** Pass 2, the same fact as `addOpened`. */
  placeOpened(group: number, c: Data, row: number): void {
    const react = c.reactSec[row]!;
    if (!Number.isNaN(react)) this.react.place(group, react);
    const fault = c.faultSec[row]!;
    if (!Number.isNaN(fault)) this.fault.place(group, fault);
  }

  /** Pass 2, the same fact as `addResolved`. */
  placeResolved(group: number, c: Data, row: number): void {
    const resolve = c.resolveSec[row]!;
    if (!Number.isNaN(resolve)) this.resolve.place(group, resolve);
  }

  /** The group's row (one object literal: a spread of the figures into a row cost more than the figures). */
  row(bucket: string, key: string, group: number): KpiRow {
    const resolved = this.resolved[group]!;
    const fcr = this.fcr[group]!;
    const fcrOf = this.fcrOf[group]!;
    const auto = this.auto[group]!;
    return {
      bucket,
      key,
      opened: this.opened[group]!,
      resolved,
      reaction: this.react.figure(group, true),
      resolution: this.resolve.figure(group, true),
      firstContact: { count: fcr, of: fcrOf, share: share(fcr, fcrOf) },
      autoResolved: { count: auto, share: share(auto, resolved) },
      overdue: this.overdue[group]!,
      reassignments: this.reassignments[group]!,
      escalations: this.escalations[group]!,
      faultToTicket: this.fault.figure(group, false),
    };
  }
}
