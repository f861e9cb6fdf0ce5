// The simulated Shtrih-M register's settable state and the replies it gives to each command,
// byte for byte. Pure: the time is a parameter. Layouts: docs/devices.md §3.1, written here
// independently of the agent's decoders so that the two check each other.
import { z } from 'zod';

const DAY_MS = 24 * 60 * 60 * 1000;
const localDateTime = z.iso.datetime({ local: true, offset: true });

/** The commands the simulator answers; anything else gets the "not supported" error (below). */
export const SIM_COMMANDS = [0x10, 0x11, 0xfc, 0xff01, 0xff03, 0xff39, 0xff3f, 0xff40] as const;

/** "0x10", "0xFF01": command keys in `commandErrors` and in the log. */
export function commandKey(code: number): string {
  return `0x${code.toString(16).toUpperCase().padStart(2, '0')}`;
}

export const RegisterState = z.object({
  /** when the current shift opened (ISO); null: shift closed (mode 4). Open ≥ 24 h: mode 3. */
  shiftOpenedAt: localDateTime.nullable(),
  shiftNumber: z.number().int().min(0).max(0xffff),
  receiptNumber: z.number().int().min(0).max(0xffff),
  /** last day of the FN's key validity, "YYYY-MM-DD" (FF03) */
  fnValidUntil: z.iso.date(),
  fnSerial: z.string().regex(/^[0-9]{16}$/, '16 digits'),
  /** FN life phase byte (FF01 byte 1): 3 = fiscal mode */
  fnPhase: z.number().int().min(0).max(255),
  registrationsLeft: z.number().int().min(0).max(255),
  registrationsDone: z.number().int().min(0).max(255),
  /** FN warning flags (FF01 byte 5): bits 0..3 and bit 7 by name, any other bits raw */
  fnReplaceUrgently: z.boolean(),
  fnResourceExhausted: z.boolean(),
  fnArchiveNearlyFull: z.boolean(),
  fnOfdTimeout: z.boolean(),
  fnCriticalError: z.boolean(),
  fnWarningExtraBits: z.number().int().min(0).max(255),
  /** documents the OFD has not confirmed (FF39 count, FF3F) and the first of them */
  ofdUnsentCount: z.number().int().min(0).max(0xffff),
  ofdFirstUnsentNumber: z.number().int().min(0).max(0xffff_ffff),
  ofdFirstUnsentAt: localDateTime.nullable(),
  ofdConnected: z.boolean(),
  /** the last fiscal document number, as of the moment it was set; it then advances at documentsPerDay */
  lastFdNumber: z.number().int().min(0).max(0xffff_ffff),
  documentsPerDay: z.number().min(0).max(100_000),
  /** paper out: flags bits 1 and 7 clear, submode 1 (unless submode is set) */
  paperOut: z.boolean(),
  /** cover up: flags bit 10 */
  coverOpen: z.boolean(),
  /** mode and submode as the register reports them; null: derived (shift → 2/3/4, paper → submode 1) */
  mode: z.number().int().min(0).max(15).nullable(),
  /** high nibble of the mode byte (mode 8: 0 sale, 1 purchase, 2 sale return, 3 purchase return) */
  modeStatus: z.number().int().min(0).max(15),
  submode: z.number().int().min(0).max(255).nullable(),
  /** error code to answer a command with instead of its data, by command key ("0x10", "0xFF01") */
  commandErrors: z.record(z.string().regex(/^0x(?:[0-9A-F]{2}|FF[0-9A-F]{2})$/, 'a command key such as "0x10" or "0xFF01"'), z.number().int().min(1).max(255)),
  /** the register clock minus real time, seconds */
  clockOffsetSeconds: z.number().min(-10 * 365 * 86400).max(10 * 365 * 86400),
  serialNumber: z.number().int().min(0).max(0xffff_ffff),
  /** 0xFC model byte and name; the values are the simulator's, not a real model's table */
  modelByte: z.number().int().min(0).max(255),
  deviceName: z.string().max(40),
  /** line behaviour */
  silent: z.boolean(),
  /** ENQ answered with bytes that are neither ACK nor NAK */
  garbage: z.boolean(),
  /** delay before each reply frame (after the ACK), ms */
  slowReplyMs: z.number().int().min(0).max(60_000),
  /** 0xFF filler bytes before every control byte and frame the register sends */
  fillers: z.boolean(),
  /** NAK this many command frames (LRC ok) before accepting one; counts down */
  nakCommands: z.number().int().min(0).max(100),
  /** send this many reply frames with a wrong LRC (a resend after NAK+ENQ is right); counts down */
  badLrcReplies: z.number().int().min(0).max(100),
  /** the register holds an unread answer (a stale 0x10 reply): the next ENQ gets ACK and it */
  pendingAnswer: z.boolean(),
  /** another program holds the port (pty: locked by a holder; TCP: connections accepted and dropped) */
  portBusy: z.boolean(),
});
export type RegisterState = z.infer<typeof RegisterState>;

