// A register's differences from its reference image (эталон): what differs, expected and actual.
// Shown on the register page, on a reference's page per register, and on the drift ticket. The
// values come from the register (untrusted) and are shown as text; a SHA-256 is shortened with the
// whole value in the tooltip.
import { ServiceStartMode, ServiceState, type DriftDifference, type DriftKind, type RegisterDrift } from '@tillscope/shared';
import type { StringKey } from '../i18n/strings';
import { useI18n } from '../i18n/locale';
import { formatDateTime } from '../logic/format';
import { shortHash } from '../logic/host-format';
import { routeToHash } from '../logic/route';
import { HostTable } from './host-common';

const SHA256 = /^[0-9a-f]{64}$/;

/**
 * A value in the reader's language where the console wrote a known word (a service state or start
 * mode, "running"/"not running" of a POS application); anything else as it came.
 */
function valueText(kind: DriftKind, value: string, t: ReturnType<typeof useI18n>['t']): string {
  if (kind === 'service_state') return ServiceState.safeParse(value).success ? t(`host.service.${ServiceState.parse(value)}`) : value;
  if (kind === 'service_start_mode') return ServiceStartMode.safeParse(value).success ? t(`host.startMode.${ServiceStartMode.parse(value)}`) : value;
  if (kind === 'pos_app_not_running') return value === 'running' ? t('host.running') : value === 'not running' ? t('host.notRunning') : value;
  return value;
}

function Value({ kind, text }: { kind: DriftKind; text: string }) {
  const { t } = useI18n();
  if (!SHA256.test(text)) return <span class="mono">{valueText(kind, text, t)}</span>;
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
            <Value kind={d.kind} text={d.expected} />
          </td>
          <td class="drift-actual text-red">{d.actual === null ? <em>{t('drift.absent')}</em> : <Value kind={d.kind} text={d.actual} />}</td>
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

/** The console's drift areas (console/server/src/host/drift.ts DRIFT_AREAS), named as the reference's lists are. */
const AREA_TITLES: Partial<Record<string, StringKey>> = {
  os: 'refs.spec.osBuild',
  'print.drivers': 'refs.spec.drivers',
  'print.services': 'refs.spec.services',
  'pos.apps': 'refs.spec.posApps',
  'pos.fiscalStack': 'refs.spec.fiscalStack',
  'pos.configFiles': 'refs.spec.configFiles',
  peripherals: 'refs.spec.peripherals',
};

/** An area the drift could not compare, in words when it is a known one, as sent otherwise. */
function sectionTitle(area: string, t: ReturnType<typeof useI18n>['t']): string {
  const key = AREA_TITLES[area];
  return key ? t(key) : area;
}
