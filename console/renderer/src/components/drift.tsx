// A register's differences from its reference image (эталон): what differs, expected and actual.
// Shown on the register page, on a reference's page per register, and on the drift ticket. The
// values come from the register (untrusted) and are shown as text; a SHA-256 is shortened with the
// whole value in the tooltip.
import { HOST_PROBE_SECTION, type DriftDifference, type HostSectionName, type RegisterDrift } from '@tillscope/shared';
import { useI18n } from '../i18n/locale';
import { formatDateTime } from '../logic/format';
import { shortHash } from '../logic/host-format';
import { routeToHash } from '../logic/route';
import { HostTable } from './host-common';

const SHA256 = /^[0-9a-f]{64}$/;

function Value({ text }: { text: string }) {
  if (!SHA256.test(text)) return <span class="mono">{text}</span>;
  return (
    <span class="mono" title={text}>
      {shortHash(text)}
    </span>
  );
}

export function DriftTable({ differences, testid = 'drift-table' }: { differences: DriftDifference[]; testid?: string }) {
  const { t } = useI18n();
  return (
    <HostTable testid={testid} class="drift-table" head={['drift.col.what', 'drift.col.subject', 'drift.col.expected', 'drift.col.actual']}>
      {differences.map((d, i) => (
        <tr key={i} data-kind={d.kind} data-subject={d.subject}>
          <td>{t(`drift.kind.${d.kind}`)}</td>
          <td class="mono">{d.subject}</td>
          <td class="drift-expected">
            <Value text={d.expected} />
          </td>
          <td class="drift-actual text-red">{d.actual === null ? <em>{t('drift.absent')}</em> : <Value text={d.actual} />}</td>
        </tr>
      ))}
    </HostTable>
  );
}

/** The register's drift: its reference (a link), when compared, the differences or "matches", and what was not compared. */
export function DriftView({ drift }: { drift: RegisterDrift | null }) {
  const { t, locale } = useI18n();
  if (!drift) {
    return (
      <p class="muted" data-testid="drift" data-state="no-reference">
        {t('drift.noReference')}
      </p>
    );
  }
  const state = drift.differences.length ? 'differs' : 'matches';
  return (
    <div class="drift" data-testid="drift" data-state={state} data-reference-id={drift.referenceId}>
      <p class="small">
        {t('drift.reference')}: <a href={routeToHash({ name: 'references', id: drift.referenceId })}>{drift.referenceName}</a>{' '}
        <span class="muted">({t('drift.comparedAt', { when: formatDateTime(drift.comparedAt, locale) })})</span>
      </p>
      {drift.differences.length ? (
        <>
          <p class="text-red" data-testid="drift-count">
            {t('drift.count', { n: drift.differences.length })}
          </p>
          <DriftTable differences={drift.differences} />
        </>
      ) : (
        <p class="text-green">{t('drift.matches')}</p>
      )}
      {drift.unchecked.length ? (
        <p class="check-result check-result-unknown small" data-testid="drift-unchecked">
          {t('drift.notCompared', { sections: drift.unchecked.map((s) => sectionTitle(s, t)).join(', ') })}
        </p>
      ) : null}
    </div>
  );
}

const SECTIONS: ReadonlySet<string> = new Set<HostSectionName>(Object.values(HOST_PROBE_SECTION));
const isSection = (name: string): name is HostSectionName => SECTIONS.has(name);

/** A section the drift could not compare, in words when it is one of ours, as sent otherwise. */
function sectionTitle(section: string, t: ReturnType<typeof useI18n>['t']): string {
  return isSection(section) ? t(`host.section.${section}`) : section;
}
