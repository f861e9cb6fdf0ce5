import { SYMPTOMS, type Locale, type Symptom } from '@tillscope/shared';

/**
 * Every string the cashier page shows, in both languages. Typed so a key present in one language
 * and missing in the other does not compile. Words for a cashier: no codes, no jargon.
 * `{n}` is replaced by the page script.
 */
const ru = {
  pageTitle: 'Сообщить о проблеме',
  heading: 'Что случилось?',
  notePlaceholder: 'Коротко опишите (необязательно)',
  send: 'Отправить',
  sending: 'Отправляем…',
  chooseSymptom: 'Выберите, что случилось',
  sendFailed: 'Не получилось сохранить заявку. Попробуйте ещё раз или позвоните в поддержку.',
  ticketNumber: 'Заявка №{n}',
  reportSaved: 'Заявка принята',
  reactWithin: 'Мы отреагируем в течение {n}',
  reactUntil: '(до {n})',
  minutesOne: 'минуты',
  minutesMany: 'минут',
  savedOffline: 'Нет связи: сообщение сохранено и уйдёт первым делом',
  sendingNow: 'Заявка сохранена на этой кассе и отправляется в поддержку…',
  waitingTicket: 'Заявка отправлена в поддержку, ждём номер',
  notSavedTitle: 'Заявка НЕ сохранена',
  notSaved:
    'Заявка НЕ сохранена: касса не смогла записать её на диск. Позвоните в поддержку и назовите кассу: {n}. ' +
    'Не выключайте кассу: она продолжает пытаться сохранить и отправить заявку.',
  notSavedLost: 'Заявка НЕ сохранена и потеряна: касса перезапустилась раньше, чем смогла её записать. Позвоните в поддержку и назовите кассу: {n}.',
  rejected: 'Поддержка не смогла принять заявку. Позвоните, пожалуйста, в поддержку.',
  status: 'Статус',
  status_open: 'Открыта',
  status_in_progress: 'Инженер работает',
  status_resolved: 'Решена',
  status_closed: 'Закрыта',
  progress_queued: 'Заявка в очереди поддержки',
  progress_taken: 'Инженер взял заявку и работает над ней',
  progress_waiting_vendor: 'Ждём сервисный центр или поставщика оборудования',
  progress_waiting_store: 'Инженер ждёт ответа от магазина',
  progress_resolved: 'Инженер сообщает, что всё исправлено',
  progress_closed: 'Заявка закрыта',
  autoClose: 'Если не ответить, заявка закроется сама {n}',
  workingQuestion: 'Работает?',
  yes: 'Да',
  no: 'Нет',
  answerThanks: 'Спасибо, что подтвердили! Рады, что всё работает.',
  answerReopened: 'Заявка снова открыта, инженер продолжит работу. Статус выше обновляется сам. Если срочно — позвоните в поддержку.',
  answerFailed: 'Ответ НЕ сохранён. Попробуйте ещё раз или позвоните в поддержку.',
  newReport: 'Новая заявка',
  online: 'Связь с поддержкой есть',
  offline: 'Нет связи с поддержкой',
  devicesOk: 'Оборудование в порядке',
  devicesProblem: 'Есть неполадки с оборудованием',
  devicesUnknown: 'Состояние оборудования проверяется',
  language: 'Язык',
  testPrintQuestion: 'Напечатать тестовый чек?',
  testPrintYes: 'Напечатать',
  testPrintNo: 'Не нужно',
  testPrinting: 'Печатаем тестовый чек…',
  testPrint_printed: 'Тестовый чек напечатан, принтер в порядке. Если чек не вышел, скажите об этом поддержке.',
  testPrint_failed: 'Тестовый чек не напечатался: принтер сообщает о неисправности.',
  testPrint_refused: 'Тестовый чек не печатали: принтер сейчас занят или не готов (например, нет бумаги или открыта крышка).',
  testPrint_not_sent: 'Не получилось передать тестовый чек на принтер.',
  testPrintSaved: 'Результат сохранён и будет передан в поддержку.',
  testPrintNotSaved: 'Результат НЕ сохранён на кассе: сообщите его поддержке по телефону.',
  testPrintError: 'Не получилось запустить тестовую печать. Попробуйте позже или позвоните в поддержку.',
} as const;

