import { z } from 'zod';

/**
 * The register itself (issue 10): what the agent's host probes learn about the OS, its clock, the
 * print services, peripherals, the POS application and fiscal driver stack, and recent OS errors.
 *
 * Each host probe reports like a device does (a DeviceReport with kind 'host' and its own
 * `driver`, one of HOST_PROBE_IDS), and puts its facts in `DeviceReport.host`: one section per
 * probe. The console merges the sections into the register's host state, compares it with the
 * register's reference image (эталон) and draws it on the register page.
 *
 * All text here comes from the register's OS and tools: untrusted, bounded, escaped on display.
 * Facts a probe could not read are listed in the section's `unchecked`, never guessed: a missing
 * tool, a tool that hung, output in a form the parser does not know.
 */

const osText = (max: number) => z.string().max(max);
const Bytes = z.number().int().nonnegative();
/** A USB vendor or product id as four lower-case hex digits ("04b8"). */
export const UsbId = z.string().regex(/^[0-9a-f]{4}$/, 'four lower-case hex digits');

/** One fact a probe could not read, and why, in plain English ("timedatectl: not installed"). */
export const UncheckedFact = z.object({
  /** what was to be read: "clock.synced", "services.Spooler", "usb" */
  fact: osText(64),
  reason: osText(300),
});
export type UncheckedFact = z.infer<typeof UncheckedFact>;
const unchecked = z.array(UncheckedFact).max(32).default([]);

export const VolumeRole = z.enum(['system', 'data']);
export const Volume = z.object({
  /** "/" or "C:" */
  mount: osText(200),
  role: VolumeRole,
  fsType: osText(32).optional(),
  sizeBytes: Bytes,
  freeBytes: Bytes,
});
export type Volume = z.infer<typeof Volume>;

/** host-os: the OS and the machine. */
export const OsSection = z.object({
  section: z.literal('os'),
  /** node's platform: "linux", "win32" */
  platform: osText(32),
  /** "Ubuntu 22.04.4 LTS", "Microsoft Windows 10 Pro" */
  name: osText(128),
  /** "22.04", "10.0.19045" */
  version: osText(64),
  /** Windows build with revision ("19045.4291"); on Linux the kernel release */
  build: osText(64).optional(),
  arch: osText(32),
  hostname: osText(128),
  /** the machine as its firmware names it (systeminformation `system()`): the register model references key on */
  machine: z.object({ manufacturer: osText(128), model: osText(128) }).optional(),
  uptimeSec: z.number().nonnegative(),
  lastBootAt: z.iso.datetime().optional(),
  /** a reboot the OS waits for (Windows update or component servicing; /var/run/reboot-required); null: could not tell */
  pendingReboot: z.boolean().nullable(),
  memory: z.object({ totalBytes: Bytes, availableBytes: Bytes }),
  volumes: z.array(Volume).max(16),
  /** the agent's own runtime: Node.js and agent versions */
  runtime: z.object({ node: osText(32), agent: osText(32) }),
  unchecked,
});
export type OsSection = z.infer<typeof OsSection>;

/** host-clock: NTP sync (timedatectl, w32tm). A drifting clock makes fiscal documents fail. */
export const ClockSection = z.object({
  section: z.literal('clock'),
  /** whether the OS says the clock is synchronised; null: could not tell */
  synced: z.boolean().nullable(),
  /** the last measured offset from the time source, when the tool gives one (w32tm Phase Offset) */
  offsetMs: z.number().nullable(),
  /** the time source ("ntp.example.ru", "Local CMOS Clock"); null when unknown */
  source: osText(200).nullable(),
  lastSyncAt: z.iso.datetime().optional(),
  timezone: osText(64).optional(),
  /** the tool the facts came from ("timedatectl", "w32tm") */
  tool: osText(64),
  unchecked,
});
export type ClockSection = z.infer<typeof ClockSection>;

export const ServiceState = z.enum(['running', 'stopped', 'starting', 'stopping', 'crashing', 'unknown']);
export type ServiceState = z.infer<typeof ServiceState>;
export const ServiceStartMode = z.enum(['auto', 'manual', 'disabled', 'unknown']);
export type ServiceStartMode = z.infer<typeof ServiceStartMode>;

/** A Windows service or systemd unit. `crashing`: it restarts again and again (systemd NRestarts, a failed unit). */
export const ServiceFacts = z.object({
  /** "Spooler", "cups.service" */
  name: osText(128),
  displayName: osText(200).optional(),
  state: ServiceState,
  startMode: ServiceStartMode,
  restarts: z.number().int().nonnegative().optional(),
});
export type ServiceFacts = z.infer<typeof ServiceFacts>;

