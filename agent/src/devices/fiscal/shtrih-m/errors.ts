// The two Shtrih-M error tables: FN errors (replies to 0xFFxx commands) and FR errors (the
// register's own, replies to one-byte commands). Codes and Russian texts: javapos
// res/messages_ru.txt and pyshtrih excepts.py (devices.md §3.1 [V]); English is ours.
// Only codes a read-only probe can meet or a diagnosis can use are listed (devices.md calls the
// FR list a selection); any other code still decodes, as "error 0xNN, not in the table".
import type { LocalizedText } from '@tillscope/shared';
import { commandName, upperHex } from './protocol';

/** What an error code tells the diagnosis, beyond its text. */
export type ErrorKind =
  | 'paper'
  | 'cutter'
  | 'printer'
  | 'shift_expired'
  | 'fn_expired'
  | 'fn_archive_full'
  | 'ofd_blocked'
  | 'fn_error'
  | 'clock'
  | 'password'
  | 'busy'
  | 'not_supported'
  | 'other';

export interface ErrorEntry {
  text: LocalizedText;
  kind: ErrorKind;
}

const e = (ru: string, en: string, kind: ErrorKind = 'other'): ErrorEntry => ({ text: { ru, en }, kind });

export const FN_ERRORS: ReadonlyMap<number, ErrorEntry> = new Map([
  [0x01, e('ФН: неизвестная команда, неверный формат посылки или неизвестные параметры', 'FN: unknown command, bad message format or unknown parameters', 'not_supported')],
  [0x02, e('ФН: неверное состояние ФН', 'FN: invalid FN state', 'fn_error')],
  [0x03, e('ФН: ошибка ФН', 'FN: FN failure', 'fn_error')],
  [0x04, e('ФН: ошибка КС (криптографического сопроцессора)', 'FN: crypto-processor failure', 'fn_error')],
  [0x05, e('ФН: закончен срок эксплуатации ФН', 'FN: FN lifetime expired', 'fn_expired')],
  [0x06, e('ФН: архив ФН переполнен', 'FN: FN archive full', 'fn_archive_full')],
  [0x07, e('ФН: неверные дата и/или время', 'FN: invalid date and/or time', 'clock')],
  [0x08, e('ФН: нет запрошенных данных', 'FN: no requested data')],
  [0x09, e('ФН: некорректное значение параметров команды', 'FN: invalid command parameters')],
  [0x10, e('ФН: превышение размеров TLV данных', 'FN: TLV data too large')],
  [0x11, e('ФН: нет транспортного соединения', 'FN: no transport connection')],
  [0x12, e('ФН: исчерпан ресурс КС', 'FN: crypto-processor resource exhausted', 'fn_expired')],
  [0x14, e('ФН: исчерпан ресурс хранения', 'FN: storage resource exhausted', 'fn_archive_full')],
  // [I] devices.md: the 30-day lock on documents the OFD has not confirmed
  [0x15, e('ФН: исчерпан ресурс ожидания передачи сообщения', 'FN: waiting time for message transmission exhausted', 'ofd_blocked')],
  [0x16, e('ФН: продолжительность смены более 24 часов', 'FN: shift longer than 24 hours', 'shift_expired')],
  [0x17, e('ФН: неверная разница во времени между двумя операциями', 'FN: invalid time difference between two operations', 'clock')],
  [0x20, e('ФН: сообщение от ОФД не может быть принято', 'FN: message from the OFD cannot be accepted')],
  [0x23, e('ФН: отрицательный ответ сервиса обновления ключей проверки КМ', 'FN: marking-code key update service refused')],
  [0x24, e('ФН: неизвестный ответ сервиса обновления ключей проверки КМ', 'FN: unknown answer from the marking-code key update service')],
  [0x30, e('ФН: требуется повтор процедуры обновления ключей проверки КМ', 'FN: marking-code key update must be repeated')],
  [0xa0, e('ФН: запрещена работа с маркированными товарами', 'FN: marked goods not allowed')],
  [0xa2, e('ФН: работа с маркированными товарами временно заблокирована', 'FN: marked goods temporarily blocked')],
  [0xa3, e('ФН: переполнена таблица проверки кодов маркировки', 'FN: marking-code check table full')],
]);

