import { expect, loginAsEngineer, test } from './stack';

// The stack's msk-001/pos-1 has a simulated Shtrih-M register whose FN ends 75 days from the start
// (scripts/demo/timeline.ts): its probe's facts become the register's blocking date on the fleet,
// a row of "ФН к замене", and the fleet filter and sort by that date.
test('an engineer sees a register\'s blocking date on the fleet, filters by it, and finds the drive to replace', async ({ page, stack }) => {
  await loginAsEngineer(page, stack);
  await page.goto(`${stack.consoleUrl}/#/fleet`);
  const tile = page.getByTestId('fleet-register').filter({ hasText: 'pos-1' }).filter({ has: page.getByTestId('forecast-line') });
  const line = tile.getByTestId('forecast-line').first();
  await expect(line).toContainText('Блокировка продаж');
  await expect(line).toContainText('истекает срок ФН');
  await expect(line).toHaveAttribute('data-days-left', /^7[45]$/);

  // Unfolded, the tile fetches the register's fiscal facts: the FN's validity part with its evidence.
  await tile.getByTestId('fiscal-lazy').first().locator('summary').click();
  await expect(tile.getByTestId('forecast-parts').first()).toContainText('действует до');

  // Within 30 days: nobody; within 90: this register, first by blocking date.
  await page.getByTestId('fleet-blocking').selectOption('30');
  await expect(page.getByTestId('fleet-register').filter({ hasText: 'pos-1' }).filter({ has: page.getByTestId('forecast-line') })).toHaveCount(0);
  await page.getByTestId('fleet-blocking').selectOption('90');
  await page.getByTestId('fleet-sort-blocking').click();
  await expect(page).toHaveURL(/blocking=90&sort=blocking/);
  await expect(page.getByTestId('forecast-line').first()).toHaveAttribute('data-reason', 'fn_validity');

  await page.getByTestId('nav-fiscal').click();
  const store = page.getByTestId('replacement-store').filter({ hasText: 'msk-001' });
  await expect(store.getByTestId('replacement-drive')).toHaveAttribute('data-bucket', 'd90');
  await expect(page.getByTestId('replacements-csv')).toHaveAttribute('href', '/api/fiscal/replacements?format=csv');
});
