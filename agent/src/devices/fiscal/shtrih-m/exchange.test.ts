import { Exchange } from '@tillscope/shared';
import { describe, expect, it } from 'vitest';
import { exchangeEvidence, runExchange, type ByteLink, type ExchangeRecord } from './exchange';
import { encodeFrame, requestFrame } from './protocol';
import { toHex } from '../../common/hex';
import { decodeReply } from './replies';

const bytes = (hex: string) => (hex.trim() === '' ? new Uint8Array(0) : Uint8Array.from(hex.trim().split(/\s+/), (h) => Number.parseInt(h, 16)));

/**
 * A scripted device: each step names the bytes the host must write next and what the device then
 * makes readable (chunks, in order; none = silence; 'gap' = one read that times out). A read with
 * nothing queued times out at once, advancing the fake clock by its timeout. Any write off the
 * script fails the test.
 */
function scriptedLink(steps: { host: string; device?: string[] }[]) {
  const queue: Uint8Array[] = [];
  let clock = 0;
  const written: string[] = [];
  const link: ByteLink & { closeNow?: boolean } = {
    async write(data) {
      const hex = toHex(data);
      written.push(hex);
      const step = steps.shift();
      if (!step) throw new Error(`the host wrote ${hex} after the script ended`);
      if (step.host !== hex) throw new Error(`the host wrote ${hex}, the script expected ${step.host}`);
      for (const chunk of step.device ?? []) queue.push(chunk === 'gap' ? new Uint8Array(0) : bytes(chunk));
    },
    async read(timeoutMs) {
      const chunk = queue.shift();
      if (chunk && chunk.length > 0) return chunk;
      if (!chunk && link.closeNow) throw new Error('port closed by the device');
      clock += timeoutMs;
      return null;
    },
    async drain() {
      queue.length = 0;
    },
  };
  return { link, now: () => clock, written, left: () => steps.length };
}

const ENQ = '05';
const FRAME_10 = toHex(requestFrame(0x10));
const REPLY_10 = toHex(encodeFrame(bytes('10 00 1e 82 02 04 00 00 9a b4 00 00 00 00 00 00')));
const HELD_FF01 = toHex(encodeFrame(bytes('ff 01 00 03 00 00 00 00 1a 02 03 0e 19 39 39 39 39 30 37 38 39 30 30 30 31 32 33 34 35 34 12 00 00')));
const badLrc = (frameHex: string) => frameHex.replace(/..$/, (last) => (Number.parseInt(last, 16) ^ 0x55).toString(16).padStart(2, '0'));

function expectReply(record: ExchangeRecord) {
  expect(record.outcome.kind).toBe('reply');
  if (record.outcome.kind !== 'reply') throw new Error('no reply');
  expect(toHex(record.outcome.frame)).toBe(REPLY_10);
  return record;
}

