// The CLI's readable view of a discovery: one block per port, Russian first, English second, then
// the proposed config entries as JSON. Device strings are untrusted: control characters (a
// terminal escape sequence in a model name) are shown as "?".
import type { DiscoveredClass, DiscoveredPort, DiscoveryResult } from '@tillscope/shared';

export const CLASS_WORDS: Readonly<Record<DiscoveredClass, { ru: string; en: string }>> = {
  escpos: { ru: 'принтер ESC/POS', en: 'ESC/POS printer' },
  'star-line': { ru: 'принтер Star', en: 'Star printer' },
  'shtrih-m': { ru: 'ККТ Штрих-М', en: 'Shtrih-M fiscal register' },
  atol: { ru: 'ККТ АТОЛ', en: 'ATOL fiscal register' },
  busy: { ru: 'занят другой программой', en: 'busy (held by another program)' },
  silent: { ru: 'не отвечает', en: 'silent' },
  unreachable: { ru: 'недоступен', en: 'unreachable' },
};

const HEALTH_WORDS = { ok: 'исправен / ok', warning: 'предупреждение / warning', fault: 'неисправность / fault', unknown: 'неизвестно / unknown' } as const;

/** Device text made safe for a terminal: C0/C1 control characters become "?". */
export function terminalSafe(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}

function portBlock(port: DiscoveredPort): string[] {
  const words = CLASS_WORDS[port.classification];
  const lines = [`${terminalSafe(port.target)} [${port.transport}]: ${words.ru} / ${words.en}`];
  if (port.osDescription) lines.push(`  ОС / OS: ${terminalSafe(port.osDescription)}`);
  if (port.model) lines.push(`  модель / model: ${terminalSafe(port.model)}`);
  if (port.configuredAs) lines.push(`  уже в конфигурации как / configured as: ${terminalSafe(port.configuredAs)}`);
  if (port.probeHealth) lines.push(`  проверка / probe: ${HEALTH_WORDS[port.probeHealth]}`);
  for (const step of port.steps) lines.push(`  - ${terminalSafe(step)}`);
  return lines;
}

/** The whole report as text lines (no trailing newline). */
export function formatDiscovery(result: DiscoveryResult): string {
  const lines = [`Поиск устройств / Device discovery: ${result.startedAt} … ${result.finishedAt}`, ''];
  if (result.ports.length === 0) lines.push('Портов не найдено / No ports found', '');
  for (const port of result.ports) lines.push(...portBlock(port), '');
  const proposed = result.ports.flatMap((p) => (p.proposedConfig !== undefined ? [p.proposedConfig] : []));
  if (proposed.length > 0) {
    lines.push('Предлагаемые записи для "devices" в конфигурации / Proposed entries for the config\'s "devices":');
    lines.push(...JSON.stringify(proposed, null, 2).split('\n').map(terminalSafe), '');
  } else {
    lines.push('Нечего предложить / Nothing to propose', '');
  }
  if (result.problems.length > 0) {
    lines.push('Проблемы / Problems:');
    for (const problem of result.problems) lines.push(`  - ${terminalSafe(problem)}`);
  }
  return lines.join('\n').trimEnd();
}
