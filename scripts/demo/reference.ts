// The demo's reference image (эталон): once a register has reported its host facts, an admin
// promotes its state to be the reference of the demo stores, through the console's own API, as a
// person would from the register page. Registers that later differ (a driver update, a printer
// unplugged) get a "drift from reference" ticket.
import { setTimeout as sleep } from 'node:timers/promises';
import { ReferenceSummary, RegisterHost, RegisterList } from '@tillscope/shared';

export interface SeedReferenceOptions {
  consoleUrl: string;
  admin: { username: string; password: string };
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

async function login(consoleUrl: string, admin: SeedReferenceOptions['admin']): Promise<string> {
  const response = await fetch(`${consoleUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(admin) });
  if (!response.ok) throw new Error(`admin login failed: HTTP ${response.status}`);
  const cookies = response.headers.getSetCookie().map((line) => line.split(';')[0]);
  return cookies.join('; ');
}

async function getJson<T>(url: string, cookie: string, parse: (value: unknown) => T): Promise<T> {
  const response = await fetch(url, { headers: { cookie } });
  if (!response.ok) throw new Error(`GET ${url}: HTTP ${response.status}`);
  return parse(await response.json());
}

/** A register's host facts are there to promote once every section the reference keys on arrived. */
function promotable(host: RegisterHost): boolean {
  return host.os !== null && host.print !== null && host.peripherals !== null && host.pos !== null;
}

/** Promotes the register's state; resolves with the new reference, rejects when its facts never came. */
export async function seedDemoReference(options: SeedReferenceOptions): Promise<ReferenceSummary> {
  const cookie = await login(options.consoleUrl, options.admin);
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const list = await getJson(`${options.consoleUrl}/api/registers?storeId=${encodeURIComponent(options.storeId)}`, cookie, (v) => RegisterList.parse(v));
    const register = list.registers.find((r) => r.registerId === options.registerId);
    if (register) {
      const host = await getJson(`${options.consoleUrl}/api/registers/${encodeURIComponent(register.agentId)}/host`, cookie, (v) => RegisterHost.parse(v));
      if (promotable(host)) {
        const response = await fetch(`${options.consoleUrl}/api/references/from-register`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', cookie },
          body: JSON.stringify({ agentId: register.agentId, name: options.name, scope: { storeFormat: options.storeFormat, storeIds: options.storeIds } }),
        });
        if (!response.ok) throw new Error(`promoting ${options.storeId}/${options.registerId}: HTTP ${response.status} ${await response.text()}`);
        return ReferenceSummary.parse(await response.json());
      }
    }
    if (Date.now() > deadline) throw new Error(`${options.storeId}/${options.registerId} reported no host facts within ${options.timeoutMs / 1000} s`);
    await sleep(1_000);
  }
}
