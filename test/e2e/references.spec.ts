import { expect, test } from './stack';

// References (эталоны) through the real console: an admin creates one for the stack's store msk-001
// from the References screen, finds it in the list with its registers counted, opens a register of
// it, edits and deletes it. The stack's agents run without host probes, so its registers have not
// reported host facts: they count as "not reported" and their page says so section by section.
test('an admin creates, reads, edits and deletes a reference, and opens one of its registers', async ({ page, stack }) => {
  await page.goto(stack.consoleUrl);
  await page.getByTestId('login-username').fill(stack.users.admin.username);
  await page.getByTestId('login-password').fill(stack.users.admin.password);
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('queue')).toBeVisible();

  await page.getByTestId('nav-references').click();
  await page.getByTestId('reference-create').click();
  await page.getByTestId('ref-name').fill('Кассы msk-001');
  await page.getByTestId('ref-stores').fill('msk-001');
  await page.getByTestId('ref-services').fill('cups.service = running, sometimes');
  await page.getByTestId('ref-save').click();
  await expect(page.getByTestId('ref-errors')).toContainText('Службы, строка 1: неизвестное значение «sometimes»');
  await page.getByTestId('ref-services').fill('cups.service = running, auto');
  await page.getByTestId('ref-drivers').fill('Generic / Text Only = 1.0');
  await page.getByTestId('ref-save').click();

  const detail = page.getByTestId('reference-detail');
  await expect(detail.getByTestId('reference-name')).toHaveText('Кассы msk-001');
  await expect(detail.getByTestId('reference-spec')).toContainText('cups.service — работает — автоматически');
  const registers = detail.getByTestId('reference-registers').locator('> li');
  await expect(registers).toHaveCount(2);
  await expect(registers.first()).toHaveAttribute('data-state', 'unknown');

  await page.getByTestId('nav-references').click();
  const row = page.getByTestId('references-table').locator('tbody tr').filter({ hasText: 'Кассы msk-001' });
  await expect(row.locator('[data-count="unknown"]')).toHaveText('2');
  await expect(row.locator('[data-count="differing"]')).toHaveText('0');
  await row.locator('a').click();

  // A register of the reference: its page, with each host section "not reported".
  await registers.filter({ hasText: 'pos-1' }).locator('a').first().click();
  await expect(page.getByTestId('register-title')).toHaveText('Касса pos-1 · магазин msk-001');
  await expect(page.getByTestId('host-os')).toHaveAttribute('data-reported', 'false');
  await expect(page.getByTestId('promote-unavailable')).toBeVisible();
  await page.goBack();

  await page.getByTestId('reference-edit').click();
  await page.getByTestId('ref-name').fill('Кассы msk-001 (CUPS)');
  await page.getByTestId('ref-save').click();
  await expect(page.getByTestId('reference-name')).toHaveText('Кассы msk-001 (CUPS)');

  await page.getByTestId('reference-delete').click();
  await page.getByTestId('reference-delete-yes').click();
  await expect(page.getByTestId('references')).toBeVisible();
  await expect(page.getByTestId('references-table').locator('tbody tr').filter({ hasText: 'Кассы msk-001' })).toHaveCount(0);
});
