import { TIMELINE_KIND_TITLES, TimelineKind, type Locale, type LocalizedText } from '@tillscope/shared';
import { DESK_STRINGS } from './desk-strings';
import { HOST_STRINGS, REFERENCE_STRINGS } from './host-strings';
import { ACTIONS_STRINGS } from './actions-strings';
import { CASHIER_STRINGS } from './cashier-strings';
import { KB_STRINGS } from './kb-strings';
import { KPI_STRINGS } from './kpi-strings';
import { NOTIFY_STRINGS } from './notify-strings';
import { SERVICE_STRINGS } from './service-strings';

/** Each timeline kind's title: kept in shared, where the vendor pack prints them too. */
const TIMELINE_STRINGS = Object.fromEntries(TimelineKind.options.map((kind) => [`timeline.${kind}`, TIMELINE_KIND_TITLES[kind]])) as Record<`timeline.${TimelineKind}`, LocalizedText>;

const CORE_STRINGS = {
  'app.name': { ru: 'Tillscope', en: 'Tillscope' },
  'nav.queue': { ru: 'Очередь', en: 'Queue' },
  'nav.fleet': { ru: 'Кассы', en: 'Registers' },
  'nav.fiscal': { ru: 'ФН к замене', en: 'Fiscal drives' },
  'header.logout': { ru: 'Выйти', en: 'Log out' },
  'header.lang': { ru: 'Switch to English', en: 'Переключить на русский' },
  'role.engineer': { ru: 'инженер', en: 'engineer' },
  'role.admin': { ru: 'администратор', en: 'admin' },
  'live.live': { ru: 'Онлайн', en: 'Live' },
  'live.connecting': { ru: 'Подключение…', en: 'Connecting…' },
  'live.reconnecting': { ru: 'Переподключение…', en: 'Reconnecting…' },
  'live.title': { ru: 'Обновления в реальном времени', en: 'Live updates' },
  'notify.enable': { ru: 'Включить уведомления', en: 'Enable notifications' },
  'notify.newP1': { ru: 'Новая заявка P1 №{id}', en: 'New P1 ticket #{id}' },
  'notify.escalated': { ru: 'Эскалация: заявка №{id}', en: 'Escalated: ticket #{id}' },
  'notify.slaWarning': { ru: 'Срок SLA на исходе: заявка №{id}', en: 'SLA about to breach: ticket #{id}' },
  'notify.slaReactBy': { ru: 'Реакция до {time}', en: 'Reaction due {time}' },
  'notify.slaResolveBy': { ru: 'Решение до {time}', en: 'Resolution due {time}' },

  'login.title': { ru: 'Вход в консоль поддержки', en: 'Sign in to the support console' },
  'login.username': { ru: 'Имя пользователя', en: 'Username' },
  'login.password': { ru: 'Пароль', en: 'Password' },
  'login.submit': { ru: 'Войти', en: 'Sign in' },
  'login.busy': { ru: 'Вход…', en: 'Signing in…' },
  'login.error.empty': { ru: 'Введите имя пользователя и пароль.', en: 'Enter your username and password.' },
  'login.error.invalid': { ru: 'Неверное имя пользователя или пароль.', en: 'Wrong username or password.' },
  'login.error.rateLimited': { ru: 'Слишком много попыток. Подождите минуту.', en: 'Too many attempts. Wait a minute.' },
  'login.error.rateLimitedFor': { ru: 'Слишком много попыток, повторите через {seconds} с.', en: 'Too many attempts, try again in {seconds} s.' },
  'login.error.busy': { ru: 'Сервер занят, повторите через минуту.', en: 'The server is busy; try again in a minute.' },
  'login.error.busyFor': { ru: 'Сервер занят, повторите через {seconds} с.', en: 'The server is busy; try again in {seconds} s.' },
  'login.error.network': { ru: 'Сервер недоступен. Попробуйте ещё раз.', en: 'Cannot reach the server. Try again.' },
  'login.error.other': { ru: 'Не удалось войти: {message}', en: 'Could not sign in: {message}' },
  'login.sessionExpired': { ru: 'Сессия истекла, войдите снова.', en: 'Your session has expired; sign in again.' },

  'filter.status': { ru: 'Статус', en: 'Status' },
  'filter.status.active': { ru: 'Активные', en: 'Active' },
  'filter.status.resolved': { ru: 'Решённые', en: 'Resolved' },
  'filter.status.all': { ru: 'Все', en: 'All' },
  'filter.group': { ru: 'Группа', en: 'Group' },
  'filter.group.any': { ru: 'Все группы', en: 'All groups' },
  'filter.store': { ru: 'Магазин', en: 'Store' },
  'filter.store.placeholder': { ru: 'код магазина', en: 'store code' },
  'filter.mine': { ru: 'Мои', en: 'Mine' },
  'filter.unassigned': { ru: 'Без исполнителя', en: 'Unassigned' },
  'filter.overdue': { ru: 'Просроченные', en: 'Overdue' },
  'filter.reset': { ru: 'Сбросить', en: 'Reset' },

  'queue.count': { ru: 'Заявок: {n}', en: 'Tickets: {n}' },
  'queue.countOf': { ru: 'Заявок: {n} из {total}', en: 'Tickets: {n} of {total}' },
  'queue.countSoFar': { ru: 'Заявок: {n}…', en: 'Tickets: {n}…' },
  'queue.more': { ru: 'Ещё', en: 'More' },
  'queue.loading': { ru: 'Загрузка заявок…', en: 'Loading tickets…' },
  'queue.empty': { ru: 'Нет заявок по этим фильтрам.', en: 'No tickets match these filters.' },
  'queue.hint': { ru: '↑↓ выбор · Enter открыть · T взять', en: '↑↓ select · Enter open · T take' },
  'queue.label': { ru: 'Очередь заявок', en: 'Ticket queue' },
  'queue.col.priority': { ru: 'Пр.', en: 'Pri' },
  'queue.col.sla': { ru: 'SLA', en: 'SLA' },
  'queue.col.where': { ru: 'Магазин / касса', en: 'Store / register' },
  'queue.col.diagnosis': { ru: 'Диагноз', en: 'Diagnosis' },
  'queue.col.device': { ru: 'Устройство', en: 'Device' },
  'queue.col.age': { ru: 'Возраст', en: 'Age' },
  'queue.col.group': { ru: 'Группа', en: 'Group' },
  'queue.col.assignee': { ru: 'Исполнитель', en: 'Assignee' },
  'queue.nobody': { ru: 'не назначен', en: 'unassigned' },
  'queue.cashier': { ru: 'кассир', en: 'cashier' },
  'queue.cashierTitle': { ru: 'Кассир сообщил о проблеме', en: 'The cashier reported a problem' },
  'queue.recovered': { ru: 'восстановилось', en: 'recovered' },

  'sla.overdue': { ru: 'просрочено {time}', en: 'overdue {time}' },
  'sla.left': { ru: 'осталось {time}', en: '{time} left' },
  'sla.react': { ru: 'Реакция', en: 'React by' },
  'sla.resolve': { ru: 'Решение', en: 'Resolve by' },
  'sla.done': { ru: 'закрыта', en: 'closed' },
  'unit.d': { ru: '{n} д', en: '{n}d' },
  'unit.h': { ru: '{n} ч', en: '{n}h' },
  'unit.min': { ru: '{n} мин', en: '{n}m' },
  'unit.s': { ru: '{n} с', en: '{n}s' },
  'time.ago': { ru: '{time} назад', en: '{time} ago' },
  'time.justNow': { ru: 'только что', en: 'just now' },
  'time.never': { ru: 'никогда', en: 'never' },

  'status.open': { ru: 'Открыта', en: 'Open' },
  'status.in_progress': { ru: 'В работе', en: 'In progress' },
  'status.resolved': { ru: 'Решена', en: 'Resolved' },
  'status.closed': { ru: 'Закрыта', en: 'Closed' },

  'ticket.back': { ru: '← К очереди', en: '← Back to queue' },
  'ticket.number': { ru: 'Заявка №{id}', en: 'Ticket #{id}' },
  'ticket.loading': { ru: 'Загрузка заявки…', en: 'Loading ticket…' },
  'ticket.group': { ru: 'Группа', en: 'Group' },
  'ticket.assignee': { ru: 'Исполнитель', en: 'Assignee' },
  'ticket.where': { ru: 'Магазин / касса', en: 'Store / register' },
  'ticket.device': { ru: 'Устройство', en: 'Device' },
  'ticket.opened': { ru: 'Открыта', en: 'Opened' },
  'ticket.occurrences': { ru: 'Повторов: {n}', en: 'Occurrences: {n}' },
  'ticket.findingActive': { ru: 'Неисправность сохраняется', en: 'Fault still present' },
  'ticket.findingRecovered': { ru: 'Устройство восстановилось', en: 'Device has recovered' },
  'ticket.take': { ru: 'Взять', en: 'Take' },
  'ticket.addNote': { ru: 'Комментарий', en: 'Add note' },
  'ticket.resolve': { ru: 'Решить', en: 'Resolve' },
  'ticket.probe': { ru: 'Перепроверить', en: 'Re-probe' },
  'ticket.probeTitle': { ru: 'Попросить агент кассы заново опросить устройства', en: 'Ask the register agent to probe its devices again' },
  'ticket.probeSent': { ru: 'Запрос отправлен агенту кассы; результат появится в хронологии.', en: 'Request sent to the register agent; the result will appear in the timeline.' },
  'ticket.probeOffline': { ru: 'Касса не на связи', en: 'Register is not connected' },
  'testPrint.button': { ru: 'Тестовая печать', en: 'Test print' },
  'testPrint.title': {
    ru: 'Напечатать короткий тестовый чек и проверить статус принтера после печати (не печатает, пока идёт печать чека)',
    en: 'Print a short test receipt and re-read the printer status afterwards (never while a receipt is printing)',
  },
  'testPrint.confirm': { ru: 'Напечатать тестовый чек на {device}?', en: 'Print a test receipt on {device}?' },
  'testPrint.confirmYes': { ru: 'Печатать', en: 'Print' },
  'testPrint.sent': { ru: 'Запрос отправлен; результат появится в хронологии и в чек-листе.', en: 'Request sent; the result will appear in the timeline and the checklist.' },
  'testPrint.outcome.printed': { ru: 'напечатано', en: 'printed' },
  'testPrint.outcome.failed': { ru: 'не удалось', en: 'failed' },
  'testPrint.outcome.refused': { ru: 'не печатали', en: 'refused' },
  'testPrint.outcome.not_sent': { ru: 'не отправлено', en: 'not sent' },
  'ticket.notePlaceholder': { ru: 'Что сделано или выяснено…', en: 'What was done or found out…' },
  'ticket.resolvePlaceholder': { ru: 'Как решено (необязательно)', en: 'How it was fixed (optional)' },
  'ticket.saveNote': { ru: 'Сохранить', en: 'Save' },
  'ticket.confirmResolve': { ru: 'Закрыть заявку', en: 'Resolve ticket' },
  'ticket.cancel': { ru: 'Отмена', en: 'Cancel' },

  'section.finding': { ru: 'Что нашла машина', en: 'What the machine found' },
  'section.evidence': { ru: 'Доказательства', en: 'Evidence' },
  'section.checklist': { ru: 'Чек-лист первой линии', en: 'First-line checklist' },
  'section.cashier': { ru: 'Слова кассира', en: "The cashier's words" },
  'section.kb': { ru: 'База знаний', en: 'Knowledge base' },
  'section.register': { ru: 'Касса', en: 'Register' },
  'section.history': { ru: 'Недавние заявки кассы', en: "Register's recent tickets" },
  'section.timeline': { ru: 'Хронология', en: 'Timeline' },

  'evidence.none': { ru: 'Нет данных с устройства.', en: 'No data from the device.' },
  'evidence.transport': { ru: 'Подключение', en: 'Transport' },
  'evidence.transportError': { ru: 'Ошибка подключения', en: 'Transport error' },
  'evidence.request': { ru: 'Запрос', en: 'Request' },
  'evidence.reply': { ru: 'Ответ', en: 'Reply' },
  'evidence.noReply': { ru: 'нет ответа', en: 'no reply' },
  'evidence.invalid': { ru: 'ответ не распознан', en: 'reply not recognised' },
  'evidence.elapsed': { ru: '{ms} мс', en: '{ms} ms' },
  'evidence.field': { ru: 'Поле', en: 'Field' },
  'evidence.value': { ru: 'Значение', en: 'Value' },
  'evidence.meaning': { ru: 'Расшифровка', en: 'Meaning' },
  'evidence.alarm': { ru: 'неисправность', en: 'fault' },
  'evidence.showRaw': { ru: 'Сырые байты', en: 'Raw bytes' },
  'evidence.discarded': { ru: 'Отброшено (не ответ)', en: 'Discarded (not a reply)' },
  'evidence.noDiscarded': { ru: 'отброшенных байтов нет', en: 'no discarded bytes' },

  'checklist.passed': { ru: 'пройдено', en: 'passed' },
  'checklist.failed': { ru: 'не пройдено', en: 'failed' },
  'checklist.unknown': { ru: 'не удалось проверить', en: 'could not check' },
  'checklist.observed': { ru: 'Машина видела', en: 'The machine saw' },
  'checklist.empty': { ru: 'Для этого диагноза машина ничего не проверяет.', en: 'The machine checks nothing for this diagnosis.' },

  'cashier.label': { ru: 'Текст кассира', en: "Cashier's text" },
  'cashier.noText': { ru: '(кассир не оставил текста)', en: '(the cashier left no text)' },
  'cashier.none': { ru: 'Кассир не сообщал об этой проблеме.', en: 'The cashier did not report this.' },

  'register.hostname': { ru: 'Компьютер', en: 'Host' },
  'register.agent': { ru: 'Агент', en: 'Agent' },
  'register.unknown': { ru: 'Касса пока не известна консоли.', en: 'The console does not know this register yet.' },
  'register.noHistory': { ru: 'Других заявок не было.', en: 'No other tickets.' },
  'register.storeRegisters': { ru: 'Все кассы магазина {id}', en: 'Every register of store {id}' },

  'timeline.machine': { ru: 'машина', en: 'machine' },
  'timeline.empty': { ru: 'Событий нет.', en: 'No events.' },
  'timeline.cashier': { ru: 'кассир', en: 'cashier' },
  'queue.blockingTitle': { ru: 'Блокировка продаж на кассе: {date}', en: 'The register stops selling: {date}' },

  'fleet.title': { ru: 'Кассы по магазинам', en: 'Registers by store' },
  'fleet.loading': { ru: 'Загрузка касс…', en: 'Loading registers…' },
  'fleet.empty': { ru: 'Ни одна касса ещё не подключена.', en: 'No register has enrolled yet.' },
  'fleet.store': { ru: 'Магазин {id}', en: 'Store {id}' },
  'fleet.summary': { ru: 'касс: {registers}, на связи: {connected}', en: '{registers} registers, {connected} connected' },
  'fleet.connected': { ru: 'на связи', en: 'connected' },
  'fleet.silent': { ru: 'молчит', en: 'silent' },
  'fleet.lastSeen': { ru: 'Последний сигнал', en: 'Last seen' },
  'fleet.openTickets': { ru: 'Открытых заявок: {n}', en: 'Open tickets: {n}' },
  'fleet.noDevices': { ru: 'Устройства не найдены', en: 'No devices found' },
  'fleet.showTickets': { ru: 'Заявки магазина', en: "Store's tickets" },
  'fleet.noMatch': { ru: 'Нет касс по этим фильтрам.', en: 'No registers match these filters.' },
  'fleet.more': { ru: 'Показать ещё', en: 'Show more' },
  'fleet.count': { ru: 'Касс: {n}', en: 'Registers: {n}' },
  'fleet.countOf': { ru: 'Касс: {n} из {total}', en: 'Registers: {n} of {total}' },
  'fleet.filter.connection': { ru: 'Связь', en: 'Connection' },
  'fleet.filter.connection.any': { ru: 'Все', en: 'All' },
  'fleet.filter.connection.connected': { ru: 'На связи', en: 'Connected' },
  'fleet.filter.connection.silent': { ru: 'Молчат', en: 'Silent' },
  'fleet.filter.health': { ru: 'Устройство', en: 'Device' },
  'fleet.filter.health.any': { ru: 'в любом состоянии', en: 'in any state' },
  'fleet.filter.open': { ru: 'С открытыми заявками', en: 'With open tickets' },
  'fleet.filter.blocking': { ru: 'Блокировка продаж', en: 'Sales blocked' },
  'fleet.filter.blocking.any': { ru: 'когда угодно', en: 'any time' },
  'fleet.filter.blocking.days': { ru: 'в ближайшие {n} дн.', en: 'within {n} days' },
  'fleet.sort': { ru: 'Порядок', en: 'Order' },
  'fleet.sort.store': { ru: 'По магазинам', en: 'By store' },
  'fleet.sort.blocking': { ru: 'По дате блокировки', en: 'By blocking date' },
  'fleet.blockingSoon': { ru: 'Блокировка ≤ 30 дн.: {n}', en: 'Blocked ≤ 30 d: {n}' },

  'forecast.title': { ru: 'Блокировка продаж', en: 'Sales blocked' },
  'forecast.blocked': { ru: 'продажи заблокированы', en: 'sales blocked' },
  'forecast.withinDay': { ru: 'менее чем через сутки', en: 'within a day' },
  'forecast.inDays': { ru: 'через {days} дн.', en: 'in {days} d' },
  'forecast.none': { ru: 'прогноза нет', en: 'no forecast' },
  'forecast.reason.fn_validity': { ru: 'истекает срок ФН', en: 'FN validity ends' },
  'forecast.reason.ofd_lock': { ru: 'документы не переданы в ОФД 30 дней', en: 'documents unsent to the OFD for 30 days' },
  'forecast.reason.archive_full': { ru: 'архив ФН заполнится', en: 'FN archive full' },
  'forecast.reason.shift_expired': { ru: 'смена больше 24 ч', en: 'shift past 24 h' },
  'forecast.part.fn_validity': { ru: 'ФН {serial} действует до {date}', en: 'FN {serial} valid until {date}' },
  'forecast.part.ofd_lock': {
    ru: 'первый неподтверждённый документ № {number} от {date}, всего {count}; блокировка через {days} дн. после него',
    en: 'first unconfirmed document #{number} of {date}, {count} in all; the lock comes {days} days after it',
  },
  'forecast.part.archive_full': {
    ru: 'ФД № {last} из {capacity}; {rate} док. в сутки с {since} (ФД № {reference})',
    en: 'FD #{last} of {capacity}; {rate} documents a day since {since} (FD #{reference})',
  },
  'forecast.part.shift_expired': { ru: 'смена {number} открыта {date}', en: 'shift {number} opened {date}' },
  'forecast.readAt': { ru: 'данные от {date}', en: 'read at {date}' },
  'forecast.note.no_fn': { ru: 'ККТ не сообщила данных ФН', en: 'the register reported no FN facts' },
  'forecast.note.no_validity': { ru: 'срок действия ФН не получен', en: 'the FN validity date was not reported' },
  'forecast.note.no_rate': {
    ru: 'темп документов ещё не известен: нужны показания с разницей в несколько часов (первое: {since})',
    en: 'no document rate yet: it needs readings some hours apart (first: {since})',
  },
  'forecast.note.no_documents': { ru: 'с {since} новых документов нет: заполнение архива не прогнозируется', en: 'no document since {since}: no archive forecast' },
  'forecast.note.archive_far': { ru: 'при текущем темпе архив ФН не заполнится за 10 лет', en: 'at the current rate the FN archive lasts over 10 years' },
  'forecast.note.archive_nearly_full': { ru: 'ФН сообщает: архив заполнен на 90 %', en: 'the FN says its archive is 90 % full' },

  'discovery.title': { ru: 'Поиск устройств', en: 'Device discovery' },
  'discovery.run': { ru: 'Найти устройства', en: 'Discover devices' },
  'discovery.runTitle': {
    ru: 'Агент кассы опросит свои порты безопасными запросами и предложит записи конфигурации; порты, занятые кассовой программой, не трогаются',
    en: "The register's agent asks its ports harmless questions and proposes config entries; ports the POS application holds are left alone",
  },
  'discovery.offline': { ru: 'Касса не подключена', en: 'The register is not connected' },
  'discovery.never': { ru: 'Поиск ещё не запускался', en: 'No discovery yet' },
  'bundle.section': { ru: 'Пакеты диагностики', en: 'Diagnostics bundles' },
  'bundle.collect': { ru: 'Собрать пакет диагностики', en: 'Collect diagnostics bundle' },
  'bundle.collectTitle': {
    ru: 'Касса соберёт сведения о себе, устройствах, журналы и файлы настроек (пароли, токены, номера карт и имена кассиров удаляются на кассе) и пришлёт их сюда',
    en: 'The register collects its facts, devices, logs and config files (passwords, tokens, card numbers and cashier names are removed on the register) and sends them here',
  },
  'bundle.pending': { ru: 'Запросил {who}, касса собирает пакет…', en: 'Requested by {who}; the register is collecting…' },
  'bundle.failed': { ru: 'Касса не прислала пакет: {code}: {message}', en: 'The register sent no bundle: {code}: {message}' },
  'bundle.none': { ru: 'Пакетов пока нет.', en: 'No bundles yet.' },
  'bundle.download': { ru: 'Пакет от {when} (JSON)', en: 'Bundle of {when} (JSON)' },
  'bundle.size': { ru: '{kb} КБ', en: '{kb} KB' },
  'bundle.requestedBy': { ru: 'запросил {who}', en: 'requested by {who}' },
  'bundle.redacted': { ru: 'Удалено на кассе: {list}', en: 'Removed on the register: {list}' },
  'bundle.redactedNothing': { ru: 'На кассе ничего не пришлось удалять', en: 'Nothing had to be removed on the register' },
  'bundle.truncated': { ru: 'Сокращено до лимита размера: {list}', en: 'Cut to the size limit: {list}' },
  'bundle.kind.password': { ru: 'пароли', en: 'passwords' },
  'bundle.kind.token': { ru: 'токены и ключи', en: 'tokens and keys' },
  'bundle.kind.card_number': { ru: 'номера карт', en: 'card numbers' },
  'bundle.kind.cashier_name': { ru: 'имена кассиров', en: 'cashier names' },
  'discovery.pending': { ru: 'Запросил {who}, ждём ответа кассы…', en: 'Requested by {who}; waiting for the register…' },
  'discovery.found': { ru: 'Результат от {when}, запросил {who}', en: 'Result of {when}, requested by {who}' },
  'discovery.unsupported': { ru: 'Агент на этой кассе не умеет искать устройства: обновите агент', en: 'The agent on this register cannot discover devices: update the agent' },
  'discovery.failed': { ru: 'Касса не выполнила поиск: {code}', en: 'The register could not run discovery: {code}' },
  'discovery.noPorts': { ru: 'Портов не найдено', en: 'No ports found' },
  'discovery.model': { ru: 'Модель', en: 'Model' },
  'discovery.os': { ru: 'ОС', en: 'OS' },
  'discovery.configuredAs': { ru: 'Уже в конфигурации: {id}', en: 'Already configured as {id}' },
  'discovery.probe': { ru: 'Проверка', en: 'Probe' },
  'discovery.steps': { ru: 'Обмен с устройством', en: 'Exchange with the device' },
  'discovery.proposed': { ru: 'Предлагаемая запись для "devices" в конфигурации агента', en: 'Proposed entry for the agent config\'s "devices"' },
  'discovery.copy': { ru: 'Копировать', en: 'Copy' },
  'discovery.copied': { ru: 'Скопировано', en: 'Copied' },
  'discovery.problems': { ru: 'Не удалось проверить', en: 'Could not check' },
  'discovery.class.escpos': { ru: 'принтер ESC/POS', en: 'ESC/POS printer' },
  'discovery.class.star-line': { ru: 'принтер Star', en: 'Star printer' },
  'discovery.class.shtrih-m': { ru: 'ККТ Штрих-М', en: 'Shtrih-M fiscal register' },
  'discovery.class.atol': { ru: 'ККТ АТОЛ', en: 'ATOL fiscal register' },
  'discovery.class.busy': { ru: 'занят другой программой (не трогали)', en: 'busy: held by another program (left alone)' },
  'discovery.class.silent': { ru: 'не отвечает', en: 'silent' },
  'discovery.class.unreachable': { ru: 'недоступен', en: 'unreachable' },

  'fiscal.facts': { ru: 'Фискальные данные', en: 'Fiscal facts' },
  'fiscal.fnSerial': { ru: 'Номер ФН', en: 'FN serial' },
  'fiscal.validUntil': { ru: 'ФН действует до', en: 'FN valid until' },
  'fiscal.unsent': { ru: 'Не передано в ОФД', en: 'Unsent to the OFD' },
  'fiscal.unsentValue': { ru: '{count} док., первый от {date}', en: '{count} documents, first of {date}' },
  'fiscal.unsentNone': { ru: 'всё передано', en: 'all sent' },
  'fiscal.shift': { ru: 'Смена', en: 'Shift' },
  'fiscal.shift.open': { ru: 'открыта', en: 'open' },
  'fiscal.shift.closed': { ru: 'закрыта', en: 'closed' },
  'fiscal.shift.expired': { ru: 'больше 24 ч', en: 'past 24 h' },
  'fiscal.lastFd': { ru: 'Последний ФД', en: 'Last FD' },
  'fiscal.model': { ru: 'Модель', en: 'Model' },
  'fiscal.serial': { ru: 'Заводской номер', en: 'Serial' },
  'fiscal.firmware': { ru: 'Прошивка', en: 'Firmware' },
  'fiscal.ffd': { ru: 'ФФД', en: 'FFD' },
  'fiscal.parts': { ru: 'Из чего складывается дата', en: 'What the date is made of' },
  'fiscal.title': { ru: 'ФН к замене в ближайшие 90 дней', en: 'Fiscal drives to replace within 90 days' },
  'fiscal.loading': { ru: 'Загрузка…', en: 'Loading…' },
  'fiscal.empty': { ru: 'Ни один ФН не нужно менять в ближайшие 90 дней.', en: 'No fiscal drive needs replacing within 90 days.' },
  'fiscal.total': { ru: 'ФН: {n}', en: 'Drives: {n}' },
  'fiscal.csv': { ru: 'Скачать CSV', en: 'Download CSV' },
  'fiscal.csvExcel': { ru: 'CSV для Excel (;)', en: 'CSV for Excel (;)' },
  'fiscal.bucket.d30': { ru: '≤ 30 дней', en: '≤ 30 days' },
  'fiscal.bucket.d60': { ru: '31–60 дней', en: '31–60 days' },
  'fiscal.bucket.d90': { ru: '61–90 дней', en: '61–90 days' },
  'fiscal.col.register': { ru: 'Касса', en: 'Register' },
  'fiscal.col.model': { ru: 'ККТ', en: 'Register model' },
  'fiscal.col.fn': { ru: 'Номер ФН', en: 'FN serial' },
  'fiscal.col.replaceBy': { ru: 'Заменить до', en: 'Replace by' },
  'fiscal.col.reason': { ru: 'Причина', en: 'Reason' },
  'fiscal.col.blocking': { ru: 'Блокировка продаж', en: 'Sales blocked' },
  'fiscal.replace.fn_validity': { ru: 'срок действия', en: 'validity' },
  'fiscal.replace.archive_full': { ru: 'архив заполнится', en: 'archive full' },

  'printer.facts': { ru: 'Данные принтера', en: 'Printer facts' },
  'printer.asOf': { ru: 'на {when}', en: 'as of {when}' },
  'printer.statusSupport': { ru: 'Отвечает на запросы статуса', en: 'Status requests answered' },
  'printer.answers': { ru: 'отвечает', en: 'answers' },
  'printer.silent': { ru: 'молчит', en: 'silent' },
  'printer.counter.cuts': { ru: 'Отрезов', en: 'Cuts' },
  'printer.counter.head_lines': { ru: 'Строк напечатано головкой', en: 'Lines printed by the head' },
  'printer.counter.head_distance_cm': { ru: 'Пробег головки', en: 'Head distance' },
  'printer.counter.paper_feed_cm': { ru: 'Подано бумаги', en: 'Paper fed' },
  'printer.counter.head_energized': { ru: 'Включений головки', en: 'Head energizations' },
  'printer.counter.operating_hours': { ru: 'Наработка', en: 'Operating time' },
  'printer.unit.count': { ru: 'шт.', en: 'pcs' },
  'printer.unit.lines': { ru: 'строк', en: 'lines' },
  'printer.unit.cm': { ru: 'см', en: 'cm' },
  'printer.unit.hours': { ru: 'ч', en: 'h' },
  'printer.queue.cups': { ru: 'Очередь CUPS', en: 'CUPS queue' },
  'printer.queue.windows': { ru: 'Очередь печати Windows', en: 'Windows print queue' },
  'printer.queue.stopped': { ru: 'служба печати остановлена', en: 'print service stopped' },
  'printer.queue.paused': { ru: 'приостановлена', en: 'paused' },
  'printer.queue.offline': { ru: 'принтер отключён в ОС', en: 'printer offline in the OS' },
  'printer.queue.printing': { ru: 'идёт печать', en: 'printing' },
  'printer.queue.jobs': { ru: 'заданий: {n}', en: 'jobs: {n}' },
  'printer.queue.idle': { ru: 'пусто', en: 'idle' },
  'printer.paperRuns': { ru: 'Бумага заканчивалась {n} {n|раз|раза|раз} за {days} {days|день|дня|дней}', en: 'Paper ran low {n} {n|time|times} in {days} {days|day|days}' },
  'printer.paperRestock': { ru: 'пополнять запас чаще', en: 'restock more often' },

  'health.ok': { ru: 'исправно', en: 'ok' },
  'health.warning': { ru: 'предупреждение', en: 'warning' },
  'health.fault': { ru: 'неисправно', en: 'fault' },
  'health.unknown': { ru: 'неизвестно', en: 'unknown' },
  'device.receipt-printer': { ru: 'Принтер чеков', en: 'Receipt printer' },
  'device.fiscal': { ru: 'ККТ', en: 'Fiscal register' },
  'device.host': { ru: 'Касса (ОС)', en: 'Register (OS)' },

  'error.network': { ru: 'Сервер недоступен.', en: 'Cannot reach the server.' },
  'error.forbidden': { ru: 'Недостаточно прав для этого действия.', en: 'You are not allowed to do this.' },
  'error.notFound': { ru: 'Не найдено.', en: 'Not found.' },
  'error.conflict': { ru: 'Заявку уже изменил кто-то другой; обновлено.', en: 'Someone else changed the ticket; reloaded.' },
  'error.badResponse': { ru: 'Сервер прислал неожиданный ответ.', en: 'The server sent an unexpected response.' },
  'error.other': { ru: 'Ошибка: {message}', en: 'Error: {message}' },
  'error.retry': { ru: 'Повторить', en: 'Retry' },
  'app.loading': { ru: 'Загрузка…', en: 'Loading…' },
} as const satisfies Record<string, LocalizedText>;

