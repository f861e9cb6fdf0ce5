// The console's REST API as an engineer's console reads it, for end-to-end tests over a stack
// (scripts/lib/stack.ts): log in, list and read tickets, take and resolve them; and polling.
import { DiagnosticsBundle, TicketBundles, TicketDetail, TicketList, type TicketSummary } from '@tillscope/shared';
import { expect, vi } from 'vitest';
import { DEMO_USERS, type Stack } from '../../scripts/lib/stack';

export async function login(baseUrl: string): Promise<string> {
  const response = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: DEMO_USERS.engineer.username, password: DEMO_USERS.engineer.password }),
  });
  expect(response.status).toBe(200);
  const cookie = response.headers.get('set-cookie');
  if (!cookie) throw new Error('login set no cookie');
  return cookie.split(';')[0] ?? '';
}

export function consoleClient(stack: Stack) {
  let cookie: string | null = null;
  // Sessions live in SQLite, so they must survive the server restart in the last test: a 401
  // here is a failure, not a reason to log in again.
  const request = async (method: 'GET' | 'POST', path: string, body?: unknown, status = 200) => {
    cookie ??= await login(stack.consoleUrl());
    const response = await fetch(`${stack.consoleUrl()}${path}`, {
      method,
      headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    expect(response.status).toBe(status);
    return response.json() as Promise<unknown>;
  };
  const post = async (path: string, body: unknown) => TicketDetail.parse(await request('POST', path, body));
  const get = (path: string) => request('GET', path);
  return {
    take: (id: number) => post(`/api/tickets/${id}/take`, {}),
    resolve: (id: number, note: string) => post(`/api/tickets/${id}/resolve`, { note }),
    tickets: async (status: 'active' | 'all' = 'all') => TicketList.parse(await get(`/api/tickets?status=${status}`)).tickets,
    ticket: async (id: number) => TicketDetail.parse(await get(`/api/tickets/${id}`)),
    /** An engineer's test print from the ticket (202: the result lands on the ticket later). */
    testPrint: (id: number) => request('POST', `/api/tickets/${id}/test-print`, {}, 202),
    /** Asks the ticket's register for a diagnostics bundle (202: it is uploaded and listed later). */
    collectBundle: (id: number) => request('POST', `/api/tickets/${id}/bundle`, {}, 202),
    bundles: async (id: number) => TicketBundles.parse(await get(`/api/tickets/${id}/bundles`)),
    /** A bundle as the browser downloads it: the file name it is saved under, and the parsed file. */
    bundleFile: async (bundleId: string) => {
      cookie ??= await login(stack.consoleUrl());
      const response = await fetch(`${stack.consoleUrl()}/api/bundles/${bundleId}`, { headers: { cookie } });
      expect(response.status).toBe(200);
      const text = await response.text();
      return { disposition: response.headers.get('content-disposition'), text, bundle: DiagnosticsBundle.parse(JSON.parse(text)) };
    },
  };
}

/** Polls until `probe` yields something truthy; vi.waitFor retries while the callback throws. */
export function eventually<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeout = 20_000): Promise<T> {
  return vi.waitFor(
    async () => {
      const value = await probe();
      if (!value) throw new Error(`still waiting for ${what}`);
      return value;
    },
    { timeout, interval: 200 },
  );
}

export const forRegister = (tickets: TicketSummary[], storeId: string, registerId: string, code: string) =>
  tickets.filter((t) => t.storeId === storeId && t.registerId === registerId && t.code === code);
