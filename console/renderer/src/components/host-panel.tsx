import type { HostSectionName, RegisterHost } from '@tillscope/shared';
import { useEffect, useState } from 'preact/hooks';
import type { ApiClient } from '../api/client';
import type { FeedClient } from '../api/feed';
import { HostSectionFrame } from './host-common';
import { ClockFacts, OsFacts, PrintFacts } from './host-machine';
import { EventFacts, PeripheralFacts, PosFacts } from './host-software';

/** The sections in the order the panel shows them: the OS first, the logs last. */
const SECTIONS: readonly HostSectionName[] = ['os', 'clock', 'print', 'peripherals', 'pos', 'events'];

/**
 * The register computer (GET /api/registers/:agentId/host): OS and machine, clock, print service and
 * drivers, peripherals, POS software and fiscal stack, recent OS errors. Each section says when it
 * was reported and lists what its probe could not check; a section never reported says so.
 */
export function HostPanel({ host }: { host: RegisterHost }) {
  return (
    <div class="host-panel" data-testid="host-panel">
      {SECTIONS.map((name) => (
        <HostSectionView key={name} host={host} name={name} />
      ))}
    </div>
  );
}

/** One section of the register's host facts (a host ticket shows the one its probe reported). */
export function HostSectionView({ host, name }: { host: RegisterHost; name: HostSectionName }) {
  switch (name) {
    case 'os':
      return <HostSectionFrame name="os" seen={host.os}>{(os) => <OsFacts os={os} />}</HostSectionFrame>;
    case 'clock':
      return <HostSectionFrame name="clock" seen={host.clock}>{(clock) => <ClockFacts clock={clock} />}</HostSectionFrame>;
    case 'print':
      return <HostSectionFrame name="print" seen={host.print}>{(print) => <PrintFacts print={print} />}</HostSectionFrame>;
    case 'peripherals':
      return <HostSectionFrame name="peripherals" seen={host.peripherals}>{(peripherals) => <PeripheralFacts peripherals={peripherals} />}</HostSectionFrame>;
    case 'pos':
      return <HostSectionFrame name="pos" seen={host.pos}>{(pos) => <PosFacts pos={pos} />}</HostSectionFrame>;
    case 'events':
      return <HostSectionFrame name="events" seen={host.events}>{(events) => <EventFacts events={events} />}</HostSectionFrame>;
  }
}

export interface LoadedHost {
  host: RegisterHost | null;
  error: unknown;
  reload: () => void;
}

/**
 * A register's host facts and drift, loaded for `agentId` (nothing while it is undefined) and again
 * when the feed says the register changed or the feed reconnects. A failed reload keeps what is shown.
 */
export function useRegisterHost(api: ApiClient, feed: FeedClient, agentId: string | undefined): LoadedHost {
  const [host, setHost] = useState<RegisterHost | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    // Another register: forget the last one's facts; a reload of the same one keeps them shown.
    setHost((current) => (current && current.agentId === agentId ? current : null));
    setError(null);
    if (!agentId) return;
    let live = true;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const load = () =>
      api.registerHost(agentId).then(
        (answer) => {
          if (!live) return;
          setHost(answer);
          setError(null);
        },
        (failure: unknown) => live && setError(failure),
      );
    // Health updates come in bursts (one per probe); one reload per burst.
    const soon = () => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => void load(), 500);
    };
    void load();
    const offMessage = feed.onMessage((m) => {
      if (m.type === 'register' && m.payload.agentId === agentId) soon();
    });
    const offReconnect = feed.onReconnect(soon);
    return () => {
      live = false;
      if (timer) clearTimeout(timer);
      offMessage();
      offReconnect();
    };
  }, [api, feed, agentId, attempt]);
  return { host, error, reload: () => setAttempt((n) => n + 1) };
}
