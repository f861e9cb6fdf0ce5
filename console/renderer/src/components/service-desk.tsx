import type { Me } from '@tillscope/shared';
import type { ApiClient } from '../api/client';
import { useI18n } from '../i18n/locale';
import type { StringKey } from '../i18n/strings';
import { routeToHash, SERVICE_SECTIONS, type ServiceSection } from '../logic/route';
import { HolidayCalendarPanel } from './holiday-calendar';
import { ActionsAdminPanel } from './service-actions';
import { CashierSettingsPanel } from './service-cashier';
import { GroupsPanel } from './groups';
import { MaintenancePanel } from './maintenance';
import { NoisePanel } from './noise-settings';
import { NotifyPanel } from './notify-settings';
import { RoutingPanel } from './routing-table';
import { SlaTargetsPanel } from './sla-targets';
import { StoresPanel } from './stores-hours';

const SECTION_TITLES: Record<ServiceSection, StringKey> = {
  sla: 'svc.tab.sla',
  stores: 'svc.tab.stores',
  calendar: 'svc.tab.calendar',
  groups: 'svc.tab.groups',
  routing: 'svc.tab.routing',
  noise: 'svc.tab.noise',
  maintenance: 'svc.tab.maintenance',
  notify: 'svc.tab.notify',
  actions: 'svc.tab.actions',
  cashier: 'svc.tab.cashier',
};

/**
 * "Сервис": how the second line's working day is set up. Admins edit; engineers read, and plan
 * maintenance windows. One part at a time, chosen in the URL (#/service/<part>) so it can be shared.
 */
export function ServiceDeskScreen({ section, api, me }: { section: ServiceSection; api: ApiClient; me: Me }) {
  const { t } = useI18n();
  const admin = me.role === 'admin';
  return (
    <main class="service-screen" data-testid="service-desk" data-section={section}>
      <div class="filters">
        <h1 class="screen-title">{t('svc.title')}</h1>
      </div>
      <nav class="service-tabs" aria-label={t('svc.title')}>
        {SERVICE_SECTIONS.map((s) => (
          <a key={s} href={routeToHash({ name: 'service', section: s })} class={s === section ? 'active' : ''} aria-current={s === section ? 'page' : undefined} data-testid={`svc-tab-${s}`}>
            {t(SECTION_TITLES[s])}
          </a>
        ))}
      </nav>
      <ServicePart section={section} api={api} admin={admin} />
    </main>
  );
}

function ServicePart({ section, api, admin }: { section: ServiceSection; api: ApiClient; admin: boolean }) {
  switch (section) {
    case 'sla':
      return <SlaTargetsPanel api={api} admin={admin} />;
    case 'stores':
      return <StoresPanel api={api} admin={admin} />;
    case 'calendar':
      return <HolidayCalendarPanel api={api} admin={admin} />;
    case 'groups':
      return <GroupsPanel api={api} admin={admin} />;
    case 'routing':
      return <RoutingPanel api={api} admin={admin} />;
    case 'noise':
      return <NoisePanel api={api} admin={admin} />;
    case 'maintenance':
      return <MaintenancePanel api={api} />;
    case 'notify':
      return <NotifyPanel api={api} admin={admin} />;
    case 'actions':
      return <ActionsAdminPanel api={api} admin={admin} />;
    case 'cashier':
      return <CashierSettingsPanel api={api} admin={admin} />;
  }
}
