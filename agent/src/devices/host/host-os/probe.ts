// host-os: the OS and the machine (systeminformation), the Windows build and reboot flags
// (PowerShell), Linux's reboot flag, volumes, memory and the agent's runtime → one report.
import type { DeviceReport, OsSection } from '@tillscope/shared';
import { POWERSHELL } from '../../common/host-powershell';
import { startHostProbeRun, type HostProbeRun } from '../../common/host-report';
import type { HostProbeContext } from '../../host-probe';
import { diagnoseOs } from './diagnosis';
import type { HostOsOptions } from './options';
import { parseWindowsOsFacts, POWERSHELL_ARGS, REBOOT_NOTIFIER, REBOOT_REQUIRED_FILE, volumesOf, type WindowsOsFacts } from './protocol';

type Ctx = HostProbeContext<HostOsOptions, undefined>;

const why = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** A systeminformation call, or null with the fact noted as unchecked. */
async function fact<T>(run: HostProbeRun, name: string, get: () => Promise<T>): Promise<T | null> {
  try {
    return await get();
  } catch (error) {
    run.unchecked(name, `systeminformation: ${why(error)}`);
    return null;
  }
}

export async function probeHostOs(ctx: Ctx): Promise<DeviceReport> {
  const run = startHostProbeRun(ctx);
  const { os, options } = ctx;
  const info = await fact(run, 'os', () => os.system.osInfo());
  const machine = await fact(run, 'machine', () => os.system.system());
  const time = await fact(run, 'uptime', () => os.system.time());
  const mem = await fact(run, 'memory', () => os.system.mem());
  const disks = await fact(run, 'volumes', () => os.system.fsSize());
  const windows = os.platform === 'win32' ? await windowsFacts(ctx, run) : null;
  const pendingReboot = !options.checkPendingReboot ? null : os.platform === 'win32' ? (windows?.pendingReboot ?? null) : await linuxPendingReboot(ctx, run);
  const volumes = disks === null ? null : volumesOf(disks, os.platform, os.env('SystemDrive') ?? 'C:', options.ignoreMounts);
  const now = ctx.now();
  const uptimeSec = time ? Math.max(0, time.uptime) : 0;
  const section: OsSection = {
    section: 'os',
    platform: os.platform.slice(0, 32),
    name: (info?.distro ?? '').slice(0, 128),
    version: (info?.release ?? '').slice(0, 64),
    ...buildOf(info, windows),
    arch: (info?.arch ?? '').slice(0, 32),
    hostname: (info?.hostname ?? '').slice(0, 128),
    ...(machine && (machine.manufacturer || machine.model) ? { machine: { manufacturer: machine.manufacturer.slice(0, 128), model: machine.model.slice(0, 128) } } : {}),
    uptimeSec,
    ...(time ? { lastBootAt: new Date(Math.floor((now.getTime() - uptimeSec * 1000) / 1000) * 1000).toISOString() } : {}),
    pendingReboot,
    memory: { totalBytes: Math.max(0, Math.round(mem?.total ?? 0)), availableBytes: Math.max(0, Math.round(mem?.available ?? 0)) },
    volumes: volumes ?? [],
    runtime: { node: process.version.slice(0, 32), agent: ctx.host.agentVersion.slice(0, 32) },
    unchecked: [],
  };
  const { findings, checked } = diagnoseOs({ volumes, pendingReboot }, options);
  return run.report({ id: 'host-os', section, findings, checked });
}

/** Windows: the build with its update revision; elsewhere the kernel release. */
function buildOf(info: { build: string; kernel: string } | null, windows: WindowsOsFacts | null): { build?: string } {
  const build = windows?.build ?? (info ? info.build || info.kernel : '');
  return build ? { build: build.slice(0, 64) } : {};
}

async function windowsFacts(ctx: Ctx, run: HostProbeRun): Promise<WindowsOsFacts | null> {
  const result = await run.tool(POWERSHELL, POWERSHELL_ARGS, { timeoutMs: ctx.options.toolTimeoutMs });
  if (result.kind !== 'ok') {
    run.toolFailed('os.build', POWERSHELL, result);
    return null;
  }
  const parsed = parseWindowsOsFacts(result.stdout);
  if (!parsed.ok) {
    run.unchecked('os.build', parsed.reason);
    return null;
  }
  return parsed.facts;
}

/**
 * Debian/Ubuntu: the flag file update-notifier writes; RHEL family: `needs-restarting -r` (exit 1:
 * a reboot is needed, 0: not) [S]. Neither: null, noted as unchecked.
 */
async function linuxPendingReboot(ctx: Ctx, run: HostProbeRun): Promise<boolean | null> {
  if (await ctx.os.exists(REBOOT_REQUIRED_FILE)) return true;
  if (await ctx.os.exists(REBOOT_NOTIFIER)) return false;
  const result = await run.tool('needs-restarting', ['-r'], { timeoutMs: ctx.options.toolTimeoutMs, env: { LC_ALL: 'C' } });
  if (result.kind === 'ok') return false;
  if (result.kind === 'exit' && result.exitCode === 1) return true;
  run.unchecked('pendingReboot', result.kind === 'missing' ? 'neither update-notifier (Debian/Ubuntu) nor needs-restarting (RHEL) is installed' : `needs-restarting -r: ${result.kind === 'exit' ? `exit ${result.exitCode}` : result.kind}`);
  return null;
}
