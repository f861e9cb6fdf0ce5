import { expect, loginAsEngineer, register, setFaults, test } from './stack';

test('an engineer presses Test print on a printer ticket and sees the result on the timeline and checklist', async ({ page, stack }) => {
  const till = register(stack, 'msk-001/pos-1');
  await setFaults(till, { paperEnd: true });
  await loginAsEngineer(page, stack);
  const row = page.getByTestId('queue-row').filter({ hasText: 'Нет бумаги в принтере чеков' }).filter({ hasText: 'pos-1' });
  await expect(row).toHaveCount(1);
  await row.click();
  const detail = page.getByTestId('ticket-detail');
  // Taken, so the ticket stays open once the paper is back.
  await page.getByTestId('action-take').click();
  await expect(detail).toHaveAttribute('data-status', 'in_progress');

  // Out of paper: the agent refuses and says so; nothing is printed.
  const testPrint = async () => {
    await page.getByTestId('action-test-print').click();
    await expect(page.getByTestId('test-print-confirm')).toContainText('Напечатать тестовый чек');
    await page.getByTestId('test-print-confirm-yes').click();
  };
  const results = page.getByTestId('timeline').locator('[data-kind="test_print"]');
  await testPrint();
  await expect(results).toHaveCount(1);
  await expect(results.first()).toContainText('не печатали');
  await expect(results.first()).toContainText('printer.paper_end');
  await expect(page.getByTestId('timeline').locator('[data-kind="test_print_requested"]').first()).toContainText('Запрошена тестовая печать');

  // Paper back: the job goes to the printer and the status read afterwards says it printed.
  await setFaults(till, { paperEnd: false });
  await testPrint();
  await expect(results).toHaveCount(2);
  await expect(results.nth(1)).toContainText('напечатано');
  await expect(page.getByTestId('checklist').locator('[data-step="printer.test_print"]')).toHaveAttribute('data-result', 'passed');

  await page.getByTestId('action-resolve').click();
  await page.getByTestId('action-resolve-confirm').click();
  await expect(detail).toHaveAttribute('data-status', 'resolved');
});