/** A printer driver the OS has installed (Get-PrinterDriver; a CUPS queue's PPD). */
export const PrinterDriverFacts = z.object({
  name: osText(200),
  /** "3.0.0.0", or the PPD's FileVersion; absent when the OS does not say */
  version: osText(64).optional(),
  manufacturer: osText(128).optional(),
  /** the queues that use it */
  queues: z.array(osText(200)).max(16).default([]),
});
export type PrinterDriverFacts = z.infer<typeof PrinterDriverFacts>;

/** A print queue the OS has, as the host sees it (every queue, configured or not). */
export const HostPrintQueue = z.object({
  name: osText(200),
  driver: osText(200).optional(),
  port: osText(200).optional(),
  paused: z.boolean(),
  offline: z.boolean(),
  jobCount: z.number().int().nonnegative(),
  /** the oldest waiting job's submit time: a job waiting long is a stuck queue */
  oldestJobAt: z.iso.datetime().optional(),
});
export type HostPrintQueue = z.infer<typeof HostPrintQueue>;

/** host-print: the print service (Spooler, CUPS), its printer drivers and queues. */
export const PrintSection = z.object({
  section: z.literal('print'),
  /** "windows-spooler" or "cups" */
  system: z.enum(['windows-spooler', 'cups']),
  services: z.array(ServiceFacts).max(8),
  drivers: z.array(PrinterDriverFacts).max(64),
  queues: z.array(HostPrintQueue).max(64).default([]),
  unchecked,
});
export type PrintSection = z.infer<typeof PrintSection>;

/** What a known USB id or interface class makes of a peripheral (devices.md §6). */
export const PeripheralKind = z.enum(['receipt-printer', 'fiscal', 'usb-serial', 'cdc-acm', 'printer-class', 'other']);
export type PeripheralKind = z.infer<typeof PeripheralKind>;

export const UsbDeviceFacts = z.object({
  /** stable within the machine: "<vid>:<pid>:<serial>" or "<vid>:<pid>@<bus port path>" */
  key: osText(200),
  vendorId: UsbId,
  productId: UsbId,
  manufacturer: osText(200).optional(),
  product: osText(200).optional(),
  serial: osText(128).optional(),
  /** bInterfaceClass of each interface (07 printer, 02/0a CDC, ff vendor) */
  interfaceClasses: z.array(z.number().int().min(0).max(255)).max(16),
  kind: PeripheralKind,
  /** the name the known-devices table gives ("Epson TM-T20II"), when the id is in it */
  knownAs: osText(120).optional(),
  /** the node the OS made of it: "/dev/usb/lp0", "/dev/ttyACM0", "COM5" */
  devicePath: osText(200).optional(),
});
export type UsbDeviceFacts = z.infer<typeof UsbDeviceFacts>;

export const SerialPortFacts = z.object({
  /** "/dev/ttyUSB0", "COM3" */
  path: osText(200),
  /** the /dev/serial/by-id name that points at it (Linux) */
  byId: osText(300).optional(),
  vendorId: UsbId.optional(),
  productId: UsbId.optional(),
  manufacturer: osText(200).optional(),
  kind: PeripheralKind,
  knownAs: osText(120).optional(),
});
export type SerialPortFacts = z.infer<typeof SerialPortFacts>;

/** A peripheral appeared or went away: from USB hot-plug where the platform has it, else from the diff between probes. */
export const PeripheralEvent = z.object({
  at: z.iso.datetime(),
  action: z.enum(['attached', 'detached']),
  /** a UsbDeviceFacts key or a serial port path */
  key: osText(200),
  /** what a person reads: "Epson TM-T20II (04b8:0e15)", "/dev/ttyUSB0" */
  name: osText(200),
  kind: PeripheralKind,
  /** how it was seen: the platform's hot-plug event, or the difference between two probes */
  via: z.enum(['hotplug', 'diff']),
});
export type PeripheralEvent = z.infer<typeof PeripheralEvent>;

/** host-peripherals: USB devices, serial ports and what came and went since the last report. */
export const PeripheralsSection = z.object({
  section: z.literal('peripherals'),
  usb: z.array(UsbDeviceFacts).max(64),
  serial: z.array(SerialPortFacts).max(64),
  /** newest last; at most the last 32 */
  events: z.array(PeripheralEvent).max(32).default([]),
  unchecked,
});
export type PeripheralsSection = z.infer<typeof PeripheralsSection>;

