import { describe, expect, it } from 'vitest';
import { AGENT_MESSAGE_TYPES, AgentMessage } from './agent-messages';
import { MAX_FRAME_BYTES } from './envelope';
import { parseFrame } from './parse';

const hello = {
  v: 1,
  type: 'hello',
  id: 'm-1',
  ts: '2026-11-22T10:00:00.000Z',
  payload: {
    agentVersion: '0.1.0',
    os: { platform: 'linux', release: '6.1', hostname: 'pos-1' },
    inventory: [{ deviceId: 'printer', kind: 'receipt-printer', driver: 'escpos', transport: 'tcp', target: '127.0.0.1:9100' }],
    probeIntervalSec: 10,
  },
};

const parse = (raw: string) => parseFrame(raw, AgentMessage, AGENT_MESSAGE_TYPES);

describe('parseFrame', () => {
  it('accepts a valid message and drops unknown fields', () => {
    const result = parse(JSON.stringify({ ...hello, extra: 'x', payload: { ...hello.payload, sneaky: true } }));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value).not.toHaveProperty('extra');
    expect(result.value.payload).not.toHaveProperty('sneaky');
  });

  it.each([
    ['{not json', 'malformed_json'],
    ['[1,2]', 'bad_request'],
    [JSON.stringify({ ...hello, v: 2 }), 'unsupported_version'],
    [JSON.stringify({ ...hello, type: 'rm_rf' }), 'unknown_type'],
    [JSON.stringify({ ...hello, payload: { ...hello.payload, probeIntervalSec: -1 } }), 'bad_request'],
    [JSON.stringify({ ...hello, id: 'has spaces' }), 'bad_request'],
    ['x'.repeat(MAX_FRAME_BYTES + 1), 'frame_too_large'],
  ])('rejects %s… with a stable code', (raw, code) => {
    const result = parse(raw);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.code).toBe(code);
    expect(result.message.length).toBeGreaterThan(0);
  });

  it.each([
    ['{"v":{"toString":null},"type":"hello","id":"m-1"}', 'unsupported_version'],
    ['{"v":{"valueOf":{},"toString":1},"id":"m-1"}', 'unsupported_version'],
    ['{"v":1,"type":{"toString":null},"id":"m-1"}', 'unknown_type'],
  ])('never throws on a value String() cannot print: %s', (raw, code) => {
    expect(parse(raw)).toMatchObject({ ok: false, code, id: 'm-1' });
  });

  it('returns the id of a rejected envelope so the receiver can answer for it', () => {
    const result = parse(JSON.stringify({ ...hello, type: 'nope' }));
    expect(result).toMatchObject({ ok: false, id: 'm-1' });
  });
});

describe('cashier_feedback', () => {
  const feedback = {
    v: 1,
    type: 'cashier_feedback',
    id: 'fb-1',
    ts: '2026-11-22T10:00:00.000Z',
    payload: { reportId: 'rep-1', ticketId: 42, working: false, answeredAt: '2026-11-22T10:00:00.000Z' },
  };

  it('parses as an agent message', () => {
    const result = parse(JSON.stringify(feedback));
    expect(result).toEqual({ ok: true, value: feedback });
  });

  it.each([
    ['a string for working', { working: 'no' }],
    ['a zero ticket id', { ticketId: 0 }],
    ['a report id with spaces', { reportId: 'rep 1' }],
    ['a missing answeredAt', { answeredAt: undefined }],
  ])('rejects %s as bad_request', (_name, change) => {
    const result = parse(JSON.stringify({ ...feedback, payload: { ...feedback.payload, ...change } }));
    expect(result).toMatchObject({ ok: false, code: 'bad_request', id: 'fb-1' });
  });
});
