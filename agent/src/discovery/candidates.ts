// What discovery looks at: serial ports the OS lists, USB printers, the network printers and
// registers the config names (never a subnet scan), and the local services of drivers reached
// over HTTP (the ATOL web requests server) at their configured or default URL.
import { deviceEndpoint } from '../devices/bind-device';
import { knownUsbDevice } from '../devices/common/known-usb-devices';
import type { DeviceConfig, DeviceDriver, DriverRegistry } from '../devices/driver';
import { describeTarget, type TransportTarget } from '../transports/transport';

/** A port bytes can be sent to: each driver's identification runs on it in turn. */
export interface ByteCandidate {
  kind: 'byte';
  transport: 'serial' | 'tcp' | 'usb';
  /** how the result names it: "/dev/ttyUSB0", "192.168.1.50:9100" */
  label: string;
  osDescription?: string;
  /** how to open it; for serial, each identifier's baud rates replace `baudRate` */
  target: TransportTarget;
  /** the configured device on this port, if any */
  configured?: DeviceConfig;
}

/** A driver's local service (transports ['http']): recognised by one probe through the driver. */
export interface ServiceCandidate {
  kind: 'service';
  label: string;
  driver: DeviceDriver;
  /** the device entry the probe runs with: the configured one, or the driver's defaults */
  device: DeviceConfig;
  configured?: DeviceConfig;
}

/** A USB printer found without a byte transport to open it with: listed, not identified. */
export interface ListedCandidate {
  kind: 'listed';
  transport: 'usb';
  label: string;
  osDescription?: string;
  why: string;
}

export type Candidate = ByteCandidate | ServiceCandidate | ListedCandidate;

/**
 * A USB printer as the usb transport lists it (agent/src/transports/usb/). `target` is how to
 * open it through openTransport; without one the printer is listed but not identified.
 */
export interface UsbPrinterListing {
  printers: { label: string; osDescription?: string; target?: TransportTarget }[];
  problems?: string[];
}
export type ListUsbPrinters = () => Promise<UsbPrinterListing>;

/** What discovery reads of a serial port the OS lists (serialport's PortInfo has these fields). */
export interface ListedSerialPort {
  path: string;
  manufacturer?: string | undefined;
  serialNumber?: string | undefined;
  vendorId?: string | undefined;
  productId?: string | undefined;
}

/** The OS's serial ports, or why it could not list them (transports/serial/serial-list.ts). */
export interface SerialListing {
  ports: readonly ListedSerialPort[];
  reason?: string;
}

export interface CandidateSources {
  drivers: DriverRegistry;
  devices: readonly DeviceConfig[];
  listSerial: () => Promise<SerialListing>;
  /** serial paths to look at besides the OS's list */
  extraSerialPaths: readonly string[];
  listUsbPrinters: ListUsbPrinters;
  /** resolves symlinks (/dev/serial/by-id/… → /dev/ttyUSB0) so a configured path matches the OS's */
  realpath: (path: string) => Promise<string>;
}

export interface CandidateList {
  candidates: Candidate[];
  problems: string[];
}

/** "FTDI, usb 0403:6001 (FTDI USB-serial adapter), serial A5…": the OS's words and the known-devices table's name. */
function serialDescription(port: ListedSerialPort): string | undefined {
  const known = port.vendorId && port.productId ? knownUsbDevice(port.vendorId, port.productId) : undefined;
  const ids = port.vendorId && port.productId ? `usb ${port.vendorId}:${port.productId}${known ? ` (${known.name})` : ''}` : undefined;
  const parts = [port.manufacturer, ids, port.serialNumber ? `serial ${port.serialNumber}` : undefined].filter((p): p is string => Boolean(p));
  return parts.length > 0 ? parts.join(', ').slice(0, 200) : undefined;
}

