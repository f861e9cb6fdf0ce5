import { expect, loginAsEngineer, test } from './stack';

// The stack's msk-001/pos-2 prints over a serial line (a socat pty, or TCP without socat), and its
// config names one more serial path for discovery, where an unconfigured printer answers
// (scripts/lib/stack.ts). An engineer asks the register to discover its ports from the fleet.
test('an engineer requests discovery on a register and sees each port, its class and a proposed config entry', async ({ page, stack }) => {
  await loginAsEngineer(page, stack);
  await page.goto(`${stack.consoleUrl}/#/fleet`);
  const tile = page.getByTestId('fleet-store').filter({ hasText: 'msk-001' }).getByTestId('fleet-register').filter({ hasText: 'pos-2' });
  await expect(tile).toHaveAttribute('data-connected', 'true');

  const panel = tile.getByTestId('discovery');
  await panel.locator('summary').click();
  await expect(panel).toContainText('Поиск ещё не запускался');
  await panel.getByTestId('discovery-run').click();

  const result = panel.getByTestId('discovery-result');
  await expect(result).toBeVisible();
  // The configured printer: reported from the agent's latest probe, not reopened.
  const configured = result.getByTestId('discovery-port').filter({ hasText: 'Уже в конфигурации: printer' });
  await expect(configured.getByTestId('discovery-class')).toHaveText('принтер ESC/POS');
  // The printer nobody configured: identified after the fiscal handshake, probed, and proposed.
  const spare = result.getByTestId('discovery-port').filter({ has: page.getByTestId('discovery-proposed') });
  await expect(spare.getByTestId('discovery-class')).toHaveText('принтер ESC/POS');
  await expect(spare.getByTestId('discovery-proposed')).toContainText('"driver": "escpos"');
  await expect(spare.getByTestId('discovery-proposed')).toContainText('"id": "escpos-1"');
  await spare.locator('summary').click();
  await expect(spare.getByTestId('discovery-steps')).toContainText('DLE EOT 1 (10 04 01) → 12');
  await expect(spare.getByTestId('discovery-steps')).toContainText('@ 115200');
  await expect(result.getByTestId('discovery-problems')).toContainText('usb:');
});
