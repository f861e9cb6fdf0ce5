import type { Locale, Me } from '@tillscope/shared';
import type { FeedState } from '../api/feed';
import { useI18n } from '../i18n/locale';
import type { Route } from '../logic/route';

export interface HeaderProps {
  me: Me;
  route: Route;
  feedState: FeedState;
  canEnableNotifications: boolean;
  onEnableNotifications: () => void;
  onLocale: (locale: Locale) => void;
  onLogout: () => void;
}

export function Header({ me, route, feedState, canEnableNotifications, onEnableNotifications, onLocale, onLogout }: HeaderProps) {
  const { t, locale } = useI18n();
  const live = feedState === 'live';
  const liveText = live ? t('live.live') : feedState === 'connecting' ? t('live.connecting') : t('live.reconnecting');
  const onQueue = route.name === 'queue' || route.name === 'ticket';
  const onFleet = route.name === 'fleet' || route.name === 'register';
  return (
    <header class="topbar">
      <a class="brand" href="#/queue">
        <span class="brand-mark" aria-hidden="true">▣</span> {t('app.name')}
      </a>
      <nav class="nav">
        <a href="#/queue" class={onQueue ? 'active' : ''} aria-current={onQueue ? 'page' : undefined}>
          {t('nav.queue')}
        </a>
        <a href="#/fleet" class={onFleet ? 'active' : ''} aria-current={onFleet ? 'page' : undefined}>
          {t('nav.fleet')}
        </a>
        <a href="#/fiscal" class={route.name === 'replacements' ? 'active' : ''} aria-current={route.name === 'replacements' ? 'page' : undefined} data-testid="nav-fiscal">
          {t('nav.fiscal')}
        </a>
        <a href="#/references" class={route.name === 'references' ? 'active' : ''} aria-current={route.name === 'references' ? 'page' : undefined} data-testid="nav-references">
          {t('nav.references')}
        </a>
        <a href="#/kb" class={route.name === 'kb' ? 'active' : ''} aria-current={route.name === 'kb' ? 'page' : undefined} data-testid="nav-kb">
          {t('nav.kb')}
        </a>
        <a href="#/kpi" class={route.name === 'kpi' ? 'active' : ''} aria-current={route.name === 'kpi' ? 'page' : undefined} data-testid="nav-kpi">
          {t('nav.kpi')}
        </a>
        <a href="#/audit" class={route.name === 'audit' ? 'active' : ''} aria-current={route.name === 'audit' ? 'page' : undefined} data-testid="nav-audit">
          {t('nav.audit')}
        </a>
        <a href="#/service" class={route.name === 'service' ? 'active' : ''} aria-current={route.name === 'service' ? 'page' : undefined} data-testid="nav-service">
          {t('nav.service')}
        </a>
      </nav>
      <div class="topbar-spacer" />
      <span class={`live live-${live ? 'on' : 'off'}`} data-testid="live-indicator" data-state={feedState} title={t('live.title')} role="status">
        <span class="live-dot" aria-hidden="true" />
        {liveText}
      </span>
      {canEnableNotifications ? (
        <button type="button" class="btn btn-ghost btn-small" onClick={onEnableNotifications}>
          {t('notify.enable')}
        </button>
      ) : null}
      <button
        type="button"
        class="lang"
        data-testid="lang-switch"
        data-locale={locale}
        title={t('header.lang')}
        aria-label={t('header.lang')}
        onClick={() => onLocale(locale === 'ru' ? 'en' : 'ru')}
      >
        <span class={locale === 'ru' ? 'on' : ''}>RU</span>
        <span class={locale === 'en' ? 'on' : ''}>EN</span>
      </button>
      <span class="user" data-testid="user">
        <span class="user-name">{me.displayName || me.username}</span>
        <span class="user-role">{t(`role.${me.role}`)}</span>
      </span>
      <button type="button" class="btn btn-ghost btn-small" data-testid="logout" onClick={onLogout}>
        {t('header.logout')}
      </button>
    </header>
  );
}