describe('runExchange: the handshake', () => {
  it('idle device: ENQ, NAK, frame, ACK, reply, ACK', async () => {
    const s = scriptedLink([{ host: ENQ, device: ['15'] }, { host: FRAME_10, device: ['06', REPLY_10] }, { host: '06' }]);
    const record = expectReply(await runExchange(s.link, 0x10, { now: s.now }));
    expect(s.left()).toBe(0);
    expect(toHex(record.sent)).toBe(`05 ${FRAME_10} 06`);
    expect(toHex(record.other)).toBe('15 06');
    expect(record.counts).toEqual({ enq: 1, commandSends: 1, replyRetries: 0, unreadAnswers: 0 });
  });

  it('skips 0xFF fillers before control bytes and frames, and survives any split', async () => {
    const replyBytes = REPLY_10.split(' ');
    const s = scriptedLink([
      { host: ENQ, device: ['ff ff', 'ff 15'] },
      { host: FRAME_10, device: ['ff 06 ff', replyBytes.slice(0, 3).join(' '), replyBytes.slice(3).join(' ')] },
      { host: '06' },
    ]);
    const record = expectReply(await runExchange(s.link, 0x10, { now: s.now }));
    expect(toHex(record.other)).toBe('ff ff ff 15 ff 06 ff');
  });

  it('resends the command after NAK, up to the bound', async () => {
    const s = scriptedLink([{ host: ENQ, device: ['15'] }, { host: FRAME_10, device: ['15'] }, { host: FRAME_10, device: ['06', REPLY_10] }, { host: '06' }]);
    expect((expectReply(await runExchange(s.link, 0x10, { now: s.now }))).counts.commandSends).toBe(2);

    // sent once, resent twice, NAKed each time
    const refusing = scriptedLink([{ host: ENQ, device: ['15'] }, ...[1, 2, 3].map(() => ({ host: FRAME_10, device: ['15'] }))]);
    const refused = await runExchange(refusing.link, 0x10, { now: refusing.now, limits: { maxCommandResends: 2 } });
    expect(refused.outcome).toEqual({ kind: 'refused' });
    expect(refusing.left()).toBe(0);
  });

  it('unread answer: ENQ gets ACK, the held answer is read, ACKed, discarded, then ENQ again', async () => {
    const s = scriptedLink([
      { host: ENQ, device: ['06', HELD_FF01] },
      { host: '06' },
      { host: ENQ, device: ['15'] },
      { host: FRAME_10, device: ['06', REPLY_10] },
      { host: '06' },
    ]);
    const record = expectReply(await runExchange(s.link, 0x10, { now: s.now }));
    expect(record.counts.unreadAnswers).toBe(1);
    expect(toHex(record.other)).toBe(`06 ${HELD_FF01} 15 06`);
    expect(toHex(record.sent)).toBe(`05 06 05 ${FRAME_10} 06`);
  });

  it('a device that keeps holding answers is given up on after the bound', async () => {
    const steps = [];
    for (let i = 0; i < 3; i += 1) steps.push({ host: ENQ, device: ['06', HELD_FF01] }, { host: '06' });
    const s = scriptedLink(steps);
    expect((await runExchange(s.link, 0x10, { now: s.now, limits: { maxUnreadAnswers: 2 } })).outcome).toEqual({ kind: 'unread_answers' });
    expect(s.left()).toBe(0);
  });

  it('silence: ENQ is repeated up to the bound, then no connection', async () => {
    const s = scriptedLink([{ host: ENQ }, { host: ENQ }, { host: ENQ }]);
    const record = await runExchange(s.link, 0x10, { now: s.now });
    expect(record.outcome).toEqual({ kind: 'no_connection' });
    expect(record.counts.enq).toBe(3);
    expect(s.now()).toBe(300); // three byte timeouts of 100 ms
  });

  it('garbage to ENQ is not a connection, and it is kept as evidence', async () => {
    const s = scriptedLink([{ host: ENQ, device: ['00 13 37'] }, { host: ENQ, device: ['fe'] }, { host: ENQ }]);
    const record = await runExchange(s.link, 0x10, { now: s.now });
    expect(record.outcome).toEqual({ kind: 'garbage' });
    expect(toHex(record.other)).toBe('00 13 37 fe');
  });

  it('a reply with a bad LRC: NAK, ENQ, the device ACKs and resends', async () => {
    const s = scriptedLink([
      { host: ENQ, device: ['15'] },
      { host: FRAME_10, device: ['06', badLrc(REPLY_10)] },
      { host: '15 05', device: ['06', REPLY_10] },
      { host: '06' },
    ]);
    const record = expectReply(await runExchange(s.link, 0x10, { now: s.now }));
    expect(record.counts.replyRetries).toBe(1);
    expect(toHex(record.other)).toContain(badLrc(REPLY_10));
  });

  it('replies that keep failing the LRC end as bad_reply, never as a reply', async () => {
    const s = scriptedLink([
      { host: ENQ, device: ['15'] },
      { host: FRAME_10, device: ['06', badLrc(REPLY_10)] },
      { host: '15 05', device: ['06', badLrc(REPLY_10)] },
      { host: '15 05', device: ['06', badLrc(REPLY_10)] },
    ]);
    expect((await runExchange(s.link, 0x10, { now: s.now })).outcome).toEqual({ kind: 'bad_reply' });
    expect(s.left()).toBe(0);
  });

  it('the device lost the reply when asked again (NAK to ENQ): bad_reply', async () => {
    const s = scriptedLink([{ host: ENQ, device: ['15'] }, { host: FRAME_10, device: ['06', badLrc(REPLY_10)] }, { host: '15 05', device: ['15'] }]);
    expect((await runExchange(s.link, 0x10, { now: s.now })).outcome).toEqual({ kind: 'bad_reply' });
  });

  it('acknowledged but no reply in time: no_reply after the reply timeout', async () => {
    const s = scriptedLink([{ host: ENQ, device: ['15'] }, { host: FRAME_10, device: ['06'] }]);
    const record = await runExchange(s.link, 0x10, { now: s.now, limits: { replyTimeoutMs: 700 } });
    expect(record.outcome).toEqual({ kind: 'no_reply' });
    expect(s.now()).toBe(800); // reply timeout + byte timeout
  });

  it('a frame cut short is abandoned after the byte timeout; a whole one after the gap is taken', async () => {
    const cut = REPLY_10.split(' ').slice(0, 6).join(' ');
    const s = scriptedLink([{ host: ENQ, device: ['15'] }, { host: FRAME_10, device: ['06', cut, 'gap', REPLY_10] }, { host: '06' }]);
    const record = expectReply(await runExchange(s.link, 0x10, { now: s.now }));
    expect(toHex(record.other)).toBe(`15 06 ${cut}`);

    const never = scriptedLink([{ host: ENQ, device: ['15'] }, { host: FRAME_10, device: ['06', cut] }]);
    const cutOnly = await runExchange(never.link, 0x10, { now: never.now, limits: { replyTimeoutMs: 100 } });
    expect(cutOnly.outcome).toEqual({ kind: 'no_reply' });
    expect(toHex(cutOnly.other)).toBe(`15 06 ${cut}`);
  });

  it('a stale answer to another command is acknowledged and set aside', async () => {
    const s = scriptedLink([{ host: ENQ, device: ['15'] }, { host: FRAME_10, device: ['06', HELD_FF01] }, { host: '06', device: [REPLY_10] }, { host: '06' }]);
    const record = expectReply(await runExchange(s.link, 0x10, { now: s.now }));
    expect(toHex(record.other)).toBe(`15 06 ${HELD_FF01}`);
  });

  it('answers to other commands, again and again, end as unread_answers', async () => {
    const s = scriptedLink([{ host: ENQ, device: ['15'] }, { host: FRAME_10, device: ['06', HELD_FF01] }, { host: '06', device: [HELD_FF01] }, { host: '06', device: [HELD_FF01] }, { host: '06' }]);
    // each one is acknowledged (the device may then drop it); the third is one too many
    expect((await runExchange(s.link, 0x10, { now: s.now, limits: { maxUnreadAnswers: 2 } })).outcome).toEqual({ kind: 'unread_answers' });
    expect(s.left()).toBe(0);
  });

  it('a closed port and an abort are outcomes, not exceptions', async () => {
    const s = scriptedLink([{ host: ENQ }]);
    s.link.closeNow = true;
    expect((await runExchange(s.link, 0x10, { now: s.now })).outcome).toEqual({ kind: 'transport', message: 'port closed by the device' });

    const controller = new AbortController();
    controller.abort();
    const t = scriptedLink([]);
    expect((await runExchange(t.link, 0x10, { now: t.now, signal: controller.signal })).outcome).toEqual({ kind: 'canceled' });
    expect(t.written).toEqual([]);
  });
});

