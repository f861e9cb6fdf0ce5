import { DeviceIdentity, Priority, TimelineEvent, VendorPack, VendorTracking } from '@tillscope/shared';
import { z } from 'zod';
import type { SqlConnection } from '../db/console-database';
import { jsonColumn, parseRows } from '../db/rows';
import { requireTicket } from '../tickets/ticket-store';
import { withTestPrintStep } from '../tickets/test-print-results';

// The vendor hand-off pack (GET /api/tickets/:id/vendor-pack): everything a vendor needs to act on
// a ticket without calling back, read in one go from the ticket, its register and its devices.

const AgentFacts = z.object({ store_id: z.string(), register_id: z.string(), hostname: z.string(), os_platform: z.string(), os_release: z.string(), agent_version: z.string() });
const PackDeviceRow = z.object({ device_id: z.string(), kind: z.string(), driver: z.string(), model: z.string().nullable(), identity_json: jsonColumn(DeviceIdentity).nullable() });
/** The register's latest bundle: a step back along bundles_by_agent (migration 012), pinned by list-query-plans.test.ts. */
export const LATEST_BUNDLE_SQL = 'SELECT id, received_at, size_bytes, sha256 FROM bundles WHERE agent_id = ? ORDER BY received_at DESC LIMIT 1';
const BundleRow = z.object({ id: z.string(), received_at: z.string(), size_bytes: z.number().int(), sha256: z.string() });

/**
 * The pack of one ticket (TicketNotFound when there is none), parsed with the shared VendorPack
 * schema: a row that does not fit fails here rather than reach a vendor. Devices: the ticket's own
 * first, then the register's others (a fiscal register's FN number matters for a printer fault too).
 */
export async function buildVendorPack(sql: SqlConnection, ticketId: number, generatedBy: string, nowIso: string): Promise<VendorPack> {
  const ticket = await requireTicket(sql, ticketId);
  const agent = AgentFacts.parse(await sql.get('SELECT store_id, register_id, hostname, os_platform, os_release, agent_version FROM agents WHERE id = ?', ticket.agent_id));
  const devices = parseRows(PackDeviceRow, await sql.all(
    'SELECT device_id, kind, driver, model, identity_json FROM devices WHERE agent_id = ? ORDER BY device_id = ? DESC, device_id',
    ticket.agent_id, ticket.device_id ?? '',
  ));
  const tried = parseRows(TimelineEvent, await sql.all('SELECT at, kind, actor, text FROM ticket_events WHERE ticket_id = ? ORDER BY id', ticketId));
  const bundleRaw = await sql.get(LATEST_BUNDLE_SQL, ticket.agent_id);
  const bundle = bundleRaw ? BundleRow.parse(bundleRaw) : null;
  return VendorPack.parse({
    generatedAt: nowIso,
    generatedBy,
    ticket: {
      id: ticket.id, code: ticket.code, severity: ticket.severity, priority: Priority.parse(ticket.priority),
      openedAt: ticket.opened_at, detail: ticket.detail, occurrences: ticket.occurrences,
    },
    store: { storeId: agent.store_id, registerId: agent.register_id, hostname: agent.hostname, osPlatform: agent.os_platform, osRelease: agent.os_release, agentVersion: agent.agent_version },
    vendor: jsonColumn(VendorTracking).nullable().parse(ticket.vendor_json),
    devices: devices.map((device) => ({ deviceId: device.device_id, kind: device.kind, driver: device.driver, identity: device.identity_json, model: device.identity_json?.model ?? device.model })),
    evidence: ticket.evidence_json,
    checklist: withTestPrintStep(ticket.checklist_json, ticket.test_print_json),
    tried,
    bundle: bundle && { id: bundle.id, receivedAt: bundle.received_at, sizeBytes: bundle.size_bytes, sha256: bundle.sha256, downloadPath: `/api/bundles/${bundle.id}` },
  });
}

/** The file name a download of the pack gets: tillscope-ticket-123-vendor-pack.json / .html. */
export function vendorPackFileName(ticketId: number, extension: 'json' | 'html'): string {
  return `tillscope-ticket-${ticketId}-vendor-pack.${extension}`;
}
