// The meaning of Shtrih-M status values in Russian and English: FR flags, modes, submodes, FN life
// phases, FN document types, FN warning flags and OFD exchange bits. Pure data.
// Facts: docs/devices.md §3.1 (javapos ReadShortStatus/FSReadStatus/FSReadCommStatus, pyshtrih
// handlers/functions.py); the Russian wording follows those sources.
import type { LocalizedText } from '@tillscope/shared';

const t = (ru: string, en: string): LocalizedText => ({ ru, en });

export interface BitSpec<K extends string = string> {
  bit: number;
  key: K;
  whenSet: LocalizedText;
  whenClear: LocalizedText;
  /** which state is a fault; undefined when neither is (or validity is model-specific) */
  alarmWhen?: 'set' | 'clear';
}

/**
 * FR flags (0x10 bytes 2-3, 0x11 bytes 12-13), javapos ReadShortStatus [V]. Which bits a model
 * actually drives is model-specific (pyshtrih masks them per model): the paper and cover bits
 * are flagged as faults here, and the diagnosis decides whether to trust them.
 */
export const FR_FLAG_BITS = [
  { bit: 0, key: 'journalRoll', whenSet: t('Рулон операционного журнала есть', 'journal roll present'), whenClear: t('Рулон операционного журнала: нет или мало', 'journal roll low or absent') },
  {
    bit: 1,
    key: 'receiptRoll',
    whenSet: t('Рулон чековой ленты есть', 'receipt roll present'),
    whenClear: t('Рулон чековой ленты: нет или мало', 'receipt roll low or absent'),
    alarmWhen: 'clear',
  },
  { bit: 2, key: 'slipUpperSensor', whenSet: t('Верхний датчик подкладного документа: есть', 'slip upper sensor: document'), whenClear: t('Верхний датчик подкладного документа: нет', 'slip upper sensor: none') },
  { bit: 3, key: 'slipLowerSensor', whenSet: t('Нижний датчик подкладного документа: есть', 'slip lower sensor: document'), whenClear: t('Нижний датчик подкладного документа: нет', 'slip lower sensor: none') },
  { bit: 4, key: 'decimalPoint', whenSet: t('Положение десятичной точки: 2 знака', 'decimal point: 2 digits'), whenClear: t('Положение десятичной точки: 0 знаков', 'decimal point: 0 digits') },
  { bit: 5, key: 'eklzPresent', whenSet: t('ЭКЛЗ есть', 'EKLZ present'), whenClear: t('ЭКЛЗ нет', 'no EKLZ') },
  { bit: 6, key: 'journalOptical', whenSet: t('Оптический датчик журнала: бумага есть', 'journal optical sensor: paper'), whenClear: t('Оптический датчик журнала: бумаги нет', 'journal optical sensor: no paper') },
  {
    bit: 7,
    key: 'receiptOptical',
    whenSet: t('Оптический датчик чековой ленты: бумага есть', 'receipt optical sensor: paper'),
    whenClear: t('Оптический датчик чековой ленты: бумаги нет', 'receipt optical sensor: no paper'),
    alarmWhen: 'clear',
  },
  { bit: 8, key: 'journalLeverDown', whenSet: t('Рычаг термоголовки журнала опущен', 'journal head lever down'), whenClear: t('Рычаг термоголовки журнала поднят', 'journal head lever up') },
  { bit: 9, key: 'receiptLeverDown', whenSet: t('Рычаг термоголовки чековой ленты опущен', 'receipt head lever down'), whenClear: t('Рычаг термоголовки чековой ленты поднят', 'receipt head lever up') },
  { bit: 10, key: 'coverOpen', whenSet: t('Крышка корпуса ФР поднята', 'case cover up'), whenClear: t('Крышка корпуса ФР опущена', 'case cover down'), alarmWhen: 'set' },
  { bit: 11, key: 'drawerOpen', whenSet: t('Денежный ящик открыт', 'cash drawer open'), whenClear: t('Денежный ящик закрыт', 'cash drawer closed') },
  { bit: 12, key: 'bit12', whenSet: t('Бит 12 (зависит от модели) установлен', 'bit 12 (model-specific) set'), whenClear: t('Бит 12 (зависит от модели) сброшен', 'bit 12 (model-specific) clear') },
  { bit: 13, key: 'bit13', whenSet: t('Бит 13 (зависит от модели) установлен', 'bit 13 (model-specific) set'), whenClear: t('Бит 13 (зависит от модели) сброшен', 'bit 13 (model-specific) clear') },
  { bit: 14, key: 'eklzNearlyFull', whenSet: t('ЭКЛЗ почти заполнена', 'EKLZ almost full'), whenClear: t('ЭКЛЗ не заполнена', 'EKLZ not full') },
  { bit: 15, key: 'bit15', whenSet: t('Бит 15 (зависит от модели) установлен', 'bit 15 (model-specific) set'), whenClear: t('Бит 15 (зависит от модели) сброшен', 'bit 15 (model-specific) clear') },
] as const satisfies readonly BitSpec[];

