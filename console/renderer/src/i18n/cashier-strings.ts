/**
 * Strings of the cashier loop (issue 12): the "Касса / Cashier" section of the service area. Merged
 * into STRINGS; the same rules apply (Russian first, both languages, the same placeholders).
 */
export const CASHIER_STRINGS = {
  'svc.tab.cashier': { ru: 'Касса', en: 'Cashier' },
  'svcCashier.hint': {
    ru: 'Кассира спрашивают «Работает?», когда заявку решили: «Да» закрывает её, «Нет» открывает снова. Без ответа заявка закрывается сама через столько часов после решения.',
    en: 'The cashier is asked "Is it working now?" when the ticket is resolved: yes closes it, no reopens it. Without an answer it closes by itself this many hours after the resolution.',
  },
  'svcCashier.autoClose': { ru: 'Закрыть без ответа кассира через, часов', en: 'Close without the cashier\'s answer after, hours' },
  'svcCashier.save': { ru: 'Сохранить', en: 'Save' },
  'svcCashier.saved': { ru: 'Сохранено.', en: 'Saved.' },
  'svcCashier.adminsOnly': { ru: 'Изменять может только администратор.', en: 'Only an admin can change this.' },
} as const;