/**
 * Every string the console shows that is not in the shared catalogue. Russian first; each key
 * must have both languages and the same `{placeholders}` in each (strings.test.ts checks).
 */
export const STRINGS = { ...CORE_STRINGS, ...TIMELINE_STRINGS, ...HOST_STRINGS, ...REFERENCE_STRINGS, ...DESK_STRINGS, ...SERVICE_STRINGS, ...KB_STRINGS, ...NOTIFY_STRINGS, ...ACTIONS_STRINGS, ...KPI_STRINGS, ...CASHIER_STRINGS };

export type StringKey = keyof typeof STRINGS;
export type Vars = Record<string, string | number>;

/**
 * `{name}` is the value; `{name|form|form…}` is the word that agrees with it, its forms in the
 * order of the language's Intl.PluralRules categories (PLURAL_FORMS): Russian "1 раз, 3 раза,
 * 5 раз" is `{n} {n|раз|раза|раз}`, English `{n} {n|time|times}`.
 */
const TOKEN = /\{(\w+)(?:\|([^}]*))?\}/g;

/** The categories each language's plural forms are listed in; a category not listed takes the last form. */
export const PLURAL_FORMS: Record<Locale, readonly Intl.LDMLPluralRule[]> = { ru: ['one', 'few', 'many'], en: ['one', 'other'] };

const PLURAL_RULES: Record<Locale, Intl.PluralRules> = { ru: new Intl.PluralRules('ru'), en: new Intl.PluralRules('en') };

function pluralForm(locale: Locale, value: number, forms: readonly string[]): string {
  const index = PLURAL_FORMS[locale].indexOf(PLURAL_RULES[locale].select(value));
  return forms[index === -1 ? forms.length - 1 : index] ?? '';
}

export function translate(locale: Locale, key: StringKey, vars?: Vars): string {
  const template: string = STRINGS[key][locale];
  if (!vars) return template;
  return template.replace(TOKEN, (whole, name: string, forms: string | undefined) => {
    if (!(name in vars)) return whole;
    return forms === undefined ? String(vars[name]) : pluralForm(locale, Number(vars[name]), forms.split('|'));
  });
}

/** Placeholder names in a template (plural words included), sorted, for the completeness test. */
export function placeholders(template: string): string[] {
  return [...template.matchAll(TOKEN)].map((m) => m[1] ?? '').sort();
}

/** The plural words of a template: their form counts, for the completeness test. */
export function pluralWords(template: string): number[] {
  return [...template.matchAll(TOKEN)].flatMap((m) => (m[2] === undefined ? [] : [m[2].split('|').length]));
}
