import { expect, hostTest as test, loginAsAdmin, register, type StackRegisterInfo } from './stack';

// From a changed printer driver on a register to a "drift from reference" ticket in the console:
// the agents run their host probes (every 10 s) and read the printer driver from a CUPS PPD folder
// that each register's host simulator keeps (scripts/sim/host); the console compares each register
// with its reference image. An admin promotes one register's state as the reference of the store,
// then an "OS update" rewrites the other register's driver version.

async function hostChange(target: StackRegisterInfo, path: string, body: unknown): Promise<void> {
  if (!target.hostControlUrl) throw new Error(`${target.key} has no host simulator`);
  const response = await fetch(`${target.hostControlUrl}${path}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`host change failed: ${response.status} ${await response.text()}`);
}

test('a printer driver update on a register becomes a drift-from-reference ticket with expected and actual versions', async ({ page, stack }) => {
  const reference = register(stack, 'msk-001/pos-1');
  const changed = register(stack, 'msk-001/pos-2');
  await hostChange(changed, '/driver', { version: '3.0.0' });
  await loginAsAdmin(page, stack);

  // The admin promotes pos-1's current state to be the store's reference, from its register page.
  await page.goto(`${stack.consoleUrl}/#/fleet`);
  const tile = page.getByTestId('fleet-store').filter({ hasText: 'msk-001' }).getByTestId('fleet-register').filter({ hasText: 'pos-1' });
  await expect(tile).toHaveAttribute('data-connected', 'true');
  const host = tile.getByTestId('host-panel');
  await host.locator('summary').first().click();
  await expect(host.getByTestId('host-drivers')).toContainText('3.0.0');
  await host.getByTestId('promote-reference').click();
  const form = page.getByTestId('promote-form');
  await form.getByTestId('promote-name').fill('Касса у дома');
  await form.getByTestId('promote-stores').fill('msk-001');
  await form.getByTestId('promote-submit').click();

  // Every register of the store matches at first: no drift ticket.
  await page.goto(`${stack.consoleUrl}/#/references`);
  const card = page.getByTestId('reference-row').filter({ hasText: 'Касса у дома' });
  await expect(card).toBeVisible();
  await expect(card.getByTestId('reference-matching')).toHaveText('2');

  // An OS update brings a newer driver to pos-2.
  await hostChange(changed, '/driver', { version: '3.1.0' });
  await page.goto(stack.consoleUrl);
  const row = page.getByTestId('queue-row').filter({ hasText: 'Касса отличается от эталона' }).filter({ hasText: 'pos-2' });
  await expect(row).toHaveCount(1, { timeout: 45_000 });
  await row.click();
  const differences = page.getByTestId('ticket-detail').getByTestId('drift-differences');
  await expect(differences).toContainText('EPSON TM-T20II Receipt');
  await expect(differences).toContainText('3.0.0');
  await expect(differences).toContainText('3.1.0');

  // The reference driver is restored: the register matches again and the ticket resolves by itself.
  await hostChange(changed, '/driver', { version: '3.0.0' });
  await page.goto(stack.consoleUrl);
  await expect(row).toHaveCount(0, { timeout: 45_000 });
  void reference;
});