/** A partial update, as PUT /state and setState() accept it. Unknown keys are an error. */
export const RegisterStatePatch = RegisterState.partial().strict();
export type RegisterStatePatch = z.infer<typeof RegisterStatePatch>;

/** A healthy register: shift closed, FN valid for a year from `now`, everything sent to the OFD. */
export function healthyRegister(now: Date): RegisterState {
  const validUntil = new Date(now.getTime() + 365 * DAY_MS);
  return {
    shiftOpenedAt: null,
    shiftNumber: 41,
    receiptNumber: 0,
    fnValidUntil: localDate(validUntil),
    fnSerial: '9999078900012345',
    fnPhase: 3,
    registrationsLeft: 11,
    registrationsDone: 1,
    fnReplaceUrgently: false,
    fnResourceExhausted: false,
    fnArchiveNearlyFull: false,
    fnOfdTimeout: false,
    fnCriticalError: false,
    fnWarningExtraBits: 0,
    ofdUnsentCount: 0,
    ofdFirstUnsentNumber: 0,
    ofdFirstUnsentAt: null,
    ofdConnected: true,
    lastFdNumber: 1200,
    documentsPerDay: 0,
    paperOut: false,
    coverOpen: false,
    mode: null,
    modeStatus: 0,
    submode: null,
    commandErrors: {},
    clockOffsetSeconds: 0,
    serialNumber: 12345678,
    modelByte: 0x13,
    deviceName: 'ШТРИХ-М-01Ф',
    silent: false,
    garbage: false,
    slowReplyMs: 0,
    fillers: false,
    nakCommands: 0,
    badLrcReplies: 0,
    pendingAnswer: false,
    portBusy: false,
  };
}

