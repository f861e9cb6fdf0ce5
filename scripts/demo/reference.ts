// The demo's reference image (эталон): once a register has reported its host facts, an admin
// promotes its state to be the reference of the demo stores, through the console's own API, as a
// person would from the register page. Registers that later differ (a driver update, a printer
// unplugged) get a "drift from reference" ticket.
import { setTimeout as sleep } from 'node:timers/promises';
import { ReferenceSummary, RegisterHost, RegisterList } from '@tillscope/shared';
import type { ConsoleApi } from './console-api';

export interface SeedReferenceOptions {
  /** an admin's session */
  api: ConsoleApi;
  /** the register whose state becomes the reference */
  storeId: string;
  registerId: string;
  /** the stores it applies to (a store format) */
  storeIds: string[];
  name: string;
  storeFormat: string;
  /** how long to wait for the register's host facts */
  timeoutMs: number;
}

/** A register's host facts are there to promote once every section the reference keys on arrived. */
function promotable(host: RegisterHost): boolean {
  return host.os !== null && host.print !== null && host.peripherals !== null && host.pos !== null;
}

/** Promotes the register's state; resolves with the new reference, rejects when its facts never came. */
export async function seedDemoReference(options: SeedReferenceOptions): Promise<ReferenceSummary> {
  const { api } = options;
  const deadline = Date.now() + options.timeoutMs;
  const found = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what}: no such API in this build`);
    return value;
  };
  for (;;) {
    const list = found(await api.get(`/api/registers?storeId=${encodeURIComponent(options.storeId)}`, (v) => RegisterList.parse(v)), 'registers');
    const register = list.registers.find((r) => r.registerId === options.registerId);
    if (register) {
      const host = found(await api.get(`/api/registers/${encodeURIComponent(register.agentId)}/host`, (v) => RegisterHost.parse(v)), 'register host');
      if (promotable(host)) {
        const body = { agentId: register.agentId, name: options.name, scope: { storeFormat: options.storeFormat, storeIds: options.storeIds } };
        return found(await api.send('POST', '/api/references/from-register', body, (v) => ReferenceSummary.parse(v)), 'references');
      }
    }
    if (Date.now() > deadline) throw new Error(`${options.storeId}/${options.registerId} reported no host facts within ${options.timeoutMs / 1000} s`);
    await sleep(1_000);
  }
}
