import {
  CATALOGUE,
  CHECKLIST_STEP_TITLES,
  PRIORITY_TITLES,
  SEVERITY_TITLES,
  TIMELINE_KIND_TITLES,
  TimelineKind,
  type EvidenceExchange,
  type LocalizedText,
  type VendorPack,
} from '@tillscope/shared';

// The vendor hand-off pack as one printable HTML page (GET /api/tickets/:id/vendor-pack.html):
// Russian first, then English; no scripts, no external resources, so it prints and mails as a file.
// Everything from a device, a register or a person is untrusted and goes through esc().

/** HTML-escapes text for element content and double-quoted attributes. */
export function esc(text: string | number): string {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** "Русский / English" label. */
const both = (ru: string, en: string) => `${esc(ru)} <span class="en">/ ${esc(en)}</span>`;
const bothOf = (text: LocalizedText) => both(text.ru, text.en);
const orDash = (value: string | null | undefined) => (value ? esc(value) : '—');

const STYLE = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 2em; color: #111; }
h1 { font-size: 20px; } h2 { font-size: 16px; margin-top: 1.5em; border-bottom: 1px solid #999; }
.en { color: #555; } table { border-collapse: collapse; width: 100%; } th, td { border: 1px solid #bbb; padding: 4px 6px; text-align: left; vertical-align: top; }
th { background: #eee; } pre, .hex { font: 12px/1.3 monospace; white-space: pre-wrap; word-break: break-all; } .failed { color: #a00; font-weight: bold; }
@page { size: A4; margin: 15mm; }
@media print { body { margin: 0; } h2 { break-after: avoid; } tr { break-inside: avoid; } }
`;

function rows(pairs: ReadonlyArray<readonly [string, string]>): string {
  return `<table>${pairs.map(([label, value]) => `<tr><th>${label}</th><td>${value}</td></tr>`).join('')}</table>`;
}

function table(head: readonly string[], body: readonly (readonly string[])[], empty: string): string {
  if (body.length === 0) return `<p>${empty}</p>`;
  return `<table><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr>${body.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('')}</table>`;
}

function ticketSection({ ticket }: VendorPack): string {
  const entry = CATALOGUE[ticket.code];
  return `<h2>${both('Заявка', 'Ticket')}</h2>${rows([
    [both('Номер', 'Number'), esc(ticket.id)],
    [both('Проблема', 'Problem'), `${bothOf(entry.title)} <span class="hex">(${esc(ticket.code)})</span>`],
    [both('Важность', 'Severity'), bothOf(SEVERITY_TITLES[ticket.severity])],
    [both('Приоритет', 'Priority'), bothOf(PRIORITY_TITLES[ticket.priority])],
    [both('Открыта', 'Opened'), esc(ticket.openedAt)],
    [both('Повторений', 'Occurrences'), esc(ticket.occurrences)],
    [both('Что видит система', 'What the system sees'), `<pre>${esc(ticket.detail)}</pre>`],
  ])}`;
}

function storeSection({ store, vendor }: VendorPack): string {
  const where = rows([
    [both('Магазин', 'Store'), esc(store.storeId)],
    [both('Касса', 'Register'), esc(store.registerId)],
    [both('Имя компьютера', 'Hostname'), orDash(store.hostname)],
    [both('ОС', 'OS'), `${orDash(store.osPlatform)} ${esc(store.osRelease)}`],
    [both('Версия агента', 'Agent version'), orDash(store.agentVersion)],
  ]);
  const handOff = vendor
    ? rows([
      [both('Поставщик', 'Vendor'), esc(vendor.vendor)],
      [both('Номер обращения у поставщика', "Vendor's case number"), orDash(vendor.reference)],
      [both('Передана', 'Escalated'), `${esc(vendor.escalatedAt)}, ${esc(vendor.escalatedBy)}`],
      [both('Срок поставщика', "Vendor's deadline"), orDash(vendor.dueAt)],
    ])
    : `<p>${both('Заявка ещё не передана поставщику.', 'Not escalated to a vendor yet.')}</p>`;
  return `<h2>${both('Касса', 'Register')}</h2>${where}<h2>${both('Передача поставщику', 'Vendor hand-off')}</h2>${handOff}`;
}

function devicesSection({ devices }: VendorPack): string {
  const body = devices.map((d) => [
    esc(d.deviceId), `${esc(d.kind)} / ${esc(d.driver)}`, orDash(d.model), orDash(d.identity?.serial), orDash(d.identity?.firmware),
    orDash(d.identity?.fnSerial), orDash(d.identity?.ffdVersion),
  ]);
  return `<h2>${both('Оборудование', 'Devices')}</h2>${table(
    [both('Устройство', 'Device'), both('Тип / драйвер', 'Kind / driver'), both('Модель', 'Model'), both('Заводской номер', 'Serial'),
      both('Прошивка', 'Firmware'), both('Номер ФН', 'FN number'), both('ФФД', 'FFD')],
    body, both('Касса не сообщила об оборудовании.', 'The register reported no devices.'),
  )}`;
}

function exchangeRow(exchange: EvidenceExchange): string[] {
  const decoded = exchange.decoded.map((f) => `${esc(f.field)}${f.value ? ` = ${esc(f.value)}` : ''}: ${esc(f.meaning.ru)} / ${esc(f.meaning.en)}`).join('<br>');
  const sent = exchange.type === 'structured' ? JSON.stringify(exchange.request) : exchange.request;
  const answer = exchange.type === 'structured' ? (exchange.reply === null ? null : JSON.stringify(exchange.reply)) : exchange.reply;
  return [esc(exchange.label), `<span class="hex">${esc(sent)}</span>`, `<span class="hex">${orDash(answer)}</span>`, decoded || '—'];
}

function evidenceSection({ evidence, checklist }: VendorPack): string {
  const steps = table(
    [both('Проверка', 'Check'), both('Итог', 'Result'), both('Что увидели', 'Observed')],
    checklist.map((a) => [bothOf(CHECKLIST_STEP_TITLES[a.step]), `<span class="${a.result === 'failed' ? 'failed' : ''}">${esc(a.result)}</span>`, esc(a.observed)]),
    both('Проверок нет.', 'No checks.'),
  );
  const proof = evidence
    ? `${rows([[both('Подключение', 'Transport'), `${esc(evidence.transport)} ${esc(evidence.target)}`], [both('Ошибка связи', 'Transport error'), orDash(evidence.transportError)]])}${table(
      [both('Запрос', 'Exchange'), both('Отправлено', 'Sent'), both('Ответ', 'Reply'), both('Расшифровка', 'Decoded')],
      evidence.exchanges.map(exchangeRow), both('Обменов нет.', 'No exchanges.'),
    )}`
    : `<p>${both('Доказательств обмена с устройством нет.', 'No device exchange evidence.')}</p>`;
  return `<h2>${both('Результаты проверок', 'Checklist results')}</h2>${steps}<h2>${both('Доказательства', 'Evidence')}</h2>${proof}`;
}

function eventTitle(kind: string): string {
  const known = TimelineKind.safeParse(kind);
  return known.success ? bothOf(TIMELINE_KIND_TITLES[known.data]) : esc(kind);
}

function triedSection({ tried, bundle }: VendorPack): string {
  const history = table(
    [both('Когда', 'When'), both('Событие', 'Event'), both('Кто', 'Who'), both('Подробности', 'Details')],
    tried.map((e) => [esc(e.at), eventTitle(e.kind), e.actor === null ? both('система', 'system') : esc(e.actor), esc(e.text)]),
    both('Событий нет.', 'No events.'),
  );
  const diagnostics = bundle
    ? rows([
      [both('Пакет диагностики', 'Diagnostics bundle'), `<a href="${esc(bundle.downloadPath)}">${esc(bundle.id)}</a>`],
      [both('Получен', 'Received'), esc(bundle.receivedAt)],
      [both('Размер, байт', 'Size, bytes'), esc(bundle.sizeBytes)],
      ['SHA-256', `<span class="hex">${esc(bundle.sha256)}</span>`],
    ])
    : `<p>${both('Пакета диагностики с этой кассы нет.', 'No diagnostics bundle from this register.')}</p>`;
  return `<h2>${both('Что уже сделано', 'What was tried')}</h2>${history}<h2>${both('Диагностика', 'Diagnostics')}</h2>${diagnostics}`;
}

/** The whole page. Deterministic: the same pack gives the same bytes. */
export function vendorPackHtml(pack: VendorPack): string {
  const title = `Tillscope: заявка ${pack.ticket.id} для поставщика / ticket ${pack.ticket.id} vendor pack`;
  return `<!doctype html>
<html lang="ru"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${esc(title)}</title><style>${STYLE}</style></head>
<body><h1>${both(`Заявка ${pack.ticket.id}: пакет для поставщика`, `Ticket ${pack.ticket.id}: vendor hand-off pack`)}</h1>
<p>${both('Сформирован', 'Generated')}: ${esc(pack.generatedAt)}, ${esc(pack.generatedBy)}</p>
${ticketSection(pack)}
${storeSection(pack)}
${devicesSection(pack)}
${evidenceSection(pack)}
${triedSection(pack)}
</body></html>
`;
}
