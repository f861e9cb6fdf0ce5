import { ActionAccepted, TicketActions, type RemoteAction } from '@tillscope/shared';
import { describe, expect, it } from 'vitest';
import { eventually, forRegister, login } from './console-client';
import { useEndToEndStack } from './stack-fixture';

// A remote action end to end: the real console's action queue, the real agent (its command desk,
// ledger and outbox on disk) and the CUPS simulator, whose systemctl stand-in the agent runs as a
// child process (agent config actions.printServiceTool, set by the stack).
describe('restart_print_service from a ticket, end to end', () => {
  const e2e = useEndToEndStack('remote-actions', {
    registers: [{ storeId: 'spb-002', registerId: 'pos-2', printer: 'tcp', model: 'Epson TM-T20III', printQueue: true }],
  });

  async function request(method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
    const response = await fetch(`${e2e.stack.consoleUrl()}${path}`, {
      method,
      headers: { cookie: await login(e2e.stack.consoleUrl()), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, json: await response.json() };
  }

  const actionOf = async (ticketId: number, commandId: string): Promise<RemoteAction | undefined> =>
    TicketActions.parse((await request('GET', `/api/tickets/${ticketId}/actions`)).json).actions.find((a) => a.id === commandId);

  it('asked while the register is off, runs exactly once after it comes back: the scheduler runs again and the ticket resolves', async () => {
    const till = e2e.stack.register('spb-002/pos-2');
    await till.cups!.setState('scheduler-stopped');
    const ticket = await eventually('a spooler-stopped ticket', async () => forRegister(await e2e.api.tickets('active'), 'spb-002', 'pos-2', 'printer.spooler_stopped')[0]);

    await till.powerOff();
    const asked = await request('POST', `/api/tickets/${ticket.id}/actions`, { verb: 'restart_print_service' });
    expect(asked.status).toBe(202);
    const { commandId, action } = ActionAccepted.parse(asked.json);
    expect(action.state).toBe('queued');
    expect(till.cups!.systemctlRuns()).toEqual([]);

    await till.powerOn();
    const done = await eventually('the action done', async () => {
      const current = await actionOf(ticket.id, commandId);
      return current?.state === 'done' ? current : null;
    }, 60_000);
    expect(done).toMatchObject({ resultCode: 'ok', sendCount: 1 });
    expect(done.startedAt).not.toBeNull();
    expect(till.cups!.systemctlRuns()).toEqual(['--no-ask-password restart cups.service', 'is-active cups.service']);
    expect(till.cups!.state()).toBe('idle');

    const resolved = await eventually('the ticket resolved by the healthy queue', async () => {
      const detail = await e2e.api.ticket(ticket.id);
      return detail.status === 'resolved' ? detail : null;
    }, 60_000);
    expect(resolved.timeline.map((e) => e.kind)).toEqual(expect.arrayContaining(['action_queued', 'action_done', 'auto_resolved']));

    // Power cut and back: the answered action is not sent again, and the agent would not run it twice anyway.
    await till.powerOff();
    await till.powerOn();
    await eventually('the register back', async () => TicketActions.parse((await request('GET', `/api/tickets/${ticket.id}/actions`)).json).registerConnected);
    expect(till.cups!.systemctlRuns()).toHaveLength(2);
    expect(await actionOf(ticket.id, commandId)).toMatchObject({ state: 'done', sendCount: 1 });
  }, 150_000); // two power cycles, each reconnection spread over up to 5 s as the agent does after a power cut
});
