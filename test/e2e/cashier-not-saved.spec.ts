import { expect, test, type Page } from '@playwright/test';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestAgent } from '../../agent/src/cashier-page/test-agent';
import type { Agent } from '../../agent/src/create-agent';
import { startFakeConsoleServer, type FakeConsoleServer } from '../../agent/src/link/fake-console-server';
import { createTinyDisk, type TinyDisk } from '../../agent/src/test-support/tiny-disk';
import { freePort } from '../../scripts/lib/ports';

// The cashier page in Chromium, on a real agent whose SQLite file cannot grow (a full disk with no
// reserve left): it must say NOT saved, in Russian then English, with the register to name to the
// helpdesk; then "saved on this register" once the agent stores it; then the ticket once sent.

let dir: string | undefined;
let agent: Agent | undefined;
let server: FakeConsoleServer | undefined;

/** Starts `register`, fills its disk, and sends a report with `symptom` from its page: the page must say NOT saved. */
async function reportOnFullDisk(page: Page, register: Agent, disk: TinyDisk, symptom: string): Promise<void> {
  await register.start();
  await disk.fill();
  await page.goto(register.cashierPageUrl()!);
  await page.getByRole('button', { name: symptom }).click();
  await page.getByRole('button', { name: 'Отправить' }).click();
  await expect(page.getByRole('heading', { name: 'Заявка НЕ сохранена' })).toBeVisible();
}

test.afterEach(async () => {
  await agent?.stop();
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

test('a report the disk refused is shown as NOT saved, then as saved on the register, then as a ticket', async ({ page }) => {
  dir = await mkdtemp(path.join(tmpdir(), 'cashier-not-saved-'));
  const dataDir = dir;
  const port = await freePort(); // the console is down
  const disk = createTinyDisk();
  agent = createTestAgent(dataDir, port, { reserveBytes: 0, outbox: { openDb: disk.openDb, retryEveryMs: 100 }, reserveFs: disk.reserveFs });
  await reportOnFullDisk(page, agent, disk, 'Не печатает чек');
  const alarm = page.locator('#not-saved');
  await expect(alarm).toBeVisible();
  await expect(alarm.locator('p').nth(0)).toHaveText(/^Заявка НЕ сохранена.*Позвоните в поддержку и назовите кассу: till-1\./);
  await expect(alarm.locator('p').nth(1)).toHaveText(/^The report was NOT saved.*Call the helpdesk and give this register: till-1\./);
  await expect(page.getByText(/Заявка принята|сохранена на этой кассе|сообщение сохранено/)).toHaveCount(0);

  await disk.free(1024 * 1024);
  await expect(page.getByText('Нет связи: сообщение сохранено и уйдёт первым делом')).toBeVisible();
  await expect(alarm).toBeHidden();

  const ticket = { ticketId: 123, status: 'open' as const, reactBy: new Date(Date.now() + 15 * 60_000).toISOString(), reactMinutes: 15 };
  server = await startFakeConsoleServer({ port, ticketFor: (frame) => (frame.type === 'cashier_report' ? ticket : undefined) });
  await expect(page.getByText('Заявка №123')).toBeVisible();
});

test('a report lost before it could be saved (the agent restarted) is said to be lost, not silently forgotten', async ({ page }) => {
  dir = await mkdtemp(path.join(tmpdir(), 'cashier-lost-'));
  const dataDir = dir;
  const consolePort = await freePort();
  const cashierPort = await freePort();
  const disk = createTinyDisk();
  const seams = { reserveBytes: 0, outbox: { openDb: disk.openDb }, reserveFs: disk.reserveFs, cashierPort };
  agent = createTestAgent(dataDir, consolePort, seams);
  await reportOnFullDisk(page, agent, disk, 'Другое');

  await agent.stop();
  agent = createTestAgent(dataDir, consolePort, seams);
  await agent.start();
  const alarm = page.locator('#not-saved');
  await expect(alarm.locator('p').nth(0)).toHaveText(/потеряна.*Позвоните в поддержку и назовите кассу: till-1\./);
  await expect(alarm.locator('p').nth(1)).toHaveText(/is lost.*Call the helpdesk and give this register: till-1\./);
  await expect(page.getByRole('button', { name: 'Новая заявка' })).toBeVisible();
});
