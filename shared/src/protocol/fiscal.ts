import { z } from 'zod';

/**
 * What a fiscal register (ККТ) told the agent about the facts that block sales, normalised across
 * drivers (Shtrih-M commands 0x10/0x11/0xFF01/0xFF03/0xFF39/0xFF3F/0xFF40, ATOL getDeviceStatus,
 * getShiftStatus, getFnStatus, getFnInfo, ofdExchangeStatus, ismExchangeStatus). Every part is
 * optional: a register that did not answer one request still reports the others.
 *
 * Times the register keeps are its local wall-clock time (no zone on the wire of either protocol);
 * the agent converts them with the host's time zone, which is the store's. See devices.md §3–4.
 */
const deviceText = z.string().max(200);

export const ShiftState = z.enum(['open', 'closed', 'expired']);
export type ShiftState = z.infer<typeof ShiftState>;

export const FiscalShift = z.object({
  state: ShiftState,
  number: z.number().int().nonnegative().optional(),
  /**
   * When the shift opened. `device`: the register said so (ATOL expiredTime − 24 h);
   * `observed`: the agent saw the shift number change (Shtrih-M has no read-only command for it),
   * so the true time is at or before this.
   */
  openedAt: z.iso.datetime().optional(),
  openedAtSource: z.enum(['device', 'observed']).optional(),
});
export type FiscalShift = z.infer<typeof FiscalShift>;

/** The FN warning byte (devices.md §3.1), the same in every FN-based register. */
export const FnWarnings = z.object({
  /** bit 0: replace the crypto-processor urgently, 3 days or fewer left */
  replaceUrgently: z.boolean(),
  /** bit 1: crypto resource runs out in 30 days or fewer */
  resourceExhausted: z.boolean(),
  /** bit 2: archive 90 % full */
  archiveNearlyFull: z.boolean(),
  /** bit 3: OFD response timeout exceeded */
  ofdTimeout: z.boolean(),
  /** bit 7 on Shtrih-M ([S]: one codebase uses bit 6); ATOL criticalError */
  criticalError: z.boolean(),
});
export type FnWarnings = z.infer<typeof FnWarnings>;

export const FiscalDrive = z.object({
  serial: deviceText.optional(),
  /** The FN's key validity end (Shtrih-M 0xFF03, ATOL getFnInfo.validityDate), start of that day, local. */
  validUntil: z.iso.datetime().optional(),
  /** Life phase as the device names it, e.g. "fiscal mode", "post-fiscal". */
  phase: deviceText.optional(),
  /** Number of the last fiscal document (FD); with history it gives the document rate. */
  lastDocumentNumber: z.number().int().nonnegative().optional(),
  registrationsLeft: z.number().int().nonnegative().optional(),
  ffdVersion: deviceText.optional(),
  warnings: FnWarnings.optional(),
});
export type FiscalDrive = z.infer<typeof FiscalDrive>;

export const OfdExchange = z.object({
  /** Documents the OFD has not confirmed (Shtrih-M 0xFF39 / 0xFF3F, ATOL notSentCount). */
  unsentCount: z.number().int().nonnegative(),
  firstUnsentNumber: z.number().int().nonnegative().optional(),
  /** The first unconfirmed document: the 30-day lock counts from here. */
  firstUnsentAt: z.iso.datetime().optional(),
  /** Transport connection to the OFD up (Shtrih-M FF39 bit 0), when the device says. */
  connected: z.boolean().optional(),
  /** The last exchange error in plain words, when the device reports one. */
  error: deviceText.optional(),
  lastSuccessAt: z.iso.datetime().optional(),
});
export type OfdExchange = z.infer<typeof OfdExchange>;

/** Notifications for the marking system (ИСМ), FFD 1.2 only. */
export const IsmExchange = z.object({
  unsentCount: z.number().int().nonnegative(),
  firstUnsentAt: z.iso.datetime().optional(),
});
export type IsmExchange = z.infer<typeof IsmExchange>;

export const FiscalFacts = z.object({
  /** The register's clock minus the host's, seconds, measured at the status read. */
  clockDriftSeconds: z.number().optional(),
  /** The register's clock as it read it, ISO without zone conversion guesswork: local wall time. */
  registerClock: z.string().max(32).optional(),
  /** Shtrih-M mode 8 / ATOL receipt open: the probe stopped after the one status read. */
  documentOpen: z.boolean().optional(),
  shift: FiscalShift.optional(),
  fn: FiscalDrive.optional(),
  ofd: OfdExchange.optional(),
  ism: IsmExchange.optional(),
});
export type FiscalFacts = z.infer<typeof FiscalFacts>;

/** Who the device is: goes into the register's inventory. Strings come from hardware: bounded. */
export const DeviceIdentity = z.object({
  model: deviceText.optional(),
  serial: deviceText.optional(),
  firmware: deviceText.optional(),
  fnSerial: deviceText.optional(),
  ffdVersion: deviceText.optional(),
});
export type DeviceIdentity = z.infer<typeof DeviceIdentity>;
