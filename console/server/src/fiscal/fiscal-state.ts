import type { FiscalDeviceState, FiscalFacts } from '@tillscope/shared';

/**
 * The fiscal facts the console keeps for one device: each part (fn, ofd, shift) from the last report
 * that carried it, plus the document-rate reference. Pure data; the forecast is computed from it.
 */
export type FiscalFactsState = Omit<FiscalDeviceState, 'forecast'> & {
  /**
   * The first reading of the current FN: the base of the documents-per-day rate. Reset when the FN
   * serial changes or its document number goes down (a new drive).
   */
  rateReference: RateReference | null;
};

export interface RateReference {
  serial: string | null;
  number: number;
  at: string;
}

type FnPart = NonNullable<FiscalFactsState['fn']>;

/**
 * Folds one report's fiscal facts into the stored state. A part the report lacks (the register did
 * not answer that request) keeps its stored value and time. Inside the fn part a field the report
 * lacks keeps its stored value only while the FN is the same one (same or unknown serial).
 */
export function mergeFiscalReading(stored: FiscalFactsState | undefined, facts: FiscalFacts, receivedAt: string): FiscalFactsState {
  const fn = facts.fn ? mergeFn(stored?.fn ?? null, facts.fn, receivedAt) : (stored?.fn ?? null);
  const ofd = facts.ofd
    ? {
        readAt: receivedAt,
        unsentCount: facts.ofd.unsentCount,
        firstUnsentNumber: facts.ofd.firstUnsentNumber ?? null,
        firstUnsentAt: facts.ofd.firstUnsentAt ?? null,
        connected: facts.ofd.connected ?? null,
        error: facts.ofd.error ?? null,
      }
    : (stored?.ofd ?? null);
  const shift = facts.shift
    ? { readAt: receivedAt, state: facts.shift.state, number: facts.shift.number ?? null, openedAt: facts.shift.openedAt ?? null }
    : (stored?.shift ?? null);
  return {
    fn,
    ofd,
    shift,
    clockDriftSeconds: facts.clockDriftSeconds ?? stored?.clockDriftSeconds ?? null,
    rateReference: nextReference(stored?.rateReference ?? null, fn, facts.fn?.lastDocumentNumber, receivedAt),
  };
}

function mergeFn(stored: FnPart | null, reported: NonNullable<FiscalFacts['fn']>, receivedAt: string): FnPart {
  const sameDrive = stored !== null && (!reported.serial || !stored.serial || reported.serial === stored.serial);
  const kept = sameDrive ? stored : null;
  return {
    readAt: receivedAt,
    serial: reported.serial ?? kept?.serial ?? null,
    validUntil: reported.validUntil ?? kept?.validUntil ?? null,
    phase: reported.phase ?? kept?.phase ?? null,
    ffdVersion: reported.ffdVersion ?? kept?.ffdVersion ?? null,
    lastDocumentNumber: reported.lastDocumentNumber ?? kept?.lastDocumentNumber ?? null,
    warnings: reported.warnings ?? kept?.warnings ?? null,
  };
}

/**
 * The reference moves only when a reading carries a document number: to it, when there was none,
 * when the FN serial changed (both known), or when the number went down (the drive was replaced).
 */
function nextReference(reference: RateReference | null, fn: FnPart | null, reportedNumber: number | undefined, receivedAt: string): RateReference | null {
  if (reportedNumber === undefined) return reference;
  const serial = fn?.serial ?? null;
  const otherDrive = reference !== null && reference.serial !== null && serial !== null && reference.serial !== serial;
  if (reference === null || otherDrive || reportedNumber < reference.number) return { serial, number: reportedNumber, at: receivedAt };
  return reference.serial === null && serial !== null ? { ...reference, serial } : reference;
}

/**
 * Whether a new state differs from the stored one in what a person reads or the forecast uses;
 * read times and the clock drift (which moves a little on every probe) never count, the last
 * document number (which moves with every sale) only when `documentNumber` is true.
 */
export function factsDiffer(a: FiscalFactsState, b: FiscalFactsState, { documentNumber }: { documentNumber: boolean }): boolean {
  return JSON.stringify(comparable(a, documentNumber)) !== JSON.stringify(comparable(b, documentNumber));
}

function comparable(state: FiscalFactsState, documentNumber: boolean): unknown {
  const { fn, ofd, shift, rateReference } = state;
  return [
    fn && { ...fn, readAt: undefined, lastDocumentNumber: documentNumber ? fn.lastDocumentNumber : undefined },
    ofd && { ...ofd, readAt: undefined },
    shift && { ...shift, readAt: undefined },
    rateReference,
  ];
}
