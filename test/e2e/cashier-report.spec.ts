import { expect, loginAsEngineer, register, setFaults, test } from './stack';

test('a cashier report merges into the register’s open ticket, and the cashier’s words stay text', async ({ page, browser, stack }) => {
  const till = register(stack, 'msk-001/pos-2');
  await setFaults(till, { coverOpen: true });
  await loginAsEngineer(page, stack);
  const row = page.getByTestId('queue-row').filter({ hasText: 'Открыта крышка принтера чеков' }).filter({ hasText: 'pos-2' });
  await expect(row).toHaveCount(1);

  // The cashier, on the register's local page, in Russian by default: another person at another
  // screen, so a browser context of their own (a background tab would also be throttled).
  const cashierContext = await browser.newContext();
  const cashier = await cashierContext.newPage();
  await cashier.goto(till.cashierUrl);
  await cashier.getByRole('button', { name: 'Не печатает чек' }).click();
  const hostile = 'чек не идёт <img src=x onerror="document.title=1">';
  await cashier.getByRole('textbox').fill(hostile);
  await cashier.getByRole('button', { name: 'Отправить' }).click();
  await expect(cashier.getByText(/№\s*\d+/)).toBeVisible();
  await expect(cashier.getByText(/в течение \d+ мин/)).toBeVisible();

  // One incident, two sources: the same ticket now carries the cashier's note.
  await expect(row).toHaveCount(1);
  await expect(row.getByTestId('cashier-marker')).toBeVisible();
  await row.click();
  const note = page.getByTestId('cashier-note');
  await expect(note).toContainText(hostile);
  await expect(note.locator('img')).toHaveCount(0);
  await expect(page.getByTestId('timeline')).toContainText(/cashier|кассир/i);

  // The engineer takes it (so it will not resolve by itself), the fault is fixed, the engineer
  // resolves it, and the cashier confirms on the register: only then is the ticket closed.
  const detail = page.getByTestId('ticket-detail');
  await page.getByTestId('action-take').click();
  await expect(detail).toHaveAttribute('data-status', 'in_progress');
  await setFaults(till, { coverOpen: false });
  await page.getByTestId('action-resolve').click();
  await page.getByTestId('action-resolve-confirm').click();
  await expect(detail).toHaveAttribute('data-status', 'resolved');

  await expect(cashier.getByText('Работает?')).toBeVisible();
  await cashier.getByRole('button', { name: 'Да', exact: true }).click();
  await expect(detail).toHaveAttribute('data-status', 'closed');
  await expect(page.getByTestId('timeline')).toContainText(/подтвердил|confirmed/i);
  await cashierContext.close();
});