export type FrFlagKey = (typeof FR_FLAG_BITS)[number]['key'];

/** FR modes, low nibble of the mode byte (devices.md §3.1, pyshtrih FRMode). */
export const MODES: Readonly<Record<number, LocalizedText>> = {
  0: t('Принтер в рабочем режиме', 'printer working'),
  1: t('Выдача данных', 'data output'),
  2: t('Открытая смена, 24 часа не кончились', 'shift open, under 24 hours'),
  3: t('Открытая смена, 24 часа кончились', 'shift open, 24 hours expired'),
  4: t('Закрытая смена', 'shift closed'),
  5: t('Блокировка по неправильному паролю налогового инспектора', 'locked: wrong tax inspector password'),
  6: t('Ожидание подтверждения ввода даты', 'waiting for date confirmation'),
  7: t('Разрешение изменения положения десятичной точки', 'decimal point change allowed'),
  8: t('Открытый документ', 'document open'),
  9: t('Режим разрешения технологического обнуления', 'technological reset allowed'),
  10: t('Тестовый прогон', 'test run'),
  11: t('Печать полного фискального отчёта', 'printing full fiscal report'),
  12: t('Печать отчёта ЭКЛЗ', 'printing EKLZ report'),
  13: t('Работа с фискальным подкладным документом', 'fiscal slip document'),
  14: t('Печать подкладного документа', 'printing slip document'),
  15: t('Фискальный подкладной документ сформирован', 'fiscal slip document formed'),
};

/** Mode status (high nibble) for mode 8, document open. */
export const DOCUMENT_MODE_STATUS: Readonly<Record<number, LocalizedText>> = {
  0: t('продажа', 'sale'),
  1: t('покупка', 'purchase'),
  2: t('возврат продажи', 'sale return'),
  3: t('возврат покупки', 'purchase return'),
};

/** FR submodes (devices.md §3.1). 1 and 2: no paper; 3: waiting for 0xB0, which the agent never sends. */
export const SUBMODES: Readonly<Record<number, LocalizedText>> = {
  0: t('Бумага есть', 'paper present'),
  1: t('Нет бумаги (пассивное отсутствие)', 'no paper (passive)'),
  2: t('Нет бумаги: ФР ждёт бумагу для продолжения печати', 'no paper: waiting for paper to continue printing'),
  3: t('ФР ждёт команду продолжения печати', 'waiting for the continue-printing command'),
  4: t('Печать фискальных отчётов', 'printing fiscal reports'),
  5: t('Печать операции', 'printing an operation'),
};

/** FN life phase (FF01 byte 1), the values devices.md names; other values are shown bit by bit. */
export const FN_PHASES: Readonly<Record<number, LocalizedText>> = {
  0: t('Настройка ФН', 'FN setup'),
  1: t('Готовность к фискализации', 'ready for fiscalisation'),
  3: t('Фискальный режим', 'fiscal mode'),
  7: t('Постфискальный режим, идёт передача ФД в ОФД', 'post-fiscal mode, sending documents to the OFD'),
  15: t('Чтение данных из архива ФН', 'reading the FN archive'),
};

/** The FN document open (FF01 byte 2), hex codes as javapos/pyshtrih list them. */
export const FN_DOCUMENTS: Readonly<Record<number, LocalizedText>> = {
  0x00: t('Нет открытого документа', 'no open document'),
  0x01: t('Отчёт о фискализации', 'registration report'),
  0x02: t('Отчёт об открытии смены', 'shift opening report'),
  0x04: t('Кассовый чек', 'receipt'),
  0x08: t('Отчёт о закрытии смены', 'shift closing report'),
  0x10: t('Отчёт о закрытии фискального режима', 'fiscal mode closing report'),
  0x11: t('Бланк строгой отчётности', 'strict reporting form (BSO)'),
  0x12: t('Отчёт об изменении параметров регистрации в связи с заменой ФН', 're-registration report (FN replacement)'),
  0x13: t('Отчёт об изменении параметров регистрации', 're-registration report'),
  0x14: t('Кассовый чек коррекции', 'correction receipt'),
  0x15: t('БСО коррекции', 'correction BSO'),
  0x17: t('Отчёт о текущем состоянии расчётов', 'settlement status report'),
};

