import type { ChecklistStep } from './checklist';
import type { CatalogueEntry } from './codes';

/**
 * Diagnoses of the register itself (issue 10): its print service, clock, disk, peripherals, POS
 * application, and its drift from the reference image (эталон). Routed to the POS software and OS
 * group unless a peripheral is the matter. A host ticket answers the second line's first questions
 * in this order: print service, clock, disk, peripherals, POS application, reference.
 */
export const HOST_STEPS: ChecklistStep[] = ['host.print_service', 'host.clock', 'host.disk', 'host.peripherals', 'host.pos_app', 'host.reference'];

export const HOST_ENTRIES: CatalogueEntry[] = [
  {
    code: 'host.print_service_stopped',
    category: 'os',
    severity: 'major',
    group: 'pos_software',
    checklist: ['host.print_service'],
    title: { ru: 'Служба печати ОС не работает', en: 'OS print service is not running' },
    advice: {
      ru: 'Windows: служба «Диспетчер печати» (Spooler) остановлена или отключена; Linux: планировщик CUPS не запущен. Запустить службу и выставить автозапуск; проверить, не отключила ли её доменная политика или обновление.',
      en: 'Windows: the Print Spooler service is stopped or disabled; Linux: the CUPS scheduler is not running. Start it and set it to start automatically; check whether a domain policy or an update turned it off.',
    },
    autoResolve: true,
  },
  {
    code: 'host.print_service_crashing',
    category: 'os',
    severity: 'major',
    group: 'pos_software',
    checklist: ['host.print_service'],
    title: { ru: 'Служба печати ОС падает и перезапускается', en: 'OS print service keeps crashing' },
    advice: {
      ru: 'Служба печати перезапускается снова и снова: обычно виноват драйвер принтера после обновления. Посмотреть последние ошибки журнала печати на кассе и версию драйвера.',
      en: 'The print service restarts again and again, usually because of a printer driver after an update. Read the print log errors on the register and the driver version.',
    },
    autoResolve: true,
  },
  {
    code: 'host.print_queue_stuck',
    category: 'os',
    severity: 'minor',
    group: 'pos_software',
    checklist: ['host.print_service'],
    title: { ru: 'Задания зависли в очереди печати ОС', en: 'Jobs stuck in an OS print queue' },
    advice: {
      ru: 'В очереди печати давно ждут задания. Очистить очередь, проверить порт и драйвер принтера.',
      en: 'Jobs have waited in a print queue for long. Clear the queue, check the printer port and driver.',
    },
    autoResolve: true,
  },
  {
    code: 'host.driver_changed',
    category: 'os',
    severity: 'minor',
    group: 'pos_software',
    checklist: ['host.print_service', 'host.reference'],
    title: { ru: 'Сменился драйвер принтера', en: 'Printer driver changed' },
    advice: {
      ru: 'Версия драйвера принтера на кассе изменилась (обновление ОС или ручная установка). Если печать сломалась после этого, вернуть версию из эталона.',
      en: 'A printer driver version on the register changed (an OS update or a manual install). If printing broke after it, restore the reference version.',
    },
    autoResolve: true,
  },
  {
    code: 'host.clock_not_synced',
    storeCause: true,
    category: 'os',
    severity: 'minor',
    group: 'pos_software',
    checklist: ['host.clock'],
    title: { ru: 'Часы кассы не синхронизируются', en: 'Register clock is not synchronised' },
    advice: {
      ru: 'ОС не синхронизирует время (NTP не настроен или недоступен, источник «Local CMOS Clock»). С ККТ на кассе расхождение времени ломает фискальные документы: настроить NTP-сервер магазина.',
      en: 'The OS does not synchronise time (NTP not set up or unreachable, source "Local CMOS Clock"). With a fiscal register attached a wrong clock breaks fiscal documents: set the store NTP server.',
    },
    autoResolve: true,
  },
  {
    code: 'host.clock_drift',
    category: 'os',
    severity: 'major',
    group: 'pos_software',
    checklist: ['host.clock'],
    title: { ru: 'Часы кассы уходят', en: 'Register clock is drifting' },
    advice: {
      ru: 'Часы кассы расходятся с источником времени. Проверить синхронизацию и батарейку BIOS; затем сверить часы ККТ.',
      en: 'The register clock is off from its time source. Check synchronisation and the BIOS battery, then the fiscal register clock.',
    },
    autoResolve: true,
  },
  {
    code: 'host.disk_nearly_full',
    category: 'os',
    severity: 'major',
    group: 'pos_software',
    checklist: ['host.disk'],
    title: { ru: 'Диск кассы почти заполнен', en: 'Register disk nearly full' },
    advice: {
      ru: 'На системном или рабочем диске кончается место: кассовая программа и ОС перестанут записывать данные. Очистить журналы и временные файлы, проверить размер баз кассовой программы.',
      en: 'The system or data disk is running out of space: the POS application and the OS will fail to write. Clear logs and temporary files, check the POS databases.',
    },
    autoResolve: true,
  },
  {
    code: 'host.reboot_pending',
    category: 'os',
    severity: 'info',
    group: 'pos_software',
    checklist: [],
    title: { ru: 'Касса ждёт перезагрузки', en: 'Register waits for a reboot' },
    advice: {
      ru: 'ОС установила обновления и ждёт перезагрузки. Перезагрузить кассу вне часов торговли.',
      en: 'The OS installed updates and waits for a reboot. Reboot the register outside trading hours.',
    },
    autoResolve: true,
  },
  {
    code: 'host.device_detached',
    category: 'os',
    severity: 'minor',
    group: 'printers',
    checklist: ['host.peripherals'],
    title: { ru: 'Устройство отключено от кассы', en: 'Device detached from the register' },
    advice: {
      ru: 'Периферийное устройство пропало с USB или COM-порта. Проверить кабель и питание; принтер или ККТ в часы торговли — срочно.',
      en: 'A peripheral disappeared from USB or a COM port. Check the cable and power; a printer or fiscal register during trading hours is urgent.',
    },
    autoResolve: true,
    holdSec: 60,
  },
  {
    code: 'host.pos_app_not_running',
    category: 'os',
    severity: 'major',
    group: 'pos_software',
    checklist: ['host.pos_app'],
    title: { ru: 'Кассовая программа не запущена', en: 'POS application is not running' },
    advice: {
      ru: 'Кассовая программа установлена, но не работает. Уточнить у кассира, не закрыта ли она; если падает при запуске, смотреть журнал приложений.',
      en: 'The POS application is installed but not running. Ask the cashier whether it was closed; if it crashes on start, read the application log.',
    },
    autoResolve: true,
  },
  {
    code: 'host.drift_from_reference',
    category: 'os',
    severity: 'minor',
    group: 'pos_software',
    checklist: ['host.reference'],
    title: { ru: 'Касса отличается от эталона', en: 'Register differs from its reference image' },
    advice: {
      ru: 'Версии драйверов, службы, программы или файлы настроек не совпадают с эталоном. Вернуть эталонные значения или, если изменение нужное, обновить эталон.',
      en: 'Driver versions, services, programs or configuration files differ from the reference. Restore the reference values or, if the change is wanted, update the reference.',
    },
    autoResolve: true,
  },
  {
    code: 'host.check_failed',
    category: 'os',
    severity: 'info',
    group: 'pos_software',
    checklist: [],
    title: { ru: 'Не удалось проверить кассу', en: 'Could not check the register' },
    advice: {
      ru: 'Агент не смог прочитать часть сведений о кассе (нет утилиты, она зависла или изменился её вывод). Это не значит, что всё в порядке: проверить вручную.',
      en: 'The agent could not read some facts of the register (a tool is missing, hung or changed its output). This does not mean all is well: check by hand.',
    },
    autoResolve: true,
    // Shown in the register's host panel (each unchecked fact with its reason), not queued as work.
    opensTicket: false,
  },
];