type PageStringKey = keyof typeof ru;

const en: Record<PageStringKey, string> = {
  pageTitle: 'Report a problem',
  heading: 'What happened?',
  notePlaceholder: 'Describe it briefly (optional)',
  send: 'Send',
  sending: 'Sending…',
  chooseSymptom: 'Choose what happened',
  sendFailed: 'Could not save the report. Try again or call support.',
  ticketNumber: 'Ticket #{n}',
  reportSaved: 'Report received',
  reactWithin: 'We will respond within {n}',
  reactUntil: '(by {n})',
  minutesOne: 'minute',
  minutesMany: 'minutes',
  savedOffline: 'Offline: saved, will be sent first',
  sendingNow: 'Saved on this register and being sent to support…',
  waitingTicket: 'Sent to support, waiting for its number',
  notSavedTitle: 'The report was NOT saved',
  notSaved:
    'The report was NOT saved: the register could not write it to its disk. Call the helpdesk and give this register: {n}. ' +
    'Do not switch the register off: it keeps trying to save and send the report.',
  notSavedLost: 'The report was NOT saved and is lost: the register restarted before it could write it. Call the helpdesk and give this register: {n}.',
  rejected: 'Support could not accept the report. Please call support.',
  status: 'Status',
  status_open: 'Open',
  status_in_progress: 'An engineer is working on it',
  status_resolved: 'Resolved',
  status_closed: 'Closed',
  progress_queued: 'Your ticket is in the support queue',
  progress_taken: 'An engineer has taken it and is working on it',
  progress_waiting_vendor: 'Waiting for the service centre or the equipment vendor',
  progress_waiting_store: 'The engineer is waiting for an answer from the store',
  progress_resolved: 'The engineer says it is fixed',
  progress_closed: 'The ticket is closed',
  autoClose: 'Without an answer the ticket closes by itself {n}',
  workingQuestion: 'Is it working now?',
  yes: 'Yes',
  no: 'No',
  answerThanks: 'Thank you for confirming! Glad it works.',
  answerReopened: 'The ticket is open again and an engineer will continue. The status above updates by itself. If urgent, call support.',
  answerFailed: 'Your answer was NOT saved. Please try again or call the helpdesk.',
  newReport: 'New report',
  online: 'Connected to support',
  offline: 'No connection to support',
  devicesOk: 'Equipment is fine',
  devicesProblem: 'Equipment has a problem',
  devicesUnknown: 'Checking the equipment',
  language: 'Language',
  testPrintQuestion: 'Print a test receipt?',
  testPrintYes: 'Print',
  testPrintNo: 'No, thanks',
  testPrinting: 'Printing a test receipt…',
  testPrint_printed: 'The test receipt was printed and the printer reports no fault. If no receipt came out, tell support.',
  testPrint_failed: 'The test receipt did not print: the printer reports a fault.',
  testPrint_refused: 'No test receipt was printed: the printer is busy or not ready (for example out of paper or its cover is open).',
  testPrint_not_sent: 'The test receipt could not be sent to the printer.',
  testPrintSaved: 'The result is saved and will be passed to support.',
  testPrintNotSaved: 'The result was NOT saved on this register: tell support by phone.',
  testPrintError: 'The test print could not be started. Try later or call support.',
};

export const PAGE_STRINGS: Record<Locale, Record<PageStringKey, string>> = { ru, en };

/** The four symptom buttons, in the order the page shows them. */
export const SYMPTOM_ORDER: readonly Symptom[] = ['no_receipt', 'fiscal_error', 'scanner', 'other'];

export function symptomTitles(): { id: Symptom; title: Record<Locale, string> }[] {
  return SYMPTOM_ORDER.map((id) => ({ id, title: { ru: SYMPTOMS[id].title.ru, en: SYMPTOMS[id].title.en } }));
}
