import { RegisterDetail, RegisterList } from '@tillscope/shared';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PAPER_HISTORY_DAYS_AGO, seedPaperHistory } from '../../scripts/demo/paper-history';
import { startStack, type Stack } from '../../scripts/lib/stack';
import { login } from './console-client';

// The demo's seeded paper history, on a real stack: the register detail counts it as the hint.
let dataDir: string;
let stack: Stack;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'tillscope-paper-history-'));
  stack = await startStack({ dataDir, agentMode: 'in-process', probeIntervalSec: 1, reportIntervalSec: 2, registers: [{ storeId: 'msk-001', registerId: 'pos-2', printer: 'tcp', model: 'Epson TM-T88V' }] });
});
afterAll(async () => {
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

it('gives the register four paper runs in 30 days, none of them left open', async () => {
  const seeded = await seedPaperHistory({ consoleDataDir: join(dataDir, 'console'), storeId: 'msk-001', registerId: 'pos-2', deviceId: 'printer', model: 'Epson TM-T88V', now: new Date() });
  expect(seeded).toBe(true);
  const cookie = await login(stack.consoleUrl());
  const get = async (path: string) => (await fetch(`${stack.consoleUrl()}${path}`, { headers: { cookie } })).json() as Promise<unknown>;
  const [register] = RegisterList.parse(await get('/api/registers')).registers;
  const detail = RegisterDetail.parse(await get(`/api/registers/${register!.agentId}`));
  expect(detail.paperSupply).toEqual({ times: PAPER_HISTORY_DAYS_AGO.length, days: 30 });
  // Nothing seeded stays open: the history's tickets resolved in the past.
  expect(detail.openTickets).toBe(0);
});
