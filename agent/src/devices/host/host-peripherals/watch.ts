// USB hot-plug for the peripherals probe: an attach or detach makes the probe look again (after
// the OS has settled) and report at once, with the events marked 'hotplug'. Where hot-plug cannot
// start, the diff at each scheduled probe still sees every change, only later.
import { errorText } from '../../../logger';
import type { UsbHotplug, Unsubscribe } from '../../../transports/usb/usb-hotplug';
import type { HostWatch, HostWatchContext } from '../../host-probe';
import type { PeripheralsMemory } from './inventory';
import type { PeripheralsOptions } from './options';
import { probePeripherals } from './probe';

const MODULE = 'host-peripherals';
const SUBSCRIBE_WAIT_MS = 2_000;

export function watchPeripherals(ctx: HostWatchContext<PeripheralsOptions, PeripheralsMemory>, hotplug: UsbHotplug): HostWatch | undefined {
  if (!ctx.options.hotplug || (ctx.os.platform !== 'linux' && ctx.os.platform !== 'win32')) return undefined;
  const controller = new AbortController();
  let stopped = false;
  let settle: NodeJS.Timeout | undefined;
  let unsubscribe: Unsubscribe | undefined;
  let looking: Promise<void> = Promise.resolve();

  const look = () => {
    settle = undefined;
    const before = ctx.memory.events.length === 0 ? undefined : ctx.memory.events[ctx.memory.events.length - 1];
    const signal = AbortSignal.any([controller.signal, AbortSignal.timeout(ctx.options.timeoutMs + 5_000)]);
    looking = probePeripherals({ ...ctx, signal }, 'hotplug').then(
      (report) => {
        // Only a look that found a change is worth a report now; the next scheduled probe carries the rest.
        const events = report.host?.section === 'peripherals' ? report.host.events : [];
        if (!stopped && events.length > 0 && events[events.length - 1] !== before) ctx.onReport(report);
      },
      (error: unknown) => ctx.logger.warn(MODULE, `hot-plug look failed: ${errorText(error)}`),
    );
  };
  const onChange = () => {
    // The first change opens a settle window; changes inside it are seen by the same look.
    if (!stopped && settle === undefined) settle = setTimeout(look, ctx.options.hotplugSettleMs);
  };
  const subscribed = hotplug.subscribe(onChange).then(
    (stop) => {
      if (stopped) return stop();
      unsubscribe = stop;
      ctx.logger.info(MODULE, 'watching USB hot-plug');
    },
    (error: unknown) => ctx.logger.warn(MODULE, `USB hot-plug unavailable (${errorText(error)}); attach and detach are seen at each probe`),
  );

  return {
    async stop() {
      stopped = true;
      clearTimeout(settle);
      controller.abort();
      // A native subscribe that never settles must not hold the agent's stop; if it settles
      // later, the `stopped` check above unsubscribes at once.
      await Promise.race([subscribed, new Promise((resolve) => setTimeout(resolve, SUBSCRIBE_WAIT_MS).unref())]);
      await unsubscribe?.();
      await looking;
    },
  };
}
