import { expect, loginAsEngineer, register, setFaults, test } from './stack';

test('an engineer sees a paper-end ticket appear live and opens its decoded evidence', async ({ page, stack }) => {
  const till = register(stack, 'msk-001/pos-1');
  await setFaults(till, { paperEnd: false });
  await loginAsEngineer(page, stack);

  // The queue is open before the fault happens: the ticket must arrive over the live feed.
  const row = page.getByTestId('queue-row').filter({ hasText: 'Нет бумаги в принтере чеков' }).filter({ hasText: 'pos-1' });
  await expect(row).toHaveCount(0);
  await setFaults(till, { paperEnd: true });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('msk-001');

  await row.click();
  const detail = page.getByTestId('ticket-detail');
  await expect(detail.getByTestId('ticket-title')).toContainText('Нет бумаги в принтере чеков');
  const evidence = detail.getByTestId('evidence');
  // DLE EOT 4 is asked as 10 04 04; paper end sets bits 5 and 6 of the reply.
  await expect(evidence).toContainText('10 04 04');
  await expect(evidence).toContainText('DLE EOT 4');
  await expect(evidence.locator('[data-alarm="true"]').first()).toBeVisible();
  await expect(detail.getByTestId('checklist')).toContainText('Есть бумага');

  // Recovery resolves the untouched ticket by itself and it leaves the active queue.
  await setFaults(till, { paperEnd: false });
  await page.goBack();
  await expect(row).toHaveCount(0);
});
