import { expect, hostTest as test, loginAsAdmin, putJson, register, type StackRegisterInfo } from './stack';

// From a changed printer driver on a register to a "drift from reference" ticket in the console:
// the agents run their host probes (every 10 s) and read the printer driver from a CUPS PPD folder
// that each register's host simulator keeps (scripts/sim/host); the console compares each register
// with its reference image. An admin promotes one register's state as the reference of the store,
// then an "OS update" rewrites the other register's driver version.

async function hostChange(target: StackRegisterInfo, path: string, body: unknown): Promise<void> {
  if (!target.hostControlUrl) throw new Error(`${target.key} has no host simulator`);
  await putJson(`${target.hostControlUrl}${path}`, body);
}

test('a printer driver update on a register becomes a drift-from-reference ticket with expected and actual versions', async ({ page, stack }) => {
  const changed = register(stack, 'msk-001/pos-2');
  await hostChange(changed, '/driver', { version: '3.0.0' });
  await loginAsAdmin(page, stack);

  // The admin promotes pos-1's current state to be the store's reference, from its register page.
  // This stack has just started: its agents enroll within seconds (a random first delay), and a
  // register that enrolls after the fleet page loaded shows on the next load.
  const tile = page.getByTestId('fleet-store').filter({ hasText: 'msk-001' }).getByTestId('fleet-register').filter({ hasText: 'pos-1' });
  await expect(async () => {
    await page.goto(`${stack.consoleUrl}/#/fleet`);
    await page.reload(); // the same hash again would not load the screen afresh
    await expect(tile).toHaveAttribute('data-connected', 'true', { timeout: 2_000 });
  }).toPass({ timeout: 45_000 });
  await tile.getByTestId('register-link').click();
  await expect(page.getByTestId('host-drivers')).toContainText('EPSON TM-T20II Receipt', { timeout: 30_000 });
  await expect(page.getByTestId('host-drivers')).toContainText('3.0.0');
  const promote = page.getByTestId('promote');
  await promote.locator('summary').click();
  await promote.getByTestId('promote-name').fill('Касса у дома');
  // For the store, not for a machine model (every register of this stack runs on one machine).
  if (await promote.getByTestId('promote-model').isVisible()) await promote.getByTestId('promote-model').uncheck();
  await promote.getByTestId('promote-store').check();
  await promote.getByTestId('promote-submit').click();
  await expect(promote.getByTestId('promote-done')).toBeVisible();

  // Both registers of the store match it at first (pos-2 once its host facts have arrived: reload until then).
  const row = page.getByTestId('references-table').locator('tbody tr').filter({ hasText: 'Касса у дома' });
  await expect(async () => {
    await page.goto(`${stack.consoleUrl}/#/references`);
    await page.reload();
    await expect(row.locator('[data-count="matching"]')).toHaveText('2', { timeout: 2_000 });
  }).toPass({ timeout: 45_000 });

  // An OS update brings a newer driver to pos-2: a drift ticket with both versions.
  await hostChange(changed, '/driver', { version: '3.1.0' });
  await page.goto(`${stack.consoleUrl}/#/`);
  const ticket = page.getByTestId('queue-row').filter({ hasText: 'Касса отличается от эталона' }).filter({ hasText: 'pos-2' });
  await expect(ticket).toHaveCount(1, { timeout: 45_000 });
  await ticket.click();
  const drift = page.getByTestId('ticket-detail').getByTestId('ticket-drift');
  await expect(drift).toContainText('EPSON TM-T20II Receipt');
  await expect(drift).toContainText('3.0.0');
  await expect(drift).toContainText('3.1.0');

  // The reference driver is back: the register matches again and the ticket resolves by itself.
  await hostChange(changed, '/driver', { version: '3.0.0' });
  await page.goto(`${stack.consoleUrl}/#/`);
  await expect(ticket).toHaveCount(0, { timeout: 45_000 });
});
