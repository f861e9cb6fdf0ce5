import { describe, expect, it } from 'vitest';
import { runExchange, type ByteLink } from '../../../agent/src/devices/fiscal/shtrih-m/exchange';
import { decodeReply } from '../../../agent/src/devices/fiscal/shtrih-m/replies';
import { frame, GARBAGE_BYTES, RegisterLine, type CommandLogEntry, type RegisterCore } from './register-device';
import { createRegister, type RegisterStatePatch } from './register-state';

const NOW = new Date(2026, 2, 10, 12, 0, 0);
const hex = (bytes: readonly number[]) => bytes.map((b) => b.toString(16).padStart(2, '0')).join(' ');
const bytes = (text: string) => text.split(' ').map((h) => Number.parseInt(h, 16));

function register(patch: RegisterStatePatch = {}) {
  const log: CommandLogEntry[] = [];
  const core: RegisterCore = { register: createRegister(NOW, patch), held: null, busyUntil: 0, log: (e) => log.push(e), stats: { bytesReceived: 0, framesReceived: 0, repliesSent: 0, enqReceived: 0, ignoredWhileBusy: 0 } };
  const line = new RegisterLine(core);
  /** what the register sends for these bytes, delays flattened */
  const send = (text: string, at = NOW) => hex(line.receive(bytes(text), at).flatMap((o) => o.bytes));
  return { core, line, log, send };
}

const FRAME_10 = '02 05 10 1e 00 00 00 0b';
const REPLY_10 = hex(frame(bytes('10 00 1e 92 02 04 00 00 9a b4 00 00 00 00 00 00')));

describe('the register side of the handshake', () => {
  it('ENQ → NAK; frame → ACK and the reply; the reply is held until the host ACKs it', () => {
    const r = register();
    expect(r.send('05')).toBe('15');
    expect(r.send(FRAME_10)).toBe(`06 ${REPLY_10}`);
    expect(r.send('05')).toBe(`06 ${REPLY_10}`); // not acknowledged: ENQ gets it again
    r.send('06');
    expect(r.send('05')).toBe('15');
    expect(r.log).toEqual([{ at: NOW.toISOString(), code: 0x10, command: '0x10', frame: FRAME_10, answer: { error: 0 } }]);
  });

  it('a command frame split across chunks is one frame', () => {
    const r = register();
    expect(r.send('02 05 10')).toBe('');
    expect(r.send('1e 00 00 00 0b')).toBe(`06 ${REPLY_10}`);
  });

  it('a frame with a bad LRC gets NAK and is not executed', () => {
    const r = register();
    expect(r.send('02 05 10 1e 00 00 00 0c')).toBe('15');
    expect(r.log).toEqual([]);
  });

  it('a frame whose bytes stop for longer than the byte timeout is dropped', () => {
    const r = register();
    r.send('02 05 10');
    expect(r.send('05', new Date(NOW.getTime() + 1_000))).toBe('15');
  });

  it('pendingAnswer: the next ENQ gets ACK and a stale 0x10 reply, once', () => {
    const r = register({ pendingAnswer: true });
    expect(r.send('05')).toBe(`06 ${REPLY_10}`);
    r.send('06');
    expect(r.send('05')).toBe('15');
    expect(r.core.register.state.pendingAnswer).toBe(false);
  });

  it('nakCommands and badLrcReplies count down', () => {
    const r = register({ nakCommands: 1, badLrcReplies: 1 });
    expect(r.send(FRAME_10)).toBe('15');
    const sent = r.send(FRAME_10).split(' ');
    expect(sent.slice(0, -1).join(' ')).toBe(`06 ${REPLY_10.split(' ').slice(0, -1).join(' ')}`);
    expect(sent.at(-1)).not.toBe(REPLY_10.split(' ').at(-1));
    expect(r.send('15 05')).toBe(`06 ${REPLY_10}`); // asked again: the right frame
    expect(r.log.map((e) => e.answer)).toEqual(['nak', { error: 0 }]);
  });

  it('fillers, garbage, silence', () => {
    expect(register({ fillers: true }).send('05')).toBe('ff ff 15');
    expect(register({ garbage: true }).send('05')).toBe(hex(GARBAGE_BYTES));
    const silent = register({ silent: true });
    expect(silent.send(`05 ${FRAME_10}`)).toBe('');
    expect(silent.log).toEqual([]);
  });

  it('a slow reply carries its delay, the ACK does not; until it is sent the register hears nothing', () => {
    const r = register({ slowReplyMs: 700 });
    expect(r.line.receive(bytes(`${FRAME_10} 05`), NOW).map((o) => o.delayMs)).toEqual([0, 700]);
    expect(r.send('05', new Date(NOW.getTime() + 699))).toBe('');
    expect(r.send('05', new Date(NOW.getTime() + 700))).toBe(`06 ${REPLY_10}`); // not acknowledged yet: held
    expect(r.core.stats.ignoredWhileBusy).toBe(2);
  });

  it('logs every frame that arrived, commands it does not implement included', () => {
    const r = register();
    const sale = hex(frame([0x80, 0x1e, 0, 0, 0]));
    expect(r.send(sale)).toBe(`06 ${hex(frame([0x80, 0x37]))}`);
    expect(r.log[0]).toMatchObject({ code: 0x80, command: '0x80', frame: sale, answer: { error: 0x37 } });
  });
});

