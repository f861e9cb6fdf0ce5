import type { ChecklistStep } from './checklist';
import type { CatalogueEntry } from './codes';

/**
 * Fiscal register (ККТ) diagnoses. Thresholds behind them (devices.md §4): shift 24 h, FN validity
 * warnings at 30 and 3 days, archive 90 %, the 30-day lock on documents the OFD has not confirmed.
 * A fiscal ticket answers the helpdesk's fiscal checklist: power and cable, paper and cover,
 * shift, FN, OFD exchange, clock.
 */
const FISCAL_STEPS: ChecklistStep[] = ['fiscal.answers', 'fiscal.paper_cover', 'fiscal.shift', 'fiscal.fn', 'fiscal.ofd', 'fiscal.clock'];

function fiscal(entry: Omit<CatalogueEntry, 'category' | 'group' | 'checklist' | 'autoResolve'> & Partial<CatalogueEntry>): CatalogueEntry {
  return { category: 'fiscal', group: 'fiscal', checklist: FISCAL_STEPS, autoResolve: true, ...entry };
}

export const FISCAL_ENTRIES: CatalogueEntry[] = [
  fiscal({
    code: 'fiscal.no_reply',
    storeCause: true,
    holdSec: 30,
    severity: 'critical',
    blindsDevice: true,
    title: { ru: 'ККТ не отвечает', en: 'Fiscal register does not answer' },
    advice: {
      ru: 'Нет ответа на запрос состояния: проверить питание ККТ, кабель или сеть, порт в настройках; для АТОЛ — что веб-сервер драйвера запущен.',
      en: 'No answer to a status query: check the register power, cable or network and the configured port; for ATOL, that the driver web server runs.',
    },
  }),
  fiscal({
    code: 'fiscal.port_busy',
    holdSec: 60,
    severity: 'minor',
    blindsDevice: true,
    title: { ru: 'Порт ККТ занят кассовой программой', en: 'Fiscal register port held by the POS application' },
    advice: {
      ru: 'Порт держит кассовая программа или драйвер; агент не забирает порт и повторит позже. Если так постоянно, настроить опрос через сервис драйвера.',
      en: 'The POS application or driver holds the port; the agent never takes it and retries later. If it never frees, probe through the driver service instead.',
    },
  }),
  fiscal({
    code: 'fiscal.paper_end',
    holdSec: 120,
    severity: 'critical',
    title: { ru: 'В ККТ нет бумаги', en: 'Fiscal register out of paper' },
    advice: { ru: 'Попросить кассира вставить новый чековый рулон и закрыть крышку.', en: 'Ask the cashier to load a new receipt roll and close the cover.' },
  }),
  fiscal({
    code: 'fiscal.cover_open',
    holdSec: 120,
    severity: 'critical',
    title: { ru: 'Открыта крышка ККТ', en: 'Fiscal register cover open' },
    advice: { ru: 'Попросить кассира закрыть крышку принтера ККТ до щелчка.', en: 'Ask the cashier to shut the register printer cover until it clicks.' },
  }),
  fiscal({
    code: 'fiscal.cutter_error',
    severity: 'major',
    title: { ru: 'Ошибка отрезчика ККТ', en: 'Fiscal register cutter error' },
    advice: { ru: 'Открыть крышку, убрать замятую ленту из отрезчика. Если повторяется — сервисный центр.', en: 'Open the cover, clear the jammed paper from the cutter. If it recurs, send to service.' },
  }),
  fiscal({
    code: 'fiscal.printer_error',
    severity: 'critical',
    title: { ru: 'Ошибка печатающего механизма ККТ', en: 'Fiscal register printer fault' },
    advice: { ru: 'Выключить и включить ККТ. Если ошибка остаётся — замена ККТ или ремонт механизма.', en: 'Power-cycle the register. If the fault stays, replace the register or repair the mechanism.' },
  }),
  fiscal({
    code: 'fiscal.shift_over_23h',
    severity: 'major',
    title: { ru: 'Смена открыта более 23 часов', en: 'Shift open for more than 23 hours' },
    advice: {
      ru: 'Через 24 часа ККТ перестанет пробивать чеки: попросить кассира закрыть смену (Z-отчёт) и открыть новую.',
      en: 'At 24 hours the register stops selling: ask the cashier to close the shift (Z report) and open a new one.',
    },
  }),
  fiscal({
    code: 'fiscal.shift_expired',
    severity: 'critical',
    title: { ru: 'Смена превысила 24 часа — продажи заблокированы', en: 'Shift past 24 hours: sales blocked' },
    advice: {
      ru: 'Кассир должен закрыть смену (Z-отчёт) и открыть новую; до этого чеки не пробиваются.',
      en: 'The cashier must close the shift (Z report) and open a new one; no receipt can be issued until then.',
    },
  }),
  fiscal({
    code: 'fiscal.fn_expires_30d',
    severity: 'minor',
    title: { ru: 'Срок ФН истекает в течение 30 дней', en: 'Fiscal drive expires within 30 days' },
    advice: {
      ru: 'Заказать новый ФН и запланировать выезд для замены и перерегистрации ККТ до даты окончания.',
      en: 'Order a new fiscal drive and schedule a visit to replace it and re-register the register before the date.',
    },
  }),
  fiscal({
    code: 'fiscal.fn_expires_3d',
    severity: 'major',
    title: { ru: 'Срок ФН истекает через 3 дня или раньше', en: 'Fiscal drive expires within 3 days' },
    advice: {
      ru: 'Срочно заменить ФН и перерегистрировать ККТ: после даты окончания продажи остановятся.',
      en: 'Replace the fiscal drive and re-register the register urgently: sales stop at the expiry date.',
    },
  }),
  fiscal({
    code: 'fiscal.fn_expired',
    severity: 'critical',
    title: { ru: 'Срок ФН истёк — продажи заблокированы', en: 'Fiscal drive expired: sales blocked' },
    advice: { ru: 'Заменить ФН и перерегистрировать ККТ в ФНС. До замены касса не продаёт.', en: 'Replace the fiscal drive and re-register with the tax service. The register cannot sell until then.' },
  }),
  fiscal({
    code: 'fiscal.fn_archive_90',
    severity: 'minor',
    title: { ru: 'Архив ФН заполнен на 90 %', en: 'Fiscal drive archive 90 % full' },
    advice: { ru: 'Запланировать замену ФН: когда архив заполнится, ККТ перестанет формировать документы.', en: 'Plan the fiscal drive replacement: once the archive is full the register stops issuing documents.' },
  }),
  fiscal({
    code: 'fiscal.fn_critical_error',
    severity: 'critical',
    title: { ru: 'Критическая ошибка ФН', en: 'Critical fiscal drive error' },
    advice: { ru: 'ФН сообщил о критической ошибке: нужна замена ФН, обратиться в сервисный центр.', en: 'The fiscal drive reports a critical error: it needs replacing, contact the service centre.' },
  }),
  fiscal({
    code: 'fiscal.ofd_unsent_warning',
    severity: 'minor',
    title: { ru: 'Документы не уходят в ОФД несколько дней', en: 'Documents unsent to the OFD for days' },
    advice: {
      ru: 'Проверить интернет на кассе и настройки ОФД в ККТ. Через 30 дней с первого неотправленного документа ФН заблокирует продажи.',
      en: 'Check the register internet link and the OFD settings. 30 days after the first unsent document the FN blocks sales.',
    },
  }),
  fiscal({
    code: 'fiscal.ofd_unsent_critical',
    severity: 'major',
    title: { ru: 'Документы не отправлены в ОФД почти 30 дней', en: 'Documents unsent to the OFD for nearly 30 days' },
    advice: {
      ru: 'Срочно восстановить обмен с ОФД (сеть, настройки, договор с ОФД): блокировка продаж через несколько дней.',
      en: 'Restore the OFD exchange urgently (network, settings, OFD contract): sales lock within days.',
    },
  }),
  fiscal({
    code: 'fiscal.ofd_unsent_blocked',
    severity: 'critical',
    title: { ru: 'Документы не отправлены в ОФД 30 дней — продажи заблокированы', en: 'Documents unsent to the OFD for 30 days: sales blocked' },
    advice: {
      ru: 'ФН перестал подписывать документы. Восстановить связь с ОФД и дождаться отправки; при ошибке ФН — сервисный центр.',
      en: 'The FN stopped signing documents. Restore the OFD link and let the backlog send; on an FN error, call the service centre.',
    },
  }),
  fiscal({
    code: 'fiscal.ofd_connection_error',
    storeCause: true,
    holdSec: 300,
    severity: 'minor',
    title: { ru: 'Ошибка связи ККТ с ОФД', en: 'Register cannot reach the OFD' },
    advice: {
      ru: 'Проверить сеть кассы, адрес и порт ОФД в настройках ККТ, срок договора с ОФД.',
      en: 'Check the register network, the OFD address and port in the register settings, and the OFD contract.',
    },
  }),
  fiscal({
    code: 'fiscal.clock_drift',
    severity: 'major',
    title: { ru: 'Часы ККТ расходятся с часами кассы', en: 'Register clock differs from the host clock' },
    advice: {
      ru: 'ФН отвергает неверное время. Проверить синхронизацию времени на кассе; дату и время ККТ меняют только при закрытой смене.',
      en: 'The FN rejects a wrong time. Check the host time sync; the register clock may be set only with the shift closed.',
    },
  }),
  fiscal({
    code: 'fiscal.queue_blocked',
    severity: 'critical',
    title: { ru: 'Очередь заданий драйвера ККТ остановлена', en: 'Fiscal driver task queue blocked' },
    advice: {
      ru: 'Результат задания неизвестен, очередь ждёт оператора. Проверить в кассовой программе последний чек; агент очередь не трогает.',
      en: 'A task result is unknown and the queue waits for an operator. Check the last receipt in the POS application; the agent never touches the queue.',
    },
  }),
  fiscal({
    code: 'fiscal.queue_timeout',
    severity: 'major',
    blindsDevice: true,
    title: { ru: 'Драйвер ККТ не выполнил запрос вовремя', en: 'Fiscal driver did not answer in time' },
    advice: {
      ru: 'Веб-сервер драйвера принял запрос, но не выполнил его: ККТ занята или зависла. Проверить ККТ и перезапустить драйвер.',
      en: 'The driver web server took the request but did not run it: the register is busy or hung. Check it and restart the driver.',
    },
  }),
];
