import { z } from 'zod';
import type { LocalizedText } from '../i18n';

/**
 * The first-line helpdesk checklist ("is there paper? is the cover shut? are the lights on?
 * is it powered? print a test"), as steps the agent answers from what the device reports.
 */
export const ChecklistStep = z.enum([
  'printer.connection', // the port is there: serial port present, USB enumerated, TCP reachable
  'printer.answers', // powered and cabled: it replies to a status query at all
  'printer.online',
  'printer.paper',
  'printer.cover',
  'printer.cutter', // tape jammed in the cutter
  'printer.error', // error indicator lit
  'printer.queue', // the OS driver and print queue (spooler, CUPS): running, not paused, no stuck jobs
  'printer.test_print',
  'agent.connected',
  // A fiscal register (ККТ): the questions a helpdesk asks about one, in the order it asks them.
  'fiscal.answers', // powered and cabled; the port is free; it replies at all
  'fiscal.paper_cover', // receipt paper loaded, cover shut, no printer fault inside the register
  'fiscal.shift', // the shift is not past its 24 hours
  'fiscal.fn', // the fiscal drive (ФН) is valid, not full, no critical error
  'fiscal.ofd', // documents reach the OFD
  'fiscal.clock', // the register's clock agrees with the host's
  // The register itself (host probes): what the second line asks about the machine.
  'host.print_service', // the OS print service (Spooler, CUPS) runs, its queues move, drivers unchanged
  'host.clock', // the OS clock is synchronised and not drifting
  'host.disk', // the system and data disks have room
  'host.peripherals', // the printers, fiscal registers and adapters are attached
  'host.pos_app', // the POS application runs
  'host.reference', // the register matches its reference image (эталон)
]);
export type ChecklistStep = z.infer<typeof ChecklistStep>;

/** `unknown` means the machine could not check the step: a person still has to. */
export const ChecklistResult = z.enum(['passed', 'failed', 'unknown']);
export type ChecklistResult = z.infer<typeof ChecklistResult>;

export const ChecklistAnswer = z.object({
  step: ChecklistStep,
  result: ChecklistResult,
  /** What the machine saw, in plain words (English; the step title carries both languages). */
  observed: z.string().max(500),
});
export type ChecklistAnswer = z.infer<typeof ChecklistAnswer>;

export const CHECKLIST_STEP_TITLES: Record<ChecklistStep, LocalizedText> = {
  'printer.connection': { ru: 'Принтер подключён (порт есть, USB виден, сеть доступна)', en: 'Printer is connected (port present, USB enumerated, network reachable)' },
  'printer.answers': { ru: 'Принтер включён и отвечает (питание, кабель)', en: 'Printer is powered and answers (power, cable)' },
  'printer.online': { ru: 'Принтер в работе (не в офлайне)', en: 'Printer is online' },
  'printer.paper': { ru: 'Есть бумага', en: 'Paper is loaded' },
  'printer.cover': { ru: 'Крышка закрыта', en: 'Cover is closed' },
  'printer.cutter': { ru: 'Лента не замята, отрезчик исправен', en: 'No paper jam, cutter works' },
  'printer.error': { ru: 'Индикатор ошибки не горит', en: 'Error indicator is off' },
  'printer.queue': { ru: 'Драйвер и очередь печати в порядке', en: 'Driver and print queue are fine' },
  'printer.test_print': { ru: 'Тестовая печать', en: 'Test print' },
  'agent.connected': { ru: 'Касса на связи с сервером', en: 'Register is connected to the server' },
  'fiscal.answers': { ru: 'ККТ включена и отвечает (питание, кабель, порт свободен)', en: 'Fiscal register is powered and answers (power, cable, port free)' },
  'fiscal.paper_cover': { ru: 'В ККТ есть бумага, крышка закрыта, печать исправна', en: 'Register has paper, cover closed, printer works' },
  'fiscal.shift': { ru: 'Смена открыта не более 24 часов', en: 'Shift open no longer than 24 hours' },
  'fiscal.fn': { ru: 'Фискальный накопитель действителен и исправен', en: 'Fiscal drive (FN) valid and healthy' },
  'fiscal.ofd': { ru: 'Документы уходят в ОФД', en: 'Documents reach the OFD' },
  'fiscal.clock': { ru: 'Часы ККТ совпадают с часами кассы', en: 'Register clock matches the host clock' },
  'host.print_service': { ru: 'Служба печати ОС работает, очереди не стоят, драйверы не менялись', en: 'OS print service runs, queues move, drivers unchanged' },
  'host.clock': { ru: 'Часы кассы синхронизированы', en: 'Register clock is synchronised' },
  'host.disk': { ru: 'На дисках кассы есть место', en: 'Register disks have room' },
  'host.peripherals': { ru: 'Принтер, ККТ и адаптеры подключены', en: 'Printer, fiscal register and adapters are attached' },
  'host.pos_app': { ru: 'Кассовая программа запущена', en: 'POS application is running' },
  'host.reference': { ru: 'Касса совпадает с эталоном', en: 'Register matches its reference image' },
};
