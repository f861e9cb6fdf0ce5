import type { ComponentType, FunctionComponent } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { useI18n } from '../i18n/locale';
import { ErrorBanner } from './common';

// Screens that bring a heavy library load on first use, as chunks of their own: the KPI page
// (Chart.js), the knowledge base (marked, DOMPurify), the audit log and the service settings. The
// queue, which every engineer opens first, then does not wait for code it does not use.

/**
 * A component whose code is fetched the first time it is shown, then kept. While it loads, a
 * "Загрузка…" line; if the fetch fails (the console was updated and the old chunk is gone, the
 * network dropped), an error with a retry instead of an empty page.
 */
export function lazyScreen<P extends object>(load: () => Promise<ComponentType<P>>): FunctionComponent<P> {
  let loaded: ComponentType<P> | null = null;
  let pending: Promise<ComponentType<P>> | null = null;
  const fetchOnce = () => {
    pending ??= load().catch((error: unknown) => {
      pending = null; // the next try fetches again
      throw error;
    });
    return pending;
  };
  return function LazyScreen(props: P) {
    const { t } = useI18n();
    const [screen, setScreen] = useState<{ component: ComponentType<P> } | null>(loaded ? { component: loaded } : null);
    const [error, setError] = useState<unknown>(null);
    const [attempt, setAttempt] = useState(0);
    useEffect(() => {
      if (screen) return undefined;
      let live = true;
      fetchOnce().then(
        (component) => {
          loaded = component;
          if (live) setScreen({ component });
        },
        (failure: unknown) => {
          if (live) setError(failure);
        },
      );
      return () => {
        live = false;
      };
    }, [attempt]);
    if (screen) {
      const Screen = screen.component;
      return <Screen {...props} />;
    }
    if (error) {
      return <ErrorBanner error={error} testid="lazy-screen-error" onRetry={() => {
        setError(null);
        setAttempt((count) => count + 1);
      }} />;
    }
    return <p class="muted pad" aria-busy="true">{t('app.loading')}</p>;
  };
}