export const PosAppId = z.enum(['1c', 'frontol', 'set-retail', 'ukm', 'artix']);
export type PosAppId = z.infer<typeof PosAppId>;
export const FiscalStackId = z.enum(['atol-driver-10', 'atol-web-server', 'shtrih-driver']);
export type FiscalStackId = z.infer<typeof FiscalStackId>;

/** Where a software fact came from, for the engineer: "process frontol.exe", "registry Uninstall\\…", "dpkg". */
const SoftwareSource = osText(300);

export const PosAppFacts = z.object({
  id: PosAppId,
  /** the product name as installed ("Frontol 6", "1С:Предприятие 8.3") */
  name: osText(200),
  version: osText(64).optional(),
  installed: z.boolean(),
  /** null: could not tell (no process list) */
  running: z.boolean().nullable(),
  source: SoftwareSource,
});
export type PosAppFacts = z.infer<typeof PosAppFacts>;

export const FiscalStackFacts = z.object({
  id: FiscalStackId,
  name: osText(200),
  version: osText(64).optional(),
  installed: z.boolean(),
  running: z.boolean().nullable(),
  source: SoftwareSource,
});
export type FiscalStackFacts = z.infer<typeof FiscalStackFacts>;

/** A configuration file the agent's config names, hashed so that the reference can hold what it should be. */
export const ConfigFileFacts = z.object({
  /** the name the config gives it ("frontol.ini") */
  name: osText(64),
  path: osText(300),
  /** lower-case hex SHA-256 of the content; null when it could not be read (see `error`) */
  sha256: z.string().regex(/^[0-9a-f]{64}$/).nullable(),
  sizeBytes: Bytes.optional(),
  modifiedAt: z.iso.datetime().optional(),
  /** "missing", "permission denied", "too large" */
  error: osText(200).optional(),
});
export type ConfigFileFacts = z.infer<typeof ConfigFileFacts>;

/** host-pos: the POS application, the fiscal driver stack and the named configuration files. */
export const PosSection = z.object({
  section: z.literal('pos'),
  apps: z.array(PosAppFacts).max(8),
  fiscalStack: z.array(FiscalStackFacts).max(8),
  configFiles: z.array(ConfigFileFacts).max(16).default([]),
  /** the POS application that should run on this register (config `host.posApp`), when set */
  expectedApp: PosAppId.optional(),
  unchecked,
});
export type PosSection = z.infer<typeof PosSection>;

export const OsEventLevel = z.enum(['critical', 'error', 'warning', 'info']);
export type OsEventLevel = z.infer<typeof OsEventLevel>;

/** One OS log entry, redacted on the register (passwords, tokens, card numbers, cashier names). */
export const OsEvent = z.object({
  at: z.iso.datetime().nullable(),
  /** "Microsoft-Windows-PrintService/Admin", "cups.service", "Application" */
  log: osText(120),
  /** the provider or process that wrote it */
  source: osText(120).optional(),
  level: OsEventLevel,
  eventId: z.number().int().optional(),
  message: osText(500),
});
export type OsEvent = z.infer<typeof OsEvent>;

/** host-events: the last entries of the print service's and the applications' logs. */
export const EventsSection = z.object({
  section: z.literal('events'),
  /** newest first */
  entries: z.array(OsEvent).max(50),
  unchecked,
});
export type EventsSection = z.infer<typeof EventsSection>;

/** One host probe's facts, by section. */
export const HostSection = z.discriminatedUnion('section', [OsSection, ClockSection, PrintSection, PeripheralsSection, PosSection, EventsSection]);
export type HostSection = z.infer<typeof HostSection>;
export type HostSectionName = HostSection['section'];

/** The register's host state: the latest section of each host probe (the console's merge). */
export interface HostFacts {
  os?: OsSection;
  clock?: ClockSection;
  print?: PrintSection;
  peripherals?: PeripheralsSection;
  pos?: PosSection;
  events?: EventsSection;
}

/** Host probes are drivers of kind 'host' in the agent's registry; their ids are DriverIds too. */
export const HOST_PROBE_IDS = ['host-os', 'host-clock', 'host-print', 'host-peripherals', 'host-pos', 'host-events'] as const;
export type HostProbeId = (typeof HOST_PROBE_IDS)[number];

/** The section each host probe fills. */
export const HOST_PROBE_SECTION: Record<HostProbeId, HostSectionName> = {
  'host-os': 'os',
  'host-clock': 'clock',
  'host-print': 'print',
  'host-peripherals': 'peripherals',
  'host-pos': 'pos',
  'host-events': 'events',
};
