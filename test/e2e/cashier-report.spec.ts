import { expect, loginAsEngineer, register, setFaults, test } from './stack';

test('a cashier report merges into the register’s open ticket, and the cashier’s words stay text', async ({ page, context, stack }) => {
  const till = register(stack, 'msk-001/pos-2');
  await setFaults(till, { coverOpen: true });
  await loginAsEngineer(page, stack);
  const row = page.getByTestId('queue-row').filter({ hasText: 'Открыта крышка принтера чеков' }).filter({ hasText: 'pos-2' });
  await expect(row).toHaveCount(1);

  // The cashier, on the register's local page, in Russian by default.
  const cashier = await context.newPage();
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

  await setFaults(till, { coverOpen: false });
});
