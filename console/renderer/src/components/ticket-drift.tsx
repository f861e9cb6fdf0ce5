import { HOST_PROBE_SECTION, type HostProbeId, type RegisterSummary } from '@tillscope/shared';
import { useI18n } from '../i18n/locale';
import { registerHash, routeToHash } from '../logic/route';
import { ErrorBanner } from './common';
import { DriftView } from './drift';
import { HostSectionView, type LoadedHost } from './host-panel';

/**
 * On a "drift from reference" ticket: the register's differences, expected against actual, live
 * (the ticket screen loads GET /api/registers/:agentId/host), with a link to the register page for
 * the rest of its host facts.
 */
export function TicketDrift({ loaded, register }: { loaded: LoadedHost; register: Pick<RegisterSummary, 'agentId'> | undefined }) {
  const { t } = useI18n();
  const { host, error, reload } = loaded;
  return (
    <section class="card" data-testid="ticket-drift">
      <h2>{t('drift.title')}</h2>
      {!register ? <p class="muted">{t('drift.unknownRegister')}</p> : null}
      <ErrorBanner error={error} onRetry={reload} />
      {host ? <DriftView drift={host.drift} /> : register && !error ? <p class="muted">{t('drift.loading')}</p> : null}
      {register ? (
        <p class="small">
          <a href={registerHash(register.agentId)} data-testid="ticket-register-page">
            {t('registerPage.open')}
          </a>
        </p>
      ) : null}
    </section>
  );
}

/**
 * Any ticket's register section: the register against its reference in one line ("Эталон «…»:
 * отличий 3"), linking to the reference. Nothing until the host facts are loaded; a failure to load
 * them is shown only on the drift ticket.
 */
export function DriftSummary({ loaded }: { loaded: LoadedHost }) {
  const { t } = useI18n();
  const drift = loaded.host?.drift;
  if (drift === undefined) return null;
  if (drift === null) {
    return (
      <p class="small muted" data-testid="drift-summary" data-state="no-reference">
        {t('drift.noReference')}
      </p>
    );
  }
  const n = drift.differences.length;
  return (
    <p class={`small ${n ? 'text-red' : 'text-green'}`} data-testid="drift-summary" data-state={n ? 'differs' : 'matches'}>
      {t('drift.reference')}: <a href={routeToHash({ name: 'references', id: drift.referenceId })}>{drift.referenceName}</a> —{' '}
      {n ? t('drift.count', { n }) : t('refs.registerMatches')}
    </p>
  );
}

const isHostProbe = (id: string | null): id is HostProbeId => id !== null && Object.hasOwn(HOST_PROBE_SECTION, id);

/**
 * On a ticket about the register itself (its device is a host probe): the facts of that probe's
 * section (the print service, the clock, the disks…), so the engineer acts without opening the
 * register page. Nothing on other tickets.
 */
export function TicketHostSection({ loaded, deviceId, register }: { loaded: LoadedHost; deviceId: string | null; register: Pick<RegisterSummary, 'agentId'> | undefined }) {
  const { t } = useI18n();
  if (!isHostProbe(deviceId) || !loaded.host || !register) return null;
  return (
    <section class="card" data-testid="ticket-host-section">
      <h2>{t('host.title')}</h2>
      <HostSectionView host={loaded.host} name={HOST_PROBE_SECTION[deviceId]} />
      <p class="small">
        <a href={registerHash(register.agentId)}>{t('registerPage.open')}</a>
      </p>
    </section>
  );
}