describe('exchangeEvidence', () => {
  it('a reply: the bytes both ways and the decoded fields, valid by shared\'s schema', async () => {
    const s = scriptedLink([{ host: ENQ, device: ['15'] }, { host: FRAME_10, device: ['06', REPLY_10] }, { host: '06' }]);
    const record = await runExchange(s.link, 0x10, { now: s.now });
    const payload = record.outcome.kind === 'reply' ? record.outcome.payload : new Uint8Array(0);
    const evidence = Exchange.parse(exchangeEvidence(record, decodeReply(0x10, payload)));
    expect(evidence).toMatchObject({ label: '0x10 short status', request: `05 ${FRAME_10} 06`, reply: REPLY_10, discarded: '15 06', valid: true });
    expect(evidence.decoded.find((f) => f.field === 'byte 4 (mode)')?.value).toBe('4.0');
  });

  it('no reply: says why, nothing decoded, not valid', async () => {
    const s = scriptedLink([{ host: ENQ }, { host: ENQ }, { host: ENQ }]);
    const evidence = Exchange.parse(exchangeEvidence(await runExchange(s.link, 0x10, { now: s.now })));
    expect(evidence).toMatchObject({ label: '0x10 short status: no answer to ENQ', reply: null, valid: false, decoded: [] });
  });

  it('a reply that does not decode is kept but not valid', async () => {
    const short = toHex(encodeFrame(bytes('10 00 1e')));
    const s = scriptedLink([{ host: ENQ, device: ['15'] }, { host: FRAME_10, device: ['06', short] }, { host: '06' }]);
    const record = await runExchange(s.link, 0x10, { now: s.now });
    const payload = record.outcome.kind === 'reply' ? record.outcome.payload : new Uint8Array(0);
    const evidence = exchangeEvidence(record, decodeReply(0x10, payload));
    expect(evidence).toMatchObject({ reply: short, valid: false, decoded: [] });
    expect(evidence.label).toContain('at least 12 expected');
  });
});
