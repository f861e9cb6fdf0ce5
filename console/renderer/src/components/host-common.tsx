// Building blocks of the register's host panel: a section's frame with its "as of" time and the
// facts its probe could not read, a yes/no/could-not-tell value and a key/value list. Every string
// from the register is shown as text (Preact escapes it).
import type { ComponentChildren } from 'preact';
import type { HostSectionName, UncheckedFact } from '@tillscope/shared';
import { useI18n } from '../i18n/locale';
import type { StringKey } from '../i18n/strings';
import { formatDateTime } from '../logic/format';

/** A section as the console last received it (RegisterHost's `seen`). */
export interface Seen<T> {
  facts: T;
  reportedAt: string;
}

/**
 * One host section: its title and time, its facts (`children` is called only when the register has
 * reported the section), and what its probe could not check, in the same place, never hidden.
 */
export function HostSectionFrame<T extends { unchecked: UncheckedFact[] }>({
  name,
  seen,
  children,
}: {
  name: HostSectionName;
  seen: Seen<T> | null;
  children: (facts: T) => ComponentChildren;
}) {
  const { t, locale } = useI18n();
  return (
    <section class="host-section" data-testid={`host-${name}`} data-reported={seen ? 'true' : 'false'}>
      <h3>
        {t(`host.section.${name}`)}{' '}
        {seen ? <span class="muted small">({t('host.asOf', { when: formatDateTime(seen.reportedAt, locale) })})</span> : null}
      </h3>
      {seen ? (
        <>
          {children(seen.facts)}
          <UncheckedList facts={seen.facts.unchecked} />
        </>
      ) : (
        <p class="muted small">{t('host.notReported')}</p>
      )}
    </section>
  );
}

/** "Не удалось проверить": each fact with the probe's reason (English, as the agent wrote it). */
export function UncheckedList({ facts }: { facts: UncheckedFact[] }) {
  const { t } = useI18n();
  if (!facts.length) return null;
  return (
    <div class="host-unchecked" data-testid="host-unchecked">
      <span class="check-result check-result-unknown">{t('host.unchecked')}:</span>
      <ul>
        {facts.map((f, i) => (
          <li key={i} data-fact={f.fact}>
            <span class="mono">{f.fact}</span> — <span lang="en">{f.reason}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Yes, no, or "could not tell" for null: a fact the OS did not give is never shown as "no". */
export function YesNo({ value, yes, no, bad }: { value: boolean | null; yes?: string; no?: string; bad?: boolean }) {
  const { t } = useI18n();
  if (value === null) return <span class="check-result check-result-unknown" data-value="unknown">{t('host.cannotTell')}</span>;
  const text = value ? (yes ?? t('host.yes')) : (no ?? t('host.no'));
  // `bad`: which answer is the trouble ("pending reboot: yes", "synced: no").
  const tone = bad === undefined ? '' : value === bad ? 'text-red' : 'text-green';
  return (
    <span class={tone} data-value={String(value)}>
      {text}
    </span>
  );
}

/** A list of labelled values; rows without a value are left out. */
export function KeyValues({ rows, testid }: { rows: [string, ComponentChildren][]; testid?: string }) {
  return (
    <dl class="kv kv-inline host-kv" data-testid={testid}>
      {rows
        .filter(([, value]) => value !== null && value !== undefined && value !== '')
        .map(([label, value]) => (
          <div key={label} class="kv-pair">
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
    </dl>
  );
}

/** A table of host facts: the column titles (string keys) and the rows. */
export function HostTable({ testid, head, class: className, children }: { testid: string; head: StringKey[]; class?: string; children: ComponentChildren }) {
  const { t } = useI18n();
  return (
    <table class={`host-table ${className ?? ''}`} data-testid={testid}>
      <thead>
        <tr>
          {head.map((key) => (
            <th key={key}>{t(key)}</th>
          ))}
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
}
