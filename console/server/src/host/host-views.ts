import {
  PeripheralsSection, ReferenceSpec, type HostSectionName, type PromoteRegisterRequest, type ReferenceRequest, type RegisterDrift, type RegisterHost,
} from '@tillscope/shared';
import type { SqlConnection } from '../db/console-database';
import { isPresent } from './drift';
import { mergeFacts, readHostSections, type HostSectionRow } from './host-store';
import { readDriftRows, readReference } from './reference-store';

/** GET /api/registers/:agentId/host: the register's latest section of each probe and its drift (null: no reference applies). */
export async function registerHost(sql: SqlConnection, agentId: string): Promise<RegisterHost> {
  const rows = await readHostSections(sql, [agentId]);
  const seen = <N extends HostSectionName>(name: N) => {
    const row = rows.find((candidate): candidate is HostSectionRow => candidate.section === name);
    return row ? { facts: row.facts_json as Extract<HostSectionRow['facts_json'], { section: N }>, reportedAt: row.reported_at, driver: row.driver } : null;
  };
  return {
    agentId,
    os: seen('os'),
    clock: seen('clock'),
    print: seen('print'),
    peripherals: seen('peripherals'),
    pos: seen('pos'),
    events: seen('events'),
    drift: await registerDrift(sql, agentId),
  };
}

async function registerDrift(sql: SqlConnection, agentId: string): Promise<RegisterDrift | null> {
  const row = (await readDriftRows(sql, [agentId])).get(agentId);
  if (row?.reference_id == null) return null;
  const reference = await readReference(sql, row.reference_id);
  if (!reference) return null;
  return {
    referenceId: reference.id,
    referenceName: reference.name,
    // Not compared yet (no host facts): everything the reference asks about is unchecked.
    comparedAt: row.compared_at ?? reference.updatedAt,
    differences: row.differences_json ?? [],
    unchecked: row.unchecked_json,
  };
}

/**
 * The reference a register's current state makes (POST /api/references/from-register): its OS
 * version, printer drivers with versions, print services' state (running or stopped; left out when
 * unknown, changing or crashing) and start mode (left out when unknown), POS applications and fiscal stack present (installed or running) with versions, the attached
 * peripherals the known-devices table names, and the hashes of the configuration files it could read.
 * Whether the POS application runs is left out: host.pos_app_not_running already says so. Undefined
 * when the register has reported no section a reference compares.
 */
export async function promotedReference(sql: SqlConnection, request: PromoteRegisterRequest): Promise<ReferenceRequest | undefined> {
  const facts = mergeFacts(await readHostSections(sql, [request.agentId], ['os', 'print', 'peripherals', 'pos']));
  if (!facts.os && !facts.print && !facts.peripherals && !facts.pos) return undefined;
  const spec = ReferenceSpec.parse({
    osBuild: facts.os?.version,
    drivers: (facts.print?.drivers ?? []).map(({ name, version }) => ({ name, version })),
    // Only a settled state is something to expect: not 'unknown', nor one caught mid-change or crashing.
    services: (facts.print?.services ?? []).map(({ name, state, startMode }) => ({
      name, state: state === 'running' || state === 'stopped' ? state : undefined, startMode: startMode === 'unknown' ? undefined : startMode,
    })),
    posApps: (facts.pos?.apps ?? []).filter(isPresent).map(({ id, version }) => ({ id, version })),
    fiscalStack: (facts.pos?.fiscalStack ?? []).filter(isPresent).map(({ id, version }) => ({ id, version })),
    peripherals: knownPeripherals(facts.peripherals).slice(0, 32),
    configFiles: (facts.pos?.configFiles ?? []).flatMap(({ name, sha256 }) => (sha256 ? [{ name, sha256 }] : [])),
  });
  return { name: request.name, scope: request.scope, spec };
}

/** Attached USB devices and serial adapters the known-devices table names, one per vendor:product id. */
function knownPeripherals(section: PeripheralsSection | undefined): ReferenceSpec['peripherals'] {
  const byId = new Map<string, ReferenceSpec['peripherals'][number]>();
  for (const device of [...(section?.usb ?? []), ...(section?.serial ?? [])]) {
    if (!device.knownAs || !device.vendorId || !device.productId) continue;
    const key = `${device.vendorId}:${device.productId}`;
    if (!byId.has(key)) byId.set(key, { vendorId: device.vendorId, productId: device.productId, name: device.knownAs });
  }
  return [...byId.values()];
}