export const FR_ERRORS: ReadonlyMap<number, ErrorEntry> = new Map([
  [0x2f, e('ФН: таймаут связи', 'FN: link timeout', 'fn_error')],
  [0x30, e('ФН: ФН ответил NAK', 'FN: the FN answered NAK', 'fn_error')],
  [0x31, e('ФН: ошибка в формате обмена', 'FN: exchange format error', 'fn_error')],
  [0x32, e('ФН: ошибка CRC', 'FN: CRC error', 'fn_error')],
  [0x33, e('Некорректные параметры в команде', 'Invalid command parameters')],
  [0x37, e('Команда не поддерживается в данной реализации', 'Command not supported by this implementation', 'not_supported')],
  [0x4e, e('Смена превысила 24 часа', 'Shift exceeded 24 hours', 'shift_expired')],
  [0x4f, e('Неверный пароль', 'Wrong password', 'password')],
  [0x50, e('Идёт печать результатов выполнения предыдущей команды', 'Previous command still printing', 'busy')],
  [0x58, e('Ожидание команды продолжения печати', 'Waiting for the continue-printing command', 'paper')],
  [0x6b, e('Нет чековой ленты', 'No receipt tape', 'paper')],
  [0x6c, e('Нет контрольной ленты', 'No journal tape', 'paper')],
  [0x71, e('Ошибка отрезчика', 'Cutter error', 'cutter')],
  [0x72, e('Команда не поддерживается в данном подрежиме', 'Command not supported in this submode', 'not_supported')],
  [0x73, e('Команда не поддерживается в данном режиме', 'Command not supported in this mode', 'not_supported')],
  [0x74, e('Ошибка ОЗУ', 'RAM error', 'printer')],
  [0x75, e('Ошибка питания', 'Power failure', 'printer')],
  [0x76, e('Ошибка принтера: нет импульсов с тахогенератора', 'Printer error: no tachometer pulses', 'printer')],
  [0x77, e('Ошибка принтера: нет сигнала с датчиков', 'Printer error: no signal from the sensors', 'printer')],
  [0x7b, e('Ошибка оборудования', 'Hardware error', 'printer')],
  [0x8f, e('Касса не фискализирована', 'Register not fiscalised')],
  [0xc8, e('Отсутствуют импульсы от таходатчика', 'No pulses from the tachometer sensor', 'printer')],
  [0xc9, e('Перегрев печатающей головки', 'Print head overheated', 'printer')],
]);

export interface DeviceError {
  /** which table the code was read from */
  table: 'fn' | 'fr';
  code: number;
  text: LocalizedText;
  kind: ErrorKind;
  /** false for a code neither table lists */
  known: boolean;
}

/**
 * The meaning of a non-zero error byte in a reply to `command`. A reply to an 0xFFxx command is
 * read from the FN table first, then the FR table (a register may refuse an FN command for its
 * own reasons, e.g. 0x4F wrong password), as pyshtrih does; a one-byte command's only from the FR
 * table. A code neither lists is kept, with its number, as an unknown error.
 */
export function deviceError(command: number, code: number): DeviceError {
  const fn = command > 0xff ? FN_ERRORS.get(code) : undefined;
  if (fn) return { table: 'fn', code, ...fn, known: true };
  const fr = FR_ERRORS.get(code);
  if (fr) return { table: 'fr', code, ...fr, known: true };
  const table = command > 0xff ? 'fn' : 'fr';
  return {
    table,
    code,
    kind: 'other',
    known: false,
    text: {
      ru: `Ошибка ${upperHex(code)} в ответе на ${commandName(command)} (нет в таблице)`,
      en: `Error ${upperHex(code)} in the reply to ${commandName(command)} (not in the table)`,
    },
  };
}