async function serialCandidates(sources: CandidateSources, problems: string[]): Promise<ByteCandidate[]> {
  const listed = await sources.listSerial();
  if (listed.reason) problems.push(`serial: ${listed.reason}`);
  const real = async (path: string) => sources.realpath(path).catch(() => path);
  const configured = await Promise.all(
    sources.devices.flatMap((d) => (d.transport?.kind === 'serial' ? [{ device: d, path: d.transport.path }] : [])).map(async (c) => ({ ...c, real: await real(c.path) })),
  );
  const candidates: ByteCandidate[] = [];
  for (const port of listed.ports) {
    const portReal = await real(port.path);
    const match = configured.find((c) => c.real === portReal);
    const osDescription = serialDescription(port);
    candidates.push({ kind: 'byte', transport: 'serial', label: port.path, target: { kind: 'serial', path: port.path, baudRate: 9600 }, ...(osDescription ? { osDescription } : {}), ...(match ? { configured: match.device } : {}) });
  }
  // A configured port the OS did not list (a virtual COM port, a pty) is still looked at.
  for (const c of configured) {
    if (candidates.some((k) => k.configured === c.device)) continue;
    candidates.push({ kind: 'byte', transport: 'serial', label: c.path, target: c.device.transport!, configured: c.device });
  }
  for (const path of sources.extraSerialPaths) {
    const pathReal = await real(path);
    if (candidates.some((k) => k.label === path) || configured.some((c) => c.real === pathReal)) continue;
    candidates.push({ kind: 'byte', transport: 'serial', label: path, target: { kind: 'serial', path, baudRate: 9600 } });
  }
  return candidates;
}

function tcpCandidates(devices: readonly DeviceConfig[]): ByteCandidate[] {
  const seen = new Set<string>();
  return devices.flatMap((device) => {
    const t = device.transport;
    if (t?.kind !== 'tcp' || seen.has(`${t.host}:${t.port}`)) return [];
    seen.add(`${t.host}:${t.port}`);
    return [{ kind: 'byte' as const, transport: 'tcp' as const, label: `${t.host}:${t.port}`, target: t, configured: device }];
  });
}

/** Each configured device of an HTTP driver, or one with the driver's defaults when none is configured. */
function serviceCandidates(drivers: DriverRegistry, devices: readonly DeviceConfig[]): ServiceCandidate[] {
  return [...drivers.values()]
    .filter((driver) => driver.transports.includes('http') && driver.serviceUrl)
    .flatMap((driver) => {
      const configured = devices.filter((d) => d.driver === driver.id);
      const entries = configured.length > 0 ? configured : [{ id: `${driver.id}-1`, driver: driver.id, options: {} }];
      return entries.map((device) => ({
        kind: 'service' as const,
        label: deviceEndpoint(device, driver).target,
        driver,
        device,
        ...(configured.includes(device) ? { configured: device } : {}),
      }));
    });
}

async function usbListing(list: ListUsbPrinters, problems: string[]): Promise<UsbPrinterListing['printers']> {
  try {
    const listing = await list();
    problems.push(...(listing.problems ?? []).map((p) => `usb: ${p}`.slice(0, 200)));
    return listing.printers;
  } catch (error) {
    problems.push(`usb: listing USB printers failed: ${error instanceof Error ? error.message : String(error)}`.slice(0, 200));
    return [];
  }
}

/** Listed USB printers, matched to configured USB devices by target; a configured one not listed is still looked at. */
async function usbCandidates(list: ListUsbPrinters, devices: readonly DeviceConfig[], problems: string[]): Promise<Candidate[]> {
  const configured = devices.flatMap((d) => (d.transport?.kind === 'usb' ? [{ device: d, key: describeTarget(d.transport) }] : []));
  const candidates: Candidate[] = (await usbListing(list, problems)).map((p) => {
    const osDescription = p.osDescription ? { osDescription: p.osDescription } : {};
    if (!p.target) return { kind: 'listed' as const, transport: 'usb' as const, label: p.label, why: 'no USB transport to open it with', ...osDescription };
    const match = configured.find((c) => c.key === describeTarget(p.target!));
    return { kind: 'byte' as const, transport: 'usb' as const, label: p.label, target: p.target, ...osDescription, ...(match ? { configured: match.device } : {}) };
  });
  for (const c of configured) {
    if (candidates.some((k) => k.kind === 'byte' && k.configured === c.device)) continue;
    candidates.push({ kind: 'byte', transport: 'usb', label: c.key, target: c.device.transport!, configured: c.device });
  }
  return candidates;
}

/** Every candidate, serial first, then USB, configured network devices, local services. Never rejects. */
export async function listCandidates(sources: CandidateSources): Promise<CandidateList> {
  const problems: string[] = [];
  const serial = await serialCandidates(sources, problems);
  const usb = await usbCandidates(sources.listUsbPrinters, sources.devices, problems);
  return { candidates: [...serial, ...usb, ...tcpCandidates(sources.devices), ...serviceCandidates(sources.drivers, sources.devices)], problems };
}
