import { z } from 'zod';

/** Windows event levels (System/Level): 1 critical, 2 error, 3 warning, 4 information, 0 "log always", 5 verbose. */
const Level = z.number().int().min(0).max(5);

export const WindowsLog = z.strictObject({
  /** the channel as Get-WinEvent -ListLog names it */
  name: z.string().trim().min(1).max(120),
  /** which levels to read (Get-WinEvent -FilterHashtable Level) */
  levels: z.array(Level).min(1).max(6),
});
export type WindowsLog = z.output<typeof WindowsLog>;

export const JournalUnit = z.strictObject({
  /** the systemd unit (journalctl -u) */
  unit: z.string().regex(/^[A-Za-z0-9:_.@-]{1,120}$/, 'must be a systemd unit name such as "cups.service"'),
  /** the least urgent priority read (journalctl -p): 3 err, 4 warning, 6 info */
  maxPriority: z.number().int().min(0).max(7),
});
export type JournalUnit = z.output<typeof JournalUnit>;

/**
 * `host.probes.host-events` in the agent config. The print service's logs are read at every level
 * that matters (its Admin channel holds errors and warnings only), the Application log at errors
 * and worse (it is busy); the Operational channel is off by default on Windows (devices.md §6): an
 * empty answer from it is not an error.
 */
export const HostEventsOptions = z.strictObject({
  /** entries read per log, newest first; the section keeps the newest 50 of all */
  maxEntriesPerLog: z.number().int().min(1).max(50).default(10),
  windowsLogs: z
    .array(WindowsLog)
    .max(8)
    .default([
      { name: 'Microsoft-Windows-PrintService/Admin', levels: [1, 2, 3, 4] },
      { name: 'Microsoft-Windows-PrintService/Operational', levels: [1, 2, 3] },
      { name: 'Application', levels: [1, 2] },
    ]),
  linuxUnits: z.array(JournalUnit).max(8).default([{ unit: 'cups.service', maxPriority: 6 }]),
  /** one tool run (PowerShell starts slowly on a busy register); three runs must fit the host loop's 60 s deadline */
  toolTimeoutMs: z.number().int().min(1_000).max(120_000).default(15_000),
});
export type HostEventsOptions = z.output<typeof HostEventsOptions>;
