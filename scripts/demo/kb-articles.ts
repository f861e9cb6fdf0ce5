// The demo's knowledge base: articles a second line would really keep for the faults the demo
// plays (paper end, cover open, the fiscal drive's expiry, documents not reaching the OFD, a shift
// past 24 hours, a stuck print spooler), and reply templates for messages to the store. Every
// protocol fact here is one the agent itself relies on (../shared/docs/devices.md: ESC/POS DLE EOT
// bits, the FN warning flags and error codes, the 24 h / 30 day rules); nothing is invented.
// Russian first, English second, as every text a person reads.
import type { DiagnosisCode } from '@tillscope/shared';

export interface DemoArticle {
  /** a stable key for the demo's own bookkeeping (fix history links to it) */
  key: 'paper' | 'cover' | 'fn' | 'ofd' | 'shift' | 'spooler';
  title: { ru: string; en: string };
  /** Markdown; the console stores it as is and renders it sanitized */
  body: string;
  codes: DiagnosisCode[];
  /** device models the article is written for (empty: any model) */
  models: string[];
}

const EPSON_MODELS = ['Epson TM-T20II', 'Epson TM-T20III', 'Epson TM-T88V', 'Epson TM-T88VI'];

export const DEMO_ARTICLES: readonly DemoArticle[] = [
  {
    key: 'paper',
    title: { ru: 'Нет бумаги в принтере чеков: замена рулона', en: 'Receipt printer out of paper: changing the roll' },
    codes: ['printer.paper_end', 'printer.paper_near_end', 'fiscal.paper_end'],
    models: [...EPSON_MODELS, 'Xprinter XP-Q80I'],
    body: `## Что видит касса
Принтер сообщил «конец бумаги» (ESC/POS \`DLE EOT 4\`, биты 5 и 6: датчик конца рулона). Пока бумаги нет, принтер стоит в офлайне и чек не печатается.
«Бумага заканчивается» (биты 2 и 3, датчик близкого конца) продажи ещё не останавливает: подготовьте запасной рулон.

## Что сделать
1. Попросите кассира открыть крышку и вставить новый рулон **термослоем к печатающей головке**: рулон, вставленный обратной стороной, проходит чистым.
2. Вытянуть край бумаги за линию отреза и закрыть крышку до щелчка.
3. Тикет закроется сам, когда следующий опрос принтера покажет бумагу. Если нет, нажмите «Тестовая печать».

## Если бумага есть, а ошибка осталась
- Пыль или обрывок бумаги на датчике конца рулона: продуть отсек (при выключенном принтере).
- На Epson TM-T88III при открытой крышке показание датчика конца бумаги может быть неверным: сначала закройте крышку.
- Дешёвые клоны (например, Xprinter) отвечают только на \`DLE EOT 1\` и \`4\`: причину ошибки они не сообщают, но бумагу видно.
- Бумага кончается слишком часто: посмотрите на панели кассы, сколько раз за 30 дней, и поднимите запас рулонов в магазине.

---

## What the register sees
The printer reported paper end (ESC/POS \`DLE EOT 4\`, bits 5 and 6: the roll-end sensor). Without paper it stays offline and no receipt prints.
"Paper nearly out" (bits 2 and 3, the near-end sensor) does not stop sales yet: have a spare roll ready.

## What to do
1. Ask the cashier to open the cover and load a new roll **with the thermal side facing the print head**: a roll loaded the other way round comes out blank.
2. Pull the paper past the tear bar and shut the cover until it clicks.
3. The ticket resolves itself once the next probe sees paper. If it does not, press "Test print".

## Paper is loaded but the error stays
- Dust or a scrap of paper on the roll-end sensor: blow out the compartment (printer off).
- On an Epson TM-T88III the paper-end reading may be wrong while the cover is open: shut the cover first.
- Cheap clones (e.g. Xprinter) answer \`DLE EOT 1\` and \`4\` only: no error cause, but paper is visible.
- Paper runs out too often: the register panel shows how many times in 30 days; raise the store's stock of rolls.
`,
  },
  {
    key: 'cover',
    title: { ru: 'Открыта крышка принтера чеков', en: 'Receipt printer cover open' },
    codes: ['printer.cover_open', 'printer.auto_recoverable_error', 'fiscal.cover_open'],
    models: [...EPSON_MODELS, 'Star TSP650II'],
    body: `## Что видит касса
Принтер сообщил «крышка открыта» (ESC/POS \`DLE EOT 2\`, бит 2; у Star — байт 3, бит 5). Пока крышка открыта, печать стоит.
Если крышку открыли во время печати, принтер сообщает автоустранимую ошибку (\`DLE EOT 3\`, бит 6) и продолжает сам после закрытия.

## Что сделать
1. Попросите кассира закрыть крышку до щелчка (нажать на середину крышки, а не на край).
2. Проверить, не мешает ли закрыть крышку замятая бумага или посторонний предмет.
3. Тикет закроется сам при следующем опросе.

## Если крышка «мигает»
Крышка открывается и закрывается сама (тикет помечен ↯ «мигает»): разболтана защёлка или неисправен датчик крышки. Это ремонт: передайте в группу «Оборудование» или сервисному центру производителя.

---

## What the register sees
The printer reported "cover open" (ESC/POS \`DLE EOT 2\`, bit 2; a Star printer: byte 3, bit 5). Printing stops while the cover is open.
A cover opened during printing shows as an auto-recoverable error (\`DLE EOT 3\`, bit 6); the printer carries on by itself once it is shut.

## What to do
1. Ask the cashier to shut the cover until it clicks (press the middle of the cover, not its edge).
2. Check that no jammed paper or object keeps it from closing.
3. The ticket resolves itself at the next probe.

## The cover flaps
The cover opens and shuts by itself (the ticket is marked ↯ flapping): a loose latch or a faulty cover sensor. That is a repair: reassign to Hardware or the vendor's service centre.
`,
  },
  {
    key: 'fn',
    title: { ru: 'Срок фискального накопителя (ФН) истекает: замена и перерегистрация', en: 'Fiscal drive (FN) expiring: replacement and re-registration' },
    codes: ['fiscal.fn_expires_30d', 'fiscal.fn_expires_3d', 'fiscal.fn_expired', 'fiscal.fn_archive_90'],
    models: ['ШТРИХ-М-01Ф', 'ШТРИХ-ЛАЙТ-01Ф', 'АТОЛ 30Ф'],
    body: `## Сроки
- ФН действует **15 или 36 месяцев** (36 — для услуг и специальных налоговых режимов).
- ФН предупреждает за **30 дней** и за **3 дня** до окончания (флаги предупреждений ФН, биты 1 и 0). Касса ATOL печатает «ресурс ФН менее 30 дней» в Z-отчёте.
- После даты окончания касса не пробивает чеки (ошибка ФН 0x05, ATOL 120).
- Архив ФН вмещает до 250 000 документов; флаг «архив заполнен на 90 %» (бит 2) — тоже повод планировать замену.

## Что сделать
1. За 30 дней: заказать новый ФН той же модели ККТ и запланировать выезд. Список «ФН к замене» на панели парка показывает кассы на 30/60/90 дней.
2. В день замены, на кассе: закрыть смену, убедиться, что все документы ушли в ОФД (счётчик неотправленных = 0), закрыть архив ФН.
3. Установить новый ФН и перерегистрировать ККТ в ФНС (личный кабинет ККТ), затем открыть смену и пробить тестовый чек.

Агент Tillscope только читает состояние ФН: он никогда не закрывает архив, смену и не регистрирует ККТ.

---

## Dates
- An FN is valid **15 or 36 months** (36 for services and special tax regimes).
- The FN warns **30 days** and **3 days** before the end (FN warning flags, bits 1 and 0). An ATOL register prints "ресурс ФН менее 30 дней" on its Z report.
- After the date the register issues no receipt (FN error 0x05, ATOL 120).
- The FN archive holds up to 250,000 documents; "archive 90 % full" (bit 2) is also a reason to plan the replacement.

## What to do
1. 30 days ahead: order a new FN for the register's model and schedule a visit. The fleet's "fiscal drives to replace" list shows registers at 30/60/90 days.
2. On the day, at the register: close the shift, check every document reached the OFD (unsent count = 0), close the FN archive.
3. Fit the new FN and re-register the register with the tax service (the FNS register account), then open a shift and issue a test receipt.

The Tillscope agent only reads the FN's state: it never closes the archive or the shift, nor registers anything.
`,
  },
  {
    key: 'ofd',
    title: { ru: 'Документы не уходят в ОФД', en: 'Documents not reaching the OFD' },
    codes: ['fiscal.ofd_unsent_warning', 'fiscal.ofd_unsent_critical', 'fiscal.ofd_unsent_blocked', 'fiscal.ofd_connection_error'],
    models: ['ШТРИХ-М-01Ф', 'ШТРИХ-ЛАЙТ-01Ф', 'АТОЛ 30Ф'],
    body: `## Почему это срочно
ФН перестаёт подписывать документы, если на документ **30 календарных дней** нет квитанции ОФД. Считать от первого неподтверждённого документа: его номер и дату показывает касса (Штрих-М FF39, ATOL \`ofdExchangeStatus\`). Tillscope предупреждает с 5-го дня и поднимает важность с 25-го.

## Что проверить
1. Связь: есть ли интернет на кассе (другие кассы магазина на связи? тикет «магазин без связи»?).
2. Настройки ОФД в ККТ: адрес и порт сервера ОФД не менялись (после перепрошивки, замены ФН).
3. Договор с ОФД оплачен: при неоплате ОФД перестаёт принимать документы.
4. Флаг ФН «превышено время ожидания ответа ОФД» (бит 3) — касса отправляет, но не получает квитанции.

## После исправления
Очередь документов уходит сама; счётчик неотправленных падает до нуля за минуты. Тикет закроется, когда опрос кассы это покажет.

---

## Why it is urgent
The FN stops signing documents once a document has had no OFD receipt for **30 calendar days**. Count from the first unconfirmed document: the register shows its number and date (Shtrih-M FF39, ATOL \`ofdExchangeStatus\`). Tillscope warns from day 5 and raises the severity from day 25.

## What to check
1. The link: does the register reach the internet (are the store's other registers online? is there a store outage ticket?).
2. The OFD settings in the register: the OFD server's address and port unchanged (after a firmware update or an FN change).
3. The OFD contract is paid: an unpaid OFD stops accepting documents.
4. The FN flag "OFD response timeout exceeded" (bit 3): the register sends but gets no receipts.

## Once fixed
The queue drains by itself; the unsent count drops to zero within minutes. The ticket resolves when the register's probe shows it.
`,
  },
  {
    key: 'shift',
    title: { ru: 'Смена открыта больше 24 часов', en: 'Shift open for more than 24 hours' },
    codes: ['fiscal.shift_over_23h', 'fiscal.shift_expired'],
    models: ['ШТРИХ-М-01Ф', 'ШТРИХ-ЛАЙТ-01Ф', 'АТОЛ 30Ф'],
    body: `## Правило
Смену нужно закрыть в течение **24 часов** после отчёта об открытии. Потом касса отказывает в чеках: Штрих-М режим 3 «смена открыта, 24 часа истекли», ошибка ФН 0x16 или ФР 0x4E; ATOL — состояние смены \`expired\`, ошибки 68 и 141.

## Что сделать
1. Кассир закрывает смену в кассовой программе (Z-отчёт) и открывает новую. До этого чеки не пробиваются.
2. Если смена «зависла» в 23 часа (тикет заранее): напомнить магазину закрыть смену до конца суток.

## Чтобы не повторялось
- Круглосуточный магазин: закрытие смены по расписанию (в кассовой программе) в тихий час.
- Магазин, где кассу не выключают на ночь: закрытие смены — пункт чек-листа закрытия магазина.

---

## The rule
A shift must be closed within **24 hours** of its opening report. After that the register refuses receipts: Shtrih-M mode 3 "shift open, 24 h expired", FN error 0x16 or FR error 0x4E; ATOL shift state \`expired\`, errors 68 and 141.

## What to do
1. The cashier closes the shift in the POS application (Z report) and opens a new one. No receipt until then.
2. A shift at 23 hours (the early ticket): remind the store to close it before the day is out.

## So it does not happen again
- A 24/7 store: a scheduled shift close (in the POS application) at a quiet hour.
- A store that leaves registers on overnight: closing the shift goes on the closing checklist.
`,
  },
  {
    key: 'spooler',
    title: { ru: 'Зависла очередь печати: служба Spooler или CUPS', en: 'Print queue stuck: the Spooler service or CUPS' },
    codes: ['printer.queue_stuck', 'printer.queue_paused', 'printer.spooler_stopped', 'printer.spooler_offline', 'host.print_service_stopped', 'host.print_queue_stuck', 'host.print_service_crashing'],
    models: [],
    body: `## Сначала принтер
Для принтера, которому касса шлёт ESC/POS напрямую, биты состояния очереди обычно остаются нулевыми даже без бумаги: очередь говорит о драйвере и службе, не об устройстве. Поэтому сначала посмотрите проверки принтера на тикете (бумага, крышка, ошибка).

## Windows
- Служба **Spooler** (Диспетчер печати): запущена ли (\`Get-Service Spooler\`), какие задания стоят (\`Get-PrintJob\`), принтер не в режиме «Работать автономно».
- Журнал \`Microsoft-Windows-PrintService/Operational\` (по умолчанию выключен) показывает, печатались ли документы (событие 307).

## Linux
- CUPS: \`lpstat -p -l\` — очередь не остановлена (\`cupsenable\` возвращает её в работу), задания не висят.

## Что сделать
1. Действие на тикете «Перезапустить службу печати» (Spooler на Windows, CUPS на Linux). Агент откажется, если касса в этот момент печатает чек.
2. Если очередь снова встаёт: обновлялась ли ОС или драйвер принтера (тикет «драйвер изменён», отличие от эталона)? Вернуть эталонный драйвер.

---

## The printer first
For a printer the register sends ESC/POS to directly, the queue's status bits usually stay zero even with no paper: the queue tells about the driver and the service, not the device. So look at the ticket's printer checks first (paper, cover, error).

## Windows
- The **Spooler** service (Print Spooler): is it running (\`Get-Service Spooler\`), which jobs wait (\`Get-PrintJob\`), is the printer not set to "Use printer offline".
- The \`Microsoft-Windows-PrintService/Operational\` log (off by default) shows whether documents printed (event 307).

## Linux
- CUPS: \`lpstat -p -l\`: the queue is not stopped (\`cupsenable\` puts it back to work), no job hangs.

## What to do
1. The ticket's action "Restart the print service" (Spooler on Windows, CUPS on Linux). The agent refuses while the register is printing a receipt.
2. If the queue stalls again: was the OS or the printer driver updated (a "driver changed" ticket, drift from the reference)? Put the reference driver back.
`,
  },
];

export interface DemoTemplate {
  title: { ru: string; en: string };
  /** placeholders {ticket} and {store} are filled in on the ticket */
  body: string;
}

export const DEMO_TEMPLATES: readonly DemoTemplate[] = [
  {
    title: { ru: 'Замените рулон', en: 'Change the paper roll' },
    body: 'Здравствуйте! По заявке №{ticket} ({store}): в принтере чеков закончилась бумага. Вставьте новый рулон термослоем к печатающей головке и закройте крышку до щелчка. Если чек не пойдёт, ответьте «Нет» на экране кассы.',
  },
  {
    title: { ru: 'Закройте смену', en: 'Close the shift' },
    body: 'Здравствуйте! По заявке №{ticket} ({store}): смена на кассе открыта почти 24 часа. Закройте смену (Z-отчёт) и откройте новую, иначе касса перестанет пробивать чеки.',
  },
  {
    title: { ru: 'Замена ФН запланирована', en: 'Fiscal drive replacement scheduled' },
    body: 'Здравствуйте! По заявке №{ticket} ({store}): срок фискального накопителя подходит к концу. Инженер приедет заменить ФН; в день замены, пожалуйста, закройте смену до его приезда.',
  },
];
