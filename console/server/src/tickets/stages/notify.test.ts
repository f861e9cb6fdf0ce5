import type { TicketRef } from '@tillscope/shared';
import { describe, expect, it } from 'vitest';
import { ChangeSet } from '../change-set';
import { cashierTicketUpdates, changeSetNotify } from './notify';

describe('notify stage', () => {
  it('records a change, and a status change apart', () => {
    const changes = new ChangeSet();
    changeSetNotify.ticketChanged(changes, 1, 'a', false);
    changeSetNotify.ticketChanged(changes, 2, 'b', true);
    expect([...changes.tickets]).toEqual([1, 2]);
    expect([...changes.ticketStatuses]).toEqual([2]);
    expect([...changes.registers]).toEqual(['a', 'b']);
  });

  it("sends a ticket_update for each status change to each of the ticket's reports on a connected register", async () => {
    const sent: [string, string, number][] = [];
    const listener = cashierTicketUpdates({
      cashierReportsOf: (id) => Promise.resolve(id === 1 ? { agentId: 'a', reportIds: ['r1', 'r2'] } : id === 2 ? { agentId: 'b', reportIds: ['r3'] } : { agentId: '', reportIds: [] }),
      isConnected: (agentId) => agentId === 'a',
      ticketRef: (ticketId) => Promise.resolve({ ticketId, status: 'resolved', reactBy: '2026-11-22T10:30:00.000Z', reactMinutes: 30 } satisfies TicketRef),
      sendTicketUpdate: (agentId, reportId, ticket) => void sent.push([agentId, reportId, ticket.ticketId]),
    });
    const changes = new ChangeSet();
    changes.ticketChanged(1, 'a', true);
    changes.ticketChanged(2, 'b', true); // register not connected
    changes.ticketChanged(3, 'c', true); // no cashier report
    changes.ticketChanged(4, 'a', false); // no status change
    await listener(changes);
    expect(sent).toEqual([['a', 'r1', 1], ['a', 'r2', 1]]);
  });
});
