import { Article } from '@tillscope/shared';
import { logIn } from '../../scripts/demo/console-api';
import { DEMO_ARTICLES } from '../../scripts/demo/kb-articles';
import { expect, loginAsEngineer, register, setFaults, test } from './stack';

// Issue 12 end to end: an engineer resolves a ticket with a fix from the knowledge base, the
// cashier confirms "Да" on the register's page, and the KPI page counts it.

test('a fix from the knowledge base, the cashier\'s "Да", and the KPI page counting it', async ({ page, browser, stack }) => {
  // The knowledge base has the demo's paper article (as an engineer would have written it).
  const api = await logIn(stack.consoleUrl, stack.users.engineer);
  const paper = DEMO_ARTICLES.find((a) => a.key === 'paper')!;
  const article = (await api.send('POST', '/api/kb/articles', { title: paper.title, body: paper.body, codes: paper.codes, models: paper.models }, (v) => Article.parse(v)))!;

  // The KPI page before: what this stack has resolved so far in the last 30 days (nothing, or what
  // an earlier spec of this worker left), and no first-contact resolution among it.
  await loginAsEngineer(page, stack);
  await page.goto(`${stack.consoleUrl}/#/kpi`);
  const kpi = page.getByTestId('kpi');
  const resolvedTile = kpi.getByTestId('kpi-tile-resolved').locator('strong');
  await expect(resolvedTile).toHaveText(/^\d+$/);
  const resolvedBefore = Number(await resolvedTile.textContent());
  const firstContactTile = kpi.getByTestId('kpi-tile-first-contact');
  // "N из M": tickets resolved at first contact of those an engineer resolved (none yet: no note)
  const firstContactOf = async () => (/(\d+) из (\d+)/.exec((await firstContactTile.textContent()) ?? '') ?? ['', '0', '0']).slice(1).map(Number);
  const [firstBefore, ofBefore] = await firstContactOf();

  // The printer runs out of paper: its ticket opens in the engineer's queue.
  const till = register(stack, 'msk-001/pos-2');
  await setFaults(till, { paperEnd: true });
  await page.goto(`${stack.consoleUrl}/#/queue?mygroups=0`);
  const row = page.getByTestId('queue-row').filter({ hasText: 'Нет бумаги в принтере чеков' }).filter({ hasText: 'pos-2' });
  await expect(row).toHaveCount(1);

  // The cashier reports it on the register's page (a person at another screen: a context of their own).
  const cashierContext = await browser.newContext();
  const cashier = await cashierContext.newPage();
  await cashier.goto(till.cashierUrl);
  await cashier.getByRole('button', { name: 'Не печатает чек' }).click();
  await cashier.getByRole('button', { name: 'Отправить' }).click();
  await expect(cashier.getByText(/№\s*\d+/)).toBeVisible();
  await expect(row.getByTestId('cashier-marker')).toBeVisible();

  // The engineer opens the ticket: the knowledge block lists the article for this code and model.
  await row.click();
  const detail = page.getByTestId('ticket-detail');
  const knowledge = page.getByTestId('knowledge');
  await expect(knowledge.getByTestId('knowledge-articles')).toContainText(paper.title.ru);

  // Take, the roll goes in, resolve naming the article as the fix.
  await page.getByTestId('action-take').click();
  await expect(detail).toHaveAttribute('data-status', 'in_progress');
  await setFaults(till, { paperEnd: false });
  await page.getByTestId('action-resolve').click();
  await page.getByTestId(`fix-option-article:${article.id}`).check();
  await page.getByTestId('action-resolve-confirm').click();
  await expect(detail).toHaveAttribute('data-status', 'resolved');
  await expect(page.getByTestId('timeline').locator('[data-kind="kb_fix_recorded"]')).toContainText(paper.title.ru);

  // The cashier is asked and answers "Да": the ticket closes.
  await expect(cashier.getByText('Работает?')).toBeVisible();
  await cashier.getByRole('button', { name: 'Да', exact: true }).click();
  await expect(detail).toHaveAttribute('data-status', 'closed');
  await cashierContext.close();

  // The fix now has its rate for this code and model: applied once, fixed once.
  await page.reload();
  await expect(page.getByTestId('knowledge-fixes')).toContainText('100 % из 1');

  // The KPI page counts the resolution, resolved at first contact (no reassignment, no reopening).
  await page.goto(`${stack.consoleUrl}/#/kpi`);
  await expect(resolvedTile).toHaveText(String(resolvedBefore + 1));
  await expect(firstContactTile).toContainText(`${firstBefore! + 1} из ${ofBefore! + 1}`);
});
