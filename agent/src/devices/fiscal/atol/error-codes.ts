// ATOL Driver v10 error codes a task result can carry (`error.code`), as docs/devices.md §3.2
// lists them (values computed from the vendored libfptr10.py [V-I]; verify against the installed
// driver), with what each means for the register's findings. Codes devices.md does not name are
// shown as "code N" and mean nothing for findings. Pure.
import type { DiagnosisCode } from '@tillscope/shared';

export interface AtolErrorCode {
  /** the libfptr10 constant's name, without LIBFPTR_ERROR_ */
  name: string;
  ru: string;
  en: string;
  /** the finding this error is evidence of, when it is one */
  finding?: DiagnosisCode;
}

/** The table. The findings mapping is [I]: the names say what failed, not ATOL's own advice. */
export const ATOL_ERROR_CODES: Readonly<Record<number, AtolErrorCode>> = {
  0: { name: 'OK', ru: 'Ошибок нет', en: 'no error' },
  2: { name: 'NO_CONNECTION', ru: 'Нет связи с ККТ', en: 'no connection with the register', finding: 'fiscal.no_reply' },
  3: { name: 'PORT_BUSY', ru: 'Порт ККТ занят', en: 'register port busy', finding: 'fiscal.port_busy' },
  4: { name: 'PORT_NOT_AVAILABLE', ru: 'Порт ККТ недоступен', en: 'register port not available', finding: 'fiscal.no_reply' },
  44: { name: 'NO_PAPER', ru: 'Нет бумаги', en: 'no paper', finding: 'fiscal.paper_end' },
  45: { name: 'COVER_OPENED', ru: 'Открыта крышка', en: 'cover open', finding: 'fiscal.cover_open' },
  46: { name: 'PRINTER_FAULT', ru: 'Неисправность печатающего устройства', en: 'printer fault', finding: 'fiscal.printer_error' },
  68: { name: 'SHIFT_EXPIRED', ru: 'Смена превысила 24 часа', en: 'shift over 24 hours', finding: 'fiscal.shift_expired' },
  73: { name: 'DENIED_IN_CLOSED_SHIFT', ru: 'Операция запрещена при закрытой смене', en: 'not allowed with the shift closed' },
  114: { name: 'PRINTER_OVERHEAT', ru: 'Перегрев печатающей головки', en: 'print head overheated', finding: 'fiscal.printer_error' },
  115: { name: 'FN_EXCHANGE', ru: 'Ошибка обмена с ФН', en: 'fiscal drive exchange error' },
  120: { name: 'FN_EXPIRED', ru: 'Срок ФН истёк', en: 'fiscal drive expired', finding: 'fiscal.fn_expired' },
  121: { name: 'FN_OVERFLOW', ru: 'Переполнение ФН', en: 'fiscal drive overflow', finding: 'fiscal.fn_critical_error' },
  122: { name: 'code 122 (FN date/time, devices.md §4)', ru: 'ФН отклонил дату/время', en: 'fiscal drive refused the date/time', finding: 'fiscal.clock_drift' },
  124: { name: 'FN_TOTAL_OVERFLOW', ru: 'Переполнение итогов ФН', en: 'fiscal drive totals overflow' },
  135: { name: 'FN_NO_TRANSPORT_CONNECTION', ru: 'Нет транспортного соединения с ОФД', en: 'no transport connection to the OFD', finding: 'fiscal.ofd_connection_error' },
  136: { name: 'FN_CRYPTO_HAS_EXPIRED', ru: 'Исчерпан ресурс криптопроцессора ФН', en: 'fiscal drive crypto-processor expired', finding: 'fiscal.fn_expired' },
  137: { name: 'FN_RESOURCE_HAS_EXPIRED', ru: 'Исчерпан ресурс ФН', en: 'fiscal drive resource exhausted', finding: 'fiscal.fn_expired' },
  139: { name: 'FN_HAS_NOT_SEND_DOCUMENTS', ru: 'В ФН есть документы, не переданные в ОФД', en: 'fiscal drive holds documents not sent to the OFD', finding: 'fiscal.ofd_unsent_blocked' },
  140: { name: 'FN_TIMEOUT', ru: 'Истёк срок ожидания передачи в ОФД', en: 'OFD transmission wait exhausted', finding: 'fiscal.ofd_unsent_blocked' },
  141: { name: 'FN_SHIFT_EXPIRED', ru: 'Смена в ФН превысила 24 часа', en: 'fiscal drive shift over 24 hours', finding: 'fiscal.shift_expired' },
  142: { name: 'FN_INVALID_TIME_DIFFERENCE', ru: 'Неверная разница времени между операциями', en: 'invalid time difference between operations', finding: 'fiscal.clock_drift' },
  166: { name: 'FN_NOT_FOUND', ru: 'ФН не найден', en: 'fiscal drive not found', finding: 'fiscal.fn_critical_error' },
  402: { name: 'NO_CONNECTION_WITH_SERVER', ru: 'Нет связи с сервером', en: 'no connection with the server', finding: 'fiscal.ofd_connection_error' },
  411: { name: 'OFD_EXCHANGE', ru: 'Ошибка обмена с ОФД', en: 'OFD exchange error', finding: 'fiscal.ofd_connection_error' },
};

/** The table's entry, or a neutral one for a code devices.md does not name. */
export function atolError(code: number): AtolErrorCode {
  return ATOL_ERROR_CODES[code] ?? { name: `code ${code}`, ru: `Ошибка драйвера АТОЛ, код ${code}`, en: `ATOL driver error, code ${code}` };
}

/** "3 PORT_BUSY (register port busy): <the server's own description>" for a finding's detail. */
export function describeAtolError(code: number, description?: string): string {
  const entry = atolError(code);
  const own = description?.trim() ? `: ${description.trim().slice(0, 200)}` : '';
  return `ATOL error ${code} ${entry.name} (${entry.en})${own}`;
}