/**
 * FN warning flags (FF01 byte 5), the same byte in every FN-based register. Bits 0-3 [V]; bits 4-6
 * [S]; the critical-error bit is 7 in several codebases and 6 in one [S], so it is an option.
 */
export const FN_WARNING_BITS = [
  { bit: 0, key: 'replaceUrgently', whenSet: t('Срочная замена КС: до окончания срока 3 дня', 'replace crypto-processor urgently: 3 days left'), whenClear: t('Срочная замена КС не требуется', 'no urgent crypto-processor replacement'), alarmWhen: 'set' },
  { bit: 1, key: 'resourceExhausted', whenSet: t('Исчерпание ресурса КС: до окончания срока 30 дней', 'crypto resource running out: 30 days left'), whenClear: t('Ресурс КС не исчерпывается', 'crypto resource not running out'), alarmWhen: 'set' },
  { bit: 2, key: 'archiveNearlyFull', whenSet: t('Архив ФН заполнен на 90 %', 'FN archive 90 % full'), whenClear: t('Архив ФН не заполнен на 90 %', 'FN archive under 90 %'), alarmWhen: 'set' },
  { bit: 3, key: 'ofdTimeout', whenSet: t('Превышено время ожидания ответа ОФД', 'OFD response timeout exceeded'), whenClear: t('Время ожидания ответа ОФД не превышено', 'OFD response within time'), alarmWhen: 'set' },
  { bit: 4, key: 'ofdFormatFailure', whenSet: t('ОФД: отказ по данным форматно-логического контроля [S]', 'OFD: format-logic check failure [S]'), whenClear: t('Бит 4 сброшен', 'bit 4 clear') },
  { bit: 5, key: 'setupRequired', whenSet: t('ОФД: требуется настройка ККТ [S]', 'OFD: register setup required [S]'), whenClear: t('Бит 5 сброшен', 'bit 5 clear') },
  { bit: 6, key: 'ofdAnnulled', whenSet: t('ОФД аннулирован [S] (или критическая ошибка ФН в одной из реализаций)', 'OFD annulled [S] (critical FN error in one codebase)'), whenClear: t('Бит 6 сброшен', 'bit 6 clear') },
  { bit: 7, key: 'criticalError', whenSet: t('Критическая ошибка ФН [S]', 'critical FN error [S]'), whenClear: t('Бит 7 сброшен', 'bit 7 clear') },
] as const satisfies readonly BitSpec[];

/** OFD exchange status bits (FF39 byte 1), pyshtrih/javapos FSReadCommStatus [V]. */
export const OFD_STATUS_BITS = [
  { bit: 0, key: 'connected', whenSet: t('Транспортное соединение с ОФД установлено', 'transport connection to the OFD up'), whenClear: t('Транспортного соединения с ОФД нет', 'no transport connection to the OFD') },
  { bit: 1, key: 'messagePending', whenSet: t('Есть сообщение для передачи в ОФД', 'message for the OFD pending'), whenClear: t('Нет сообщений для ОФД', 'no message for the OFD') },
  { bit: 2, key: 'awaitingReceipt', whenSet: t('Ожидание квитанции от ОФД', 'waiting for the OFD receipt'), whenClear: t('Квитанция от ОФД не ожидается', 'no OFD receipt awaited') },
  { bit: 3, key: 'commandFromOfd', whenSet: t('Есть команда от ОФД', 'command from the OFD'), whenClear: t('Нет команды от ОФД', 'no command from the OFD') },
  { bit: 4, key: 'settingsChanged', whenSet: t('Изменились настройки соединения с ОФД', 'OFD connection settings changed'), whenClear: t('Настройки соединения с ОФД не менялись', 'OFD connection settings unchanged') },
  { bit: 5, key: 'awaitingCommandReply', whenSet: t('Ожидание ответа на команду от ОФД', 'waiting for a reply to an OFD command'), whenClear: t('Ответ на команду ОФД не ожидается', 'no reply to an OFD command awaited') },
] as const satisfies readonly BitSpec[];

/** A bit table applied to a value: each key true when its bit is set. */
export function bitsOf<K extends string>(table: readonly BitSpec<K>[], value: number): Record<K, boolean> {
  return Object.fromEntries(table.map((spec) => [spec.key, (value & (1 << spec.bit)) !== 0])) as Record<K, boolean>;
}
