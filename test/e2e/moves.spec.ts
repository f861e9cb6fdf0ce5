import { readFileSync } from 'node:fs';
import { VendorPack } from '@tillscope/shared';
import { expect, loginAsEngineer, register, setFaults, test } from './stack';

/** A datetime-local field's value, in the browser's (and this process's) zone, `days` from now. */
function localInDays(days: number): string {
  const at = new Date(Date.now() + days * 86_400_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T18:00`;
}

test('an engineer takes a ticket, reassigns it with a reason, escalates it to a vendor and downloads the vendor pack', async ({ page, stack }) => {
  const till = register(stack, 'msk-001/pos-2');
  await setFaults(till, { paperEnd: true });
  await loginAsEngineer(page, stack);
  const row = page.getByTestId('queue-row').filter({ hasText: 'Нет бумаги в принтере чеков' }).filter({ hasText: 'pos-2' });
  await expect(row).toHaveCount(1);
  await row.click();
  const detail = page.getByTestId('ticket-detail');
  await expect(detail).toHaveAttribute('data-ticket-id', /^\d+$/);
  const ticketId = Number(await detail.getAttribute('data-ticket-id'));

  // Take: the reaction clock is met and the resolution clock runs.
  await page.getByTestId('action-take').click();
  await expect(detail).toHaveAttribute('data-status', 'in_progress');
  await expect(page.getByTestId('ticket-assignee')).toHaveText(stack.users.engineer.username);
  await expect(page.getByTestId('clock-resolve').locator('[data-sla]')).toHaveAttribute('data-sla', /^(ok|amber|red|overdue)$/);

  // Reassign to the hardware group: refused without a reason, done with one (markup in it stays text).
  const reason = 'Принтер не режет бумагу после замены рулона <b>нож?</b>';
  await page.getByTestId('move-reassign').click();
  await page.getByTestId('move-group').selectOption('hardware');
  await page.getByTestId('move-submit').click();
  await expect(page.getByTestId('move-reason-error')).toBeVisible();
  await page.getByTestId('move-reason').fill(reason);
  await page.getByTestId('move-submit').click();
  await expect(page.getByTestId('move-form-reassign')).toHaveCount(0);
  await expect(page.getByTestId('ticket-group')).toHaveText('Оборудование');
  await expect(page.getByTestId('ticket-assignee')).not.toHaveText(stack.users.engineer.username);
  await expect(page.getByTestId('move').filter({ hasText: 'Передал(а) в группу' })).toContainText(reason);
  await expect(page.getByTestId('timeline').locator('[data-kind="reassigned"]')).toHaveCount(1);
  await expect(page.getByTestId('move-counts')).toContainText('передач: 1');

  // Escalate to the vendor with its case number and deadline: the store's clocks wait, the vendor's runs.
  await page.getByTestId('move-escalate').click();
  await page.getByTestId('move-to').selectOption('vendor');
  await page.getByTestId('move-vendor').fill('Epson');
  await page.getByTestId('move-reference').fill('SR-2026-118');
  await page.getByTestId('move-vendor-due').fill(localInDays(3));
  await page.getByTestId('move-reason').fill('Нож автообрезки: гарантийный случай');
  await page.getByTestId('move-submit').click();
  const vendor = page.getByTestId('vendor');
  await expect(vendor.getByTestId('vendor-name')).toHaveText('Epson');
  await expect(vendor.getByTestId('vendor-reference')).toHaveText('SR-2026-118');
  await expect(vendor.getByTestId('vendor-clock')).toHaveAttribute('data-sla', 'ok');
  await expect(page.getByTestId('timeline').locator('[data-kind="escalated"]')).toHaveCount(1);

  // The pack downloads as JSON that the shared schema accepts, with what the vendor needs.
  const downloading = page.waitForEvent('download');
  await vendor.getByTestId('vendor-pack-json').click();
  const download = await downloading;
  const pack = VendorPack.parse(JSON.parse(readFileSync((await download.path())!, 'utf8')));
  expect(pack.ticket).toMatchObject({ id: ticketId, code: 'printer.paper_end' });
  expect(pack.store).toMatchObject({ storeId: 'msk-001', registerId: 'pos-2' });
  expect(pack.vendor).toMatchObject({ vendor: 'Epson', reference: 'SR-2026-118', escalatedBy: stack.users.engineer.username });
  expect(pack.devices.some((d) => d.kind === 'receipt-printer')).toBe(true);
  expect(pack.checklist.length).toBeGreaterThan(0);
  expect(pack.tried.some((step) => step.text.includes(reason))).toBe(true);

  // The printable pack opens in a tab of its own: the case number there, the engineer's words as text, not markup.
  const opening = page.waitForEvent('popup');
  await vendor.getByTestId('vendor-pack-html').click();
  const printable = await opening;
  await expect(printable.locator('body')).toContainText('SR-2026-118');
  await expect(printable.locator('body')).toContainText(reason);
  await expect(printable.locator('b', { hasText: 'нож?' })).toHaveCount(0);
  await printable.close();
});
