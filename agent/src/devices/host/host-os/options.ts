import { z } from 'zod';

/**
 * `host.probes.host-os` in the agent config. The thresholds are ours [I]: a till's POS database
 * and logs grow by megabytes a day, so a couple of GiB is days of room, not weeks.
 */
export const HostOsOptions = z.strictObject({
  /** a volume with less free space than this is nearly full */
  minFreeBytes: z.number().int().min(0).default(2 * 1024 ** 3),
  /** ... or with less than this share of it free, in percent */
  minFreePercent: z.number().min(0).max(100).default(5),
  /** mounts or drive letters that are not the register's disks ("/boot/efi", "E:"): not reported */
  ignoreMounts: z.array(z.string().min(1).max(200)).max(32).default([]),
  /**
   * Whether to look for a pending reboot. On Linux only Debian/Ubuntu's update-notifier flag file
   * and RHEL's `needs-restarting -r` tell it; elsewhere it is a "could not check" unless turned off.
   */
  checkPendingReboot: z.boolean().default(true),
  /** how long PowerShell or needs-restarting may take (ms) */
  toolTimeoutMs: z.number().int().min(1000).max(120_000).default(20_000),
});
export type HostOsOptions = z.infer<typeof HostOsOptions>;
