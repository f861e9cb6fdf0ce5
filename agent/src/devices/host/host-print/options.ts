import { z } from 'zod';
import { POWERSHELL } from '../../common/host-powershell';

/**
 * `host.probes["host-print"]` in the agent config. Every field has a default; the tools' paths are
 * options because a register may keep them elsewhere (and the demo points them at simulators).
 */
export const HostPrintOptions = z.strictObject({
  /** `auto`: the Windows spooler on Windows, CUPS elsewhere */
  system: z.enum(['auto', 'cups', 'windows']).default('auto'),
  /** a job waiting longer than this (by its submit time, or since the agent first saw it) makes the queue stuck */
  stuckAfterSec: z.number().int().min(30).max(7 * 24 * 3600).default(300),
  /** this many unexpected restarts of the print service within `crashWindowHours` make it "crashing" */
  crashRestarts: z.number().int().min(1).max(1000).default(3),
  crashWindowHours: z.number().int().min(1).max(24 * 30).default(24),
  /** how long a "driver changed" finding stands after the agent saw the new version */
  driverChangedHoldHours: z.number().int().min(1).max(24 * 30).default(24),
  /** per tool run; undefined: 5 s for lpstat and systemctl, 25 s for powershell.exe (its start alone takes seconds on a busy till) */
  timeoutMs: z.number().int().min(500).max(120_000).optional(),
  lpstat: z.string().min(1).default('lpstat'),
  systemctl: z.string().min(1).default('systemctl'),
  /** the systemd unit of the CUPS scheduler */
  cupsUnit: z.string().min(1).default('cups.service'),
  /** where CUPS keeps each queue's PPD (`<ServerRoot>/ppd/<queue>.ppd`) */
  ppdDir: z.string().min(1).default('/etc/cups/ppd'),
  powershell: z.string().min(1).default(POWERSHELL),
  /** the Windows print service's name */
  windowsService: z.string().min(1).default('Spooler'),
});
export type HostPrintOptions = z.output<typeof HostPrintOptions>;

export const LINUX_TOOL_TIMEOUT_MS = 5_000;
/** two PowerShell runs must fit the host loop's 60 s deadline */
export const WINDOWS_TOOL_TIMEOUT_MS = 25_000;
