// host-clock: is the OS clock kept in sync, and how far off is it? Linux: timedatectl show (and
// chronyc -c tracking where chrony runs, for the offset); Windows: w32tm /query /status /verbose.
import type { ClockSection, DeviceReport } from '@tillscope/shared';
import { startHostProbeRun, type HostProbeRun } from '../../common/host-report';
import type { HostProbeContext } from '../../host-probe';
import { diagnoseClock, type ClockObservation } from './diagnosis';
import type { HostClockOptions } from './options';
import { CHRONYC_ARGS, parseChronyTracking, parseTimedatectlShow, parseW32tmStatus, TIMEDATECTL_ARGS, W32TM_ARGS, W32TM_SERVICE_NOT_STARTED } from './protocol';

type Ctx = HostProbeContext<HostClockOptions, undefined>;

interface Read extends ClockObservation {
  tool: string;
  lastSyncAt?: string;
  timezone?: string;
}

export async function probeHostClock(ctx: Ctx): Promise<DeviceReport> {
  const run = startHostProbeRun(ctx);
  const read = ctx.os.platform === 'win32' ? await readWindows(ctx, run) : await readLinux(ctx, run);
  const section: ClockSection = {
    section: 'clock',
    synced: read.synced,
    offsetMs: read.offsetMs,
    source: read.source,
    ...(read.lastSyncAt ? { lastSyncAt: read.lastSyncAt } : {}),
    ...(read.timezone ? { timezone: read.timezone } : {}),
    tool: read.tool,
    unchecked: [],
  };
  const { findings, checked } = diagnoseClock(read, ctx.options, ctx.host.fiscalAttached);
  return run.report({ id: 'host-clock', section, findings, checked });
}

async function readLinux(ctx: Ctx, run: HostProbeRun): Promise<Read> {
  const read: Read = { synced: null, notSyncedBecause: [], offsetMs: null, source: null, tool: 'timedatectl' };
  const options = { timeoutMs: ctx.options.toolTimeoutMs, env: { LC_ALL: 'C' } };
  const shown = await run.tool('timedatectl', TIMEDATECTL_ARGS, options);
  if (shown.kind !== 'ok') run.toolFailed('clock.synced', 'timedatectl', shown);
  else {
    const parsed = parseTimedatectlShow(shown.stdout);
    if (!parsed.ok) run.unchecked('clock.synced', parsed.reason);
    else {
      read.synced = parsed.value.synced;
      if (!parsed.value.synced) read.notSyncedBecause.push('timedatectl: NTPSynchronized=no');
      if (parsed.value.ntpEnabled === false) read.notSyncedBecause.push('no time sync service is enabled (NTP=no)');
      if (parsed.value.timezone) read.timezone = parsed.value.timezone;
    }
  }
  // The offset only where chrony runs: timesyncd does not tell it. Its absence is not a failure.
  const tracking = await run.tool('chronyc', CHRONYC_ARGS, options);
  if (tracking.kind === 'ok') {
    const parsed = parseChronyTracking(tracking.stdout);
    if (!parsed.ok) run.unchecked('clock.offset', parsed.reason);
    else {
      read.offsetMs = parsed.value.offsetMs;
      read.source = parsed.value.source || null;
      read.tool = 'timedatectl, chronyc';
    }
  }
  return read;
}

async function readWindows(ctx: Ctx, run: HostProbeRun): Promise<Read> {
  const { options } = ctx;
  const read: Read = { synced: null, notSyncedBecause: [], offsetMs: null, source: null, tool: 'w32tm' };
  const result = await run.tool('w32tm', W32TM_ARGS, { timeoutMs: options.toolTimeoutMs });
  if (result.kind === 'exit' && `${result.stdout}${result.stderr}`.includes(W32TM_SERVICE_NOT_STARTED)) {
    read.synced = false;
    read.notSyncedBecause.push(`the Windows Time service is not running (w32tm: ${W32TM_SERVICE_NOT_STARTED})`);
  } else if (result.kind !== 'ok') run.toolFailed('clock.synced', 'w32tm', result);
  else {
    const parsed = parseW32tmStatus(result.stdout, options.w32tmLabels);
    if (!parsed.ok) run.unchecked('clock.synced', parsed.reason);
    else {
      const status = parsed.value;
      const local = status.source !== null && options.localClockSources.some((s) => s.toLowerCase() === status.source!.toLowerCase());
      read.source = status.source;
      if (local) read.notSyncedBecause.push(`the time source is the machine's own clock (${status.source})`);
      if (status.leapIndicator === 3) read.notSyncedBecause.push('w32tm leap indicator 3: not synchronised');
      if (status.everSynced === false) read.notSyncedBecause.push('never synchronised since the time service started');
      if (status.sinceLastSyncSec !== null) {
        read.lastSyncAt = new Date(ctx.now().getTime() - status.sinceLastSyncSec * 1000).toISOString();
        const hours = status.sinceLastSyncSec / 3600;
        if (hours > options.maxSyncAgeHours) read.notSyncedBecause.push(`last good sync ${Math.round(hours)} h ago (more than ${options.maxSyncAgeHours} h)`);
      }
      if (read.notSyncedBecause.length > 0) read.synced = false;
      else if (status.source !== null) read.synced = true;
      else run.unchecked('clock.synced', 'w32tm named no time source');
      // A phase offset against the machine's own clock says nothing.
      if (!local) read.offsetMs = status.offsetMs;
    }
  }
  try {
    const zone = (await ctx.os.system.time()).timezone.slice(0, 64);
    if (zone) read.timezone = zone;
  } catch {
    // the zone is a nicety here; the clock facts stand without it
  }
  return read;
}