const pad2 = (n: number) => String(n).padStart(2, '0');
function localDate(d: Date): string {
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())}`;
}

/**
 * The register: its state, and the moment the FD counter was last set (from then on it advances
 * at `documentsPerDay`).
 */
export interface Register {
  state: RegisterState;
  fdCountedFrom: number;
}

export function createRegister(now: Date, patch: RegisterStatePatch = {}): Register {
  return { state: { ...healthyRegister(now), ...RegisterStatePatch.parse(patch) }, fdCountedFrom: now.getTime() };
}

/** Applies a validated patch. Setting the FD number or rate restarts the count from `now`. */
export function patchRegister(register: Register, patch: RegisterStatePatch, now: Date): void {
  const checked = RegisterStatePatch.parse(patch);
  if (checked.lastFdNumber === undefined && checked.documentsPerDay !== undefined) register.state.lastFdNumber = lastFdNumber(register, now);
  if (checked.lastFdNumber !== undefined || checked.documentsPerDay !== undefined) register.fdCountedFrom = now.getTime();
  register.state = { ...register.state, ...checked };
}

export function lastFdNumber(register: Register, now: Date): number {
  const days = Math.max(0, now.getTime() - register.fdCountedFrom) / DAY_MS;
  return Math.min(0xffff_ffff, register.state.lastFdNumber + Math.floor(days * register.state.documentsPerDay));
}

/** The mode the register reports: the override, else from the shift (2 under 24 h, 3 past, 4 closed). */
export function currentMode(state: RegisterState, now: Date): number {
  if (state.mode !== null) return state.mode;
  if (state.shiftOpenedAt === null) return 4;
  return now.getTime() - Date.parse(state.shiftOpenedAt) >= DAY_MS ? 3 : 2;
}

export function currentSubmode(state: RegisterState): number {
  return state.submode ?? (state.paperOut ? 1 : 0);
}

/** FR flags: receipt roll (bit 1), decimal point (bit 4), receipt optical sensor (bit 7), receipt lever down (bit 9); cover bit 10. */
export function frFlags(state: RegisterState): number {
  const paper = state.paperOut ? 0 : (1 << 1) | (1 << 7);
  return paper | (1 << 4) | (1 << 9) | (state.coverOpen ? 1 << 10 : 0);
}

export function fnWarningByte(state: RegisterState): number {
  return (
    state.fnWarningExtraBits |
    (state.fnReplaceUrgently ? 0x01 : 0) |
    (state.fnResourceExhausted ? 0x02 : 0) |
    (state.fnArchiveNearlyFull ? 0x04 : 0) |
    (state.fnOfdTimeout ? 0x08 : 0) |
    (state.fnCriticalError ? 0x80 : 0)
  );
}

const le16 = (n: number) => [n & 0xff, (n >>> 8) & 0xff];
const le32 = (n: number) => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
/** Local wall-clock parts of an instant (the register keeps local time, no zone). */
function parts(ms: number) {
  const d = new Date(ms);
  return { y: d.getFullYear() % 100, mo: d.getMonth() + 1, d: d.getDate(), h: d.getHours(), mi: d.getMinutes(), s: d.getSeconds() };
}
/** FN commands: Y M D H M (binary, year − 2000). */
function fnDateTime(ms: number | null): number[] {
  if (ms === null) return [0, 0, 0, 0, 0];
  const p = parts(ms);
  return [p.y, p.mo, p.d, p.h, p.mi];
}

/** CP1251 for ASCII and Russian letters (А..я, Ё, ё); anything else becomes "?". */
export function cp1251(text: string): number[] {
  return Array.from(text, (ch) => {
    const code = ch.codePointAt(0)!;
    if (code < 0x80) return code;
    if (code >= 0x410 && code <= 0x44f) return code - 0x410 + 0xc0;
    if (code === 0x401) return 0xa8;
    if (code === 0x451) return 0xb8;
    return 0x3f;
  });
}

/** The reply body (after CMD and the error byte 0) of each command the simulator implements. */
function replyData(command: number, register: Register, now: Date): number[] {
  const s = register.state;
  const clock = now.getTime() + s.clockOffsetSeconds * 1000;
  const mode = currentMode(s, now);
  const modeByte = (mode & 0x0f) | ((s.modeStatus & 0x0f) << 4);
  const shiftOpen = s.shiftOpenedAt !== null ? 1 : 0;
  switch (command) {
    case 0x10:
      // operator, flags, mode, submode, ops low, battery, supply, FP error, EKLZ error, ops high, 3 reserved
      return [30, ...le16(frFlags(s)), modeByte, currentSubmode(s), 0, 0x9a, 0xb4, 0, 0, 0, 0, 0, 0];
    case 0x11: {
      const c = parts(clock);
      return [
        30, 0x41, 0x34, ...le16(0x1234), 17, 5, 23, 1, ...le16(s.receiptNumber), ...le16(frFlags(s)), modeByte, currentSubmode(s), 1,
        0x41, 0x31, ...le16(1), 1, 1, 20,
        c.d, c.mo, c.y, c.h, c.mi, c.s,
        0, ...le32(s.serialNumber), ...le16(Math.max(0, s.shiftNumber - shiftOpen)), ...le16(0), s.registrationsDone, s.registrationsLeft, 0, 0, 0, 0, 0, 0,
      ];
    }
    case 0xfc:
      return [0, 0, 1, 13, s.modelByte, 0, ...cp1251(s.deviceName)];
    case 0xff01: {
      const documentOpen = mode === 8;
      return [s.fnPhase, documentOpen ? 0x04 : 0x00, documentOpen ? 1 : 0, shiftOpen, fnWarningByte(s), ...fnDateTime(clock), ...Array.from(s.fnSerial, (ch) => ch.charCodeAt(0)), ...le32(lastFdNumber(register, now))];
    }
    case 0xff03: {
      const [y, m, d] = s.fnValidUntil.split('-').map(Number) as [number, number, number];
      return [y - 2000, m, d, s.registrationsLeft, s.registrationsDone];
    }
    case 0xff39: {
      const status = (s.ofdConnected ? 0x01 : 0) | (s.ofdUnsentCount > 0 ? 0x02 : 0);
      const first = s.ofdUnsentCount > 0 && s.ofdFirstUnsentAt !== null ? Date.parse(s.ofdFirstUnsentAt) : null;
      return [status, 0, ...le16(s.ofdUnsentCount), ...le32(s.ofdUnsentCount > 0 ? s.ofdFirstUnsentNumber : 0), ...fnDateTime(first)];
    }
    case 0xff3f:
      return le16(s.ofdUnsentCount);
    case 0xff40:
      return [shiftOpen, ...le16(s.shiftNumber), ...le16(s.receiptNumber)];
    default:
      return [];
  }
}

/**
 * The simulator's answer to a command frame it received, as the payload CMD ERR DATA. A command it
 * does not implement gets an error and no data: FN error 0x01 "unknown command" for 0xFFxx, FR
 * error 0x37 "command not supported by this implementation" otherwise. That choice is the
 * simulator's (a real register would execute the command); it is never a fiscal operation here.
 */
export function answerCommand(register: Register, command: number, now: Date): { payload: number[]; error: number } {
  const head = command > 0xff ? [0xff, command & 0xff] : [command];
  const implemented = (SIM_COMMANDS as readonly number[]).includes(command);
  const error = implemented ? (register.state.commandErrors[commandKey(command)] ?? 0) : command > 0xff ? 0x01 : 0x37;
  return { payload: error !== 0 ? [...head, error] : [...head, 0, ...replyData(command, register, now)], error };
}