/** The agent's own exchange, over a link straight into a RegisterLine (delays flattened). */
function agentLink(core: RegisterCore): ByteLink {
  const line = new RegisterLine(core);
  const queue: Uint8Array[] = [];
  return {
    write: async (data) => {
      for (const output of line.receive(data, NOW)) queue.push(Uint8Array.from(output.bytes));
    },
    read: async () => queue.shift() ?? null,
    drain: async () => {
      queue.length = 0;
    },
  };
}

describe('the agent against the simulated register, in process', () => {
  it('every allowed command decodes to the state that was set', async () => {
    const { core } = register({
      shiftOpenedAt: '2026-03-10T08:00:00',
      shiftNumber: 42,
      fnValidUntil: '2027-01-31',
      fnArchiveNearlyFull: true,
      ofdUnsentCount: 2,
      ofdFirstUnsentNumber: 77,
      ofdFirstUnsentAt: '2026-03-01T10:30:00',
      lastFdNumber: 5000,
      paperOut: true,
    });
    const decode = async <C extends Parameters<typeof decodeReply>[0]>(command: C) => {
      const record = await runExchange(agentLink(core), command);
      if (record.outcome.kind !== 'reply') throw new Error(record.outcome.kind);
      const reply = decodeReply(command, record.outcome.payload);
      if (reply.status !== 'ok') throw new Error(reply.status);
      return reply.value;
    };
    expect(await decode(0x10)).toMatchObject({ mode: 2, submode: 1, flagBits: { receiptRoll: false, receiptOptical: false, coverOpen: false } });
    expect(await decode(0x11)).toMatchObject({ clock: '2026-03-10T12:00:00', serial: '12345678' });
    expect(await decode(0xfc)).toMatchObject({ name: 'ШТРИХ-М-01Ф' });
    expect(await decode(0xff01)).toMatchObject({ shiftOpen: true, warningFlags: { archiveNearlyFull: true, criticalError: false }, lastDocumentNumber: 5000, fnSerial: '9999078900012345' });
    expect(await decode(0xff03)).toMatchObject({ validUntil: '2027-01-31' });
    expect(await decode(0xff39)).toMatchObject({ unsentCount: 2, firstUnsentNumber: 77, firstUnsentAt: '2026-03-01T10:30:00' });
    expect(await decode(0xff3f)).toEqual({ count: 2 });
    expect(await decode(0xff40)).toEqual({ shiftOpen: true, shiftNumber: 42, receiptNumber: 0 });
  });
});
