import type { Locale, Me } from '@tillscope/shared';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiClient } from './api/client';
import { FeedClient, feedUrl, type FeedState } from './api/feed';
import { FleetScreen } from './components/fleet';
import { Header } from './components/header';
import { lazyScreen } from './components/lazy-screen';
import { LoginScreen } from './components/login';
import { QueueScreen } from './components/queue';
import { ReferencesScreen } from './components/references';
import { RegisterScreen } from './components/register-screen';
import { ReplacementsScreen } from './components/replacements';
import { TicketScreen } from './components/ticket-detail';
import { desktopApi } from './desktop';
import { I18nContext, loadLocale, makeI18n, saveLocale } from './i18n/locale';
import type { StringKey } from './i18n/strings';
import { alertText, type DeskAlert } from './logic/desk-alerts';
import { parseHash, routeToHash, type Route } from './logic/route';
import { ConsoleState } from './state/console-state';

// Loaded on first use, each as a chunk of its own (components/lazy-screen.tsx).
const KbScreen = lazyScreen(async () => (await import('./components/kb-screen')).KbScreen);
const KpiScreen = lazyScreen(async () => (await import('./components/kpi')).KpiScreen);
const AuditScreen = lazyScreen(async () => (await import('./components/audit-screen')).AuditScreen);
const ServiceDeskScreen = lazyScreen(async () => (await import('./components/service-desk')).ServiceDeskScreen);

type Auth = { phase: 'checking' } | { phase: 'anonymous'; notice: StringKey | null } | { phase: 'signed-in'; me: Me };

function useRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(location.hash));
  useEffect(() => {
    const onHash = () => setRoute(parseHash(location.hash));
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  return route;
}

export function navigate(route: Route): void {
  const hash = routeToHash(route);
  if (location.hash !== hash) location.hash = hash;
}

function notificationsAvailable(): boolean {
  return typeof Notification !== 'undefined';
}

/** Signed in: start the feed and load the data (new tickets may raise desk alerts); signed out: stop and forget. */
function useLiveFeed(me: Me | null, feed: FeedClient, state: ConsoleState, localeRef: { current: Locale }, onFeedState: (state: FeedState) => void): void {
  useEffect(() => {
    if (!me) {
      feed.stop();
      state.reset();
      return;
    }
    const offState = feed.onState(onFeedState);
    const offMessage = feed.onMessage((m) => {
      if (m.type === 'ticket') {
        state.applyTicket(m.payload);
        for (const alert of state.alerts.check(m.payload, Date.now())) notifyDesk(alert, localeRef.current);
      } else {
        state.applyRegister(m.payload);
      }
    });
    const offReconnect = feed.onReconnect(() => {
      void state.reloadQueue();
      void state.reloadFleet({ ifLoaded: true });
    });
    feed.start();
    return () => {
      offState();
      offMessage();
      offReconnect();
    };
  }, [me?.username]);
}

export function App() {
  const [locale, setLocale] = useState<Locale>(() => loadLocale(safeStorage()));
  const i18n = useMemo(() => makeI18n(locale), [locale]);
  const [auth, setAuth] = useState<Auth>({ phase: 'checking' });
  const [feedState, setFeedState] = useState<FeedState>('stopped');
  const [notifyPermission, setNotifyPermission] = useState(() => (notificationsAvailable() ? Notification.permission : 'denied'));
  const route = useRoute();

  const api = useMemo(() => new ApiClient(), []);
  const feed = useMemo(() => new FeedClient({ url: feedUrl(location) }), []);
  const me = auth.phase === 'signed-in' ? auth.me : null;
  // Long-lived objects read the latest user and language through refs.
  const meRef = useRef<Me | null>(null);
  meRef.current = me;
  const localeRef = useRef(locale);
  localeRef.current = locale;
  const state = useMemo(() => new ConsoleState(api, () => meRef.current), [api]);

  useEffect(() => {
    document.documentElement.lang = locale;
    saveLocale(safeStorage(), locale);
  }, [locale]);

  // The desktop app: a clicked notification opens its ticket (a browser's does it in notifyDesk).
  useEffect(() => desktopApi()?.onOpenTicket?.((id) => navigate({ name: 'ticket', id })), []);

  // Session check on start; any 401 later means the session is gone.
  useEffect(() => {
    api.onUnauthorized = () => setAuth({ phase: 'anonymous', notice: 'login.sessionExpired' });
    api
      .me()
      .then((m) => setAuth({ phase: 'signed-in', me: m }))
      .catch(() => setAuth({ phase: 'anonymous', notice: null }));
  }, [api]);

  useLiveFeed(me, feed, state, localeRef, setFeedState);

  // The queue and the fleet follow the URL; the fleet is loaded only when it is looked at. A layout
  // effect: the first page is asked for right after this render, not a painted frame later.
  useLayoutEffect(() => {
    if (me && route.name === 'queue') state.setFilter(route.filter);
    if (me && route.name === 'fleet') state.setFleetFilter(route.filter);
  }, [me?.username, route]);

  const logout = async () => {
    try {
      await api.logout();
    } catch {
      // signed out locally either way
    }
    setAuth({ phase: 'anonymous', notice: null });
  };

  const enableNotifications = async () => {
    if (!notificationsAvailable()) return;
    setNotifyPermission(await Notification.requestPermission());
  };

  return (
    <I18nContext.Provider value={i18n}>
      {auth.phase === 'checking' ? (
        <div class="boot" aria-busy="true" />
      ) : auth.phase === 'anonymous' ? (
        <LoginScreen api={api} notice={auth.notice} onLogin={(m) => setAuth({ phase: 'signed-in', me: m })} />
      ) : (
        <div class="shell">
          <Header
            me={auth.me}
            route={route}
            feedState={feedState}
            canEnableNotifications={!desktopApi() && notifyPermission === 'default'}
            onEnableNotifications={() => void enableNotifications()}
            onLocale={setLocale}
            onLogout={() => void logout()}
          />
          <RouteScreen route={route} api={api} feed={feed} state={state} me={auth.me} />
        </div>
      )}
    </I18nContext.Provider>
  );
}

interface RouteScreenProps {
  route: Route;
  api: ApiClient;
  feed: FeedClient;
  state: ConsoleState;
  me: Me;
}

/** The screen the URL names, under the header. */
function RouteScreen({ route, api, feed, state, me }: RouteScreenProps) {
  return route.name === 'ticket' ? (
    <TicketScreen key={route.id} id={route.id} api={api} feed={feed} state={state} me={me} />
  ) : route.name === 'register' ? (
    <RegisterScreen key={route.agentId} agentId={route.agentId} api={api} feed={feed} me={me} />
  ) : route.name === 'references' ? (
    <ReferencesScreen id={route.id} api={api} me={me} onNavigate={(id) => navigate({ name: 'references', id })} />
  ) : route.name === 'replacements' ? (
    <ReplacementsScreen api={api} storeId={route.storeId} onStore={(storeId) => navigate({ name: 'replacements', storeId })} />
  ) : route.name === 'kb' ? (
    <KbScreen route={route} api={api} me={me} onNavigate={navigate} />
  ) : route.name === 'kpi' ? (
    <KpiScreen filter={route.filter} api={api} onFilter={(filter) => navigate({ name: 'kpi', filter })} />
  ) : route.name === 'audit' ? (
    <AuditScreen filter={route.filter} api={api} onFilter={(filter) => navigate({ name: 'audit', filter })} />
  ) : route.name === 'service' ? (
    <ServiceDeskScreen section={route.section} api={api} me={me} />
  ) : route.name === 'fleet' ? (
    <FleetScreen
      state={state}
      api={api}
      onFilter={(filter) => {
        state.setFleetFilter(filter);
        navigate({ name: 'fleet', filter });
      }}
    />
  ) : (
    <QueueScreen
      state={state}
      api={api}
      me={me}
      onFilter={(filter) => {
        // Straight to the state, so the list redraws in this task; the URL follows (its
        // hashchange arrives a task later and finds the same filter).
        state.setFilter(filter);
        navigate({ name: 'queue', filter });
      }}
      onOpen={(id) => navigate({ name: 'ticket', id })}
    />
  );
}

/** A new P1, an escalation or an SLA about to breach: a native notification in the desktop app, a browser notification otherwise. */
function notifyDesk(alert: DeskAlert, locale: Locale): void {
  const { title, body } = alertText(alert, makeI18n(locale));
  const desktop = desktopApi();
  if (desktop) {
    void desktop.notify(title, body, alert.ticket.id).catch(() => undefined);
    return;
  }
  if (!notificationsAvailable() || Notification.permission !== 'granted') return;
  const n = new Notification(title, { body, tag: `ticket-${alert.ticket.id}-${alert.kind}` });
  n.onclick = () => {
    window.focus();
    navigate({ name: 'ticket', id: alert.ticket.id });
  };
}

function safeStorage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}
