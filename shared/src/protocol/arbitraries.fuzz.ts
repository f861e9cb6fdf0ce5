// fast-check generators of VALID wire messages (every field within its schema, defaults filled in,
// so `parse(JSON.stringify(m))` must give `m` back). Fuzzing only: not exported from the package
// entry point. Pure like the rest of shared: no Node, DOM or Electron API.
import fc from 'fast-check';
import { ChecklistResult, ChecklistStep } from '../catalogue/checklist';
import { DiagnosisCode } from '../catalogue/codes';
import { Symptom } from '../catalogue/symptoms';
import { ErrorCode } from '../errors';
import { Locale } from '../i18n';
import type { AgentMessage } from './agent-messages';
import { DeviceHealth, DeviceKind, DriverId, TransportKind, type DeviceReport, type Exchange, type InventoryItem } from './device';
import { PROTOCOL_VERSION } from './envelope';
import type { ServerMessage, TicketRef } from './server-messages';
import { CommandVerb, TicketProgress, TicketStatus } from './server-messages';

const oneOf = <T extends string>(values: readonly T[]) => fc.constantFrom(...values);

/** Any UTF-16 text up to `max` code units (lone surrogates included: JSON carries them). */
export const text = (max: number) => fc.string({ unit: 'binary', maxLength: Math.min(max, 24) }).map((s) => s.slice(0, max));

export const messageId = fc.stringMatching(/^[A-Za-z0-9_.:-]{1,64}$/);
export const isoTime = fc
  .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true })
  .map((d) => d.toISOString());

const hexBytes = fc
  .uint8Array({ maxLength: 8 })
  .map((bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' '));

const decodedField = fc.record({
  field: text(64),
  set: fc.boolean(),
  meaning: fc.record({ ru: text(200), en: text(200) }),
  alarm: fc.boolean(),
});

const exchange: fc.Arbitrary<Exchange> = fc.record({
  label: text(200),
  request: hexBytes,
  reply: fc.option(hexBytes, { nil: null }),
  discarded: hexBytes,
  valid: fc.boolean(),
  decoded: fc.array(decodedField, { maxLength: 2 }),
  elapsedMs: fc.nat(),
});

export const deviceReport: fc.Arbitrary<DeviceReport> = fc.record(
  {
    deviceId: fc.string({ unit: 'binary', minLength: 1, maxLength: 32 }),
    kind: oneOf(DeviceKind.options),
    driver: oneOf(DriverId.options),
    model: text(200),
    health: oneOf(DeviceHealth.options),
    findings: fc.array(fc.record({ code: oneOf(DiagnosisCode.options), detail: text(500) }), { maxLength: 2 }),
    checklist: fc.array(fc.record({ step: oneOf(ChecklistStep.options), result: oneOf(ChecklistResult.options), observed: text(500) }), { maxLength: 2 }),
    evidence: fc.record(
      { transport: oneOf(TransportKind.options), target: text(200), transportError: text(200), exchanges: fc.array(exchange, { maxLength: 2 }) },
      { requiredKeys: ['transport', 'target', 'exchanges'] },
    ),
    probedAt: isoTime,
    durationMs: fc.nat(),
  },
  { requiredKeys: ['deviceId', 'kind', 'driver', 'health', 'findings', 'checklist', 'evidence', 'probedAt', 'durationMs'] },
);

const inventoryItem: fc.Arbitrary<InventoryItem> = fc.record({
  deviceId: fc.string({ unit: 'binary', minLength: 1, maxLength: 32 }),
  kind: oneOf(DeviceKind.options),
  driver: oneOf(DriverId.options),
  transport: oneOf(TransportKind.options),
  target: text(200),
});

function envelopeOf<T extends string, P>(type: T, payload: fc.Arbitrary<P>) {
  return fc.record({ v: fc.constant(PROTOCOL_VERSION), type: fc.constant(type), id: messageId, ts: isoTime, payload });
}

const devices = fc.array(deviceReport, { maxLength: 2 });

/** Every agent→server message type, valid. */
export const agentMessage: fc.Arbitrary<AgentMessage> = fc.oneof(
  envelopeOf(
    'hello',
    fc.record({
      agentVersion: text(32),
      os: fc.record({ platform: text(32), release: text(128), hostname: text(128) }),
      inventory: fc.array(inventoryItem, { maxLength: 2 }),
      probeIntervalSec: fc.double({ min: 0.001, max: 86_400, noNaN: true }),
    }),
  ),
  envelopeOf('health', fc.record({ devices })),
  envelopeOf('cashier_report', fc.record({ symptom: oneOf(Symptom.options), note: text(500), locale: oneOf(Locale.options), reportedAt: isoTime, diagnosis: devices })),
  envelopeOf(
    'command_result',
    fc.oneof(
      fc.record({ commandId: messageId, ok: fc.constant(true as const), devices }),
      fc.record({ commandId: messageId, ok: fc.constant(false as const), code: oneOf(ErrorCode.options), message: text(500) }),
    ),
  ),
  envelopeOf('cashier_feedback', fc.record({ reportId: messageId, ticketId: fc.integer({ min: 1, max: 2 ** 31 }), working: fc.boolean(), answeredAt: isoTime })),
  envelopeOf('command_started', fc.record({ commandId: messageId, startedAt: isoTime })),
);

const ticketRef: fc.Arbitrary<TicketRef> = fc.record({
  ticketId: fc.integer({ min: 1, max: 2 ** 31 }),
  status: oneOf(TicketStatus.options),
  reactBy: isoTime,
  reactMinutes: fc.integer({ min: 1, max: 100_000 }),
  progress: oneOf(TicketProgress.options),
  autoCloseAt: isoTime,
}, { requiredKeys: ['ticketId', 'status', 'reactBy', 'reactMinutes'] });

/** Every server→agent message type, valid. */
export const serverMessage: fc.Arbitrary<ServerMessage> = fc.oneof(
  envelopeOf(
    'ack',
    fc.oneof(
      fc.record({ ackOf: messageId, ok: fc.constant(true as const), ticket: ticketRef }, { requiredKeys: ['ackOf', 'ok'] }),
      fc.record({ ackOf: messageId, ok: fc.constant(false as const), code: oneOf(ErrorCode.options), message: text(500) }),
    ),
  ),
  envelopeOf(
    'command',
    fc.record(
      { commandId: messageId, verb: oneOf(CommandVerb.options), deviceId: text(64), ticketId: fc.integer({ min: 1, max: 2 ** 31 }), requestedBy: text(64), expiresAt: isoTime },
      { requiredKeys: ['commandId', 'verb'] },
    ),
  ),
  envelopeOf('ticket_update', fc.record({ reportId: messageId, ticket: ticketRef }, { requiredKeys: ['ticket'] })),
);
