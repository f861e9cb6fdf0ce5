// A register's host for the demo and the tests: the parts of a Linux register that host probes read
// from files, laid out as the kernel and CUPS lay them out, under one folder the agent's host
// probes are pointed at (their options), and changed through an HTTP control interface:
//
// - a USB tree shaped like /sys/bus/usb/devices (Documentation/ABI/stable/sysfs-bus-usb): one
//   folder per device (`1-1`: idVendor, idProduct, manufacturer, product, serial, busnum, devnum)
//   and per interface (`1-1:1.0`: bInterfaceClass…, with `usbmisc/lp0` for a usblp printer or
//   `ttyUSB0` for a USB-serial adapter); a detached device's folders are gone, as on a real register;
// - a CUPS PPD folder shaped like /etc/cups/ppd: one `<queue>.ppd` per queue with the PPD
//   keywords `*Manufacturer`, `*ModelName`, `*NickName` and `*FileVersion` (Adobe PPD spec 4.3);
//   a driver update rewrites `*FileVersion`;
// - a POS application configuration file (`frontol.ini`) whose content an update can change;
// - `lpstat` and `systemctl` stand-ins (POSIX sh scripts) for a CUPS 2.4 scheduler that runs
//   under systemd with one idle queue, `receipt`: the lpstat lines are those recorded from CUPS
//   2.4.2 (agent/src/devices/host/host-print/fixtures/linux-cups-queues.json, the idle queue's
//   block), the systemctl lines the documented `show -p` Key=Value form; `PUT /cups` stops it.
//
//   GET /state                  → 200 { usb: [{ name, attached }], driver: { queue, version }, configVersion }
//   PUT /usb     { device, attached }   → 200 (device: "printer" or "usb-serial"); 400 unknown
//   PUT /driver  { version }            → 200 (the receipt printer's PPD FileVersion)
//   PUT /config  { version }            → 200 (rewrites frontol.ini with that version line)
//   PUT /cups    { running }            → 200 (the scheduler stopped: lpstat and systemctl say so)
import { chmod, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { putRoute, startJsonRoutes, type JsonRoute } from '../lib/json-routes';

/** A USB device of the simulated register: its sysfs folder name (bus-port) and descriptor strings. */
interface SimUsbDevice {
  name: 'printer' | 'usb-serial';
  busPort: string;
  devnum: number;
  idVendor: string;
  idProduct: string;
  manufacturer: string;
  product: string;
  serial?: string;
  /** bInterfaceClass of interface 0, and the node its driver makes under the interface folder */
  interfaceClass: string;
  node: { dir: string; name: string };
}

/** An Epson TM-T20II on usblp and a CH340 USB-serial adapter: ids from devices.md §6 (usb.ids). */
const DEVICES: SimUsbDevice[] = [
  {
    name: 'printer', busPort: '1-1', devnum: 4, idVendor: '04b8', idProduct: '0e15', manufacturer: 'EPSON', product: 'TM-T20II', serial: '5A4B301245',
    interfaceClass: '07', node: { dir: 'usbmisc', name: 'lp0' },
  },
  {
    name: 'usb-serial', busPort: '1-2', devnum: 5, idVendor: '1a86', idProduct: '7523', manufacturer: '', product: 'USB Serial',
    interfaceClass: 'ff', node: { dir: '', name: 'ttyUSB0' },
  },
];

export const SIM_PRINTER_QUEUE = 'receipt';
export const SIM_DRIVER_NAME = 'EPSON TM-T20II Receipt';
export const SIM_DRIVER_VERSION = '3.0.0';
export const SIM_CONFIG_FILE = 'frontol.ini';

/** `lpstat -l -p` for one idle queue, as CUPS 2.4.2 printed it (the recorded office-pdf block, renamed). */
function idleQueueBlock(ppdDir: string): string {
  return [
    `printer ${SIM_PRINTER_QUEUE} is idle.  enabled since Mon Nov 30 17:54:23 2026`,
    '\tForm mounted:', '\tContent types: any', '\tPrinter types: unknown', `\tDescription: ${SIM_PRINTER_QUEUE}`, '\tAlerts: none', '\tLocation: ',
    '\tConnection: direct', `\tInterface: ${ppdDir}/${SIM_PRINTER_QUEUE}.ppd`, '\tOn fault: no alert', '\tAfter fault: continue', '\tUsers allowed:', '\t\t(all)',
    '\tForms allowed:', '\t\t(none)', '\tBanner required', '\tCharset sets:', '\t\t(none)', '\tDefault pitch:', '\tDefault page size:', '\tDefault port settings:', '',
  ].join('\n');
}

/**
 * The stand-ins read `state` (running / stopped) beside them on every run. Running: lpstat answers
 * -r, -v, -l -p and -o as recorded; stopped: "scheduler is not running" and lpstat's recorded
 * error for the others (CUPS 2.4.2, linux-cups-stopped.json).
 */
function lpstatScript(dir: string): string {
  return `#!/bin/sh
state=$(cat "${dir}/state")
if [ "$state" != running ]; then
  if [ "$1" = "-r" ]; then echo "scheduler is not running"; exit 0; fi
  echo "lpstat: Scheduler is not running." >&2; exit 1
fi
case "$*" in
  "-r") echo "scheduler is running" ;;
  "-v") echo "device for ${SIM_PRINTER_QUEUE}: usb://EPSON/TM-T20II?serial=5A4B301245" ;;
  "-l -p") cat "${dir}/lpstat-l-p.out" ;;
  "-o") ;;
  *) echo "lpstat: unknown arguments in this simulator: $*" >&2; exit 1 ;;
esac
`;
}

function systemctlScript(dir: string): string {
  return `#!/bin/sh
state=$(cat "${dir}/state")
if [ "$1" != show ]; then echo "systemctl: only 'show' in this simulator" >&2; exit 1; fi
if [ "$state" = running ]; then
  printf 'Result=success\nNRestarts=0\nLoadState=loaded\nActiveState=active\nSubState=running\nUnitFileState=enabled\n'
else
  printf 'Result=success\nNRestarts=0\nLoadState=loaded\nActiveState=inactive\nSubState=dead\nUnitFileState=enabled\n'
fi
`;
}

export interface HostSimulator {
  /** the control interface, e.g. http://127.0.0.1:41234 */
  url: string;
  /** give as the peripherals probe's sysfs root (in place of /sys/bus/usb/devices) */
  usbDevicesDir: string;
  /** give as the print probe's PPD folder (in place of /etc/cups/ppd) */
  ppdDir: string;
  /** a POS configuration file to name in `host.configFiles` */
  configFile: string;
  /** executables to give the print probe as its `lpstat` and `systemctl` */
  lpstatPath: string;
  systemctlPath: string;
  setCupsRunning(running: boolean): Promise<void>;
  /** `host.probes` options that point an agent's host probes at this simulator (its README's names) */
  probeOptions: { 'host-print': { ppdDir: string; lpstat: string; systemctl: string }; 'host-peripherals': { usbDevicesDir: string } };
  setAttached(device: SimUsbDevice['name'], attached: boolean): Promise<void>;
  setDriverVersion(version: string): Promise<void>;
  setConfigVersion(version: string): Promise<void>;
  close(): Promise<void>;
}

export interface HostSimulatorOptions {
  /** a folder of its own */
  dir: string;
  port?: number;
}

/** Writes a file whole: written aside, then renamed, so a probe never reads half of it. */
async function writeWhole(file: string, text: string): Promise<void> {
  await writeFile(`${file}.tmp`, text);
  await rename(`${file}.tmp`, file);
}

async function writeDevice(root: string, device: SimUsbDevice): Promise<void> {
  const dir = path.join(root, device.busPort);
  const iface = path.join(root, `${device.busPort}:1.0`);
  await mkdir(dir, { recursive: true });
  const files: Record<string, string> = {
    idVendor: device.idVendor, idProduct: device.idProduct, product: device.product, busnum: '1', devnum: String(device.devnum),
    bDeviceClass: '00', bNumInterfaces: ' 1', speed: '12',
    ...(device.manufacturer ? { manufacturer: device.manufacturer } : {}),
    ...(device.serial ? { serial: device.serial } : {}),
  };
  for (const [name, value] of Object.entries(files)) await writeFile(path.join(dir, name), `${value}\n`);
  await mkdir(path.join(iface, device.node.dir, device.node.name), { recursive: true });
  // Printer class 07/01/02 (bidirectional); the CH340's vendor interface reads ff/01/02 in lsusb -v dumps too.
  const ifaceFiles = { bInterfaceClass: device.interfaceClass, bInterfaceSubClass: '01', bInterfaceProtocol: '02', bInterfaceNumber: '00' };
  for (const [name, value] of Object.entries(ifaceFiles)) await writeFile(path.join(iface, name), `${value}\n`);
}

async function removeDevice(root: string, device: SimUsbDevice): Promise<void> {
  await rm(path.join(root, `${device.busPort}:1.0`), { recursive: true, force: true });
  await rm(path.join(root, device.busPort), { recursive: true, force: true });
}

/** The root hub every real tree has (Linux Foundation 1d6b:0002), so a parser meets one. */
async function writeRootHub(root: string): Promise<void> {
  const dir = path.join(root, 'usb1');
  await mkdir(dir, { recursive: true });
  const files = { idVendor: '1d6b', idProduct: '0002', manufacturer: 'Linux 6.1.0-27-amd64 xhci-hcd', product: 'xHCI Host Controller', busnum: '1', devnum: '1', bDeviceClass: '09', bNumInterfaces: ' 1' };
  for (const [name, value] of Object.entries(files)) await writeFile(path.join(dir, name), `${value}\n`);
}

function ppdText(version: string): string {
  return [
    '*PPD-Adobe: "4.3"',
    `*FileVersion: "${version}"`,
    '*FormatVersion: "4.3"',
    '*LanguageVersion: English',
    '*Manufacturer: "EPSON"',
    '*ModelName: "EPSON TM-T20II"',
    `*NickName: "${SIM_DRIVER_NAME}"`,
    `*ShortNickName: "${SIM_DRIVER_NAME}"`,
    '*cupsFilter: "application/vnd.cups-raster 0 rastertotmt"',
    '',
  ].join('\n');
}

function configText(version: string): string {
  return ['[General]', `Version=${version}`, 'Printer=receipt', 'FiscalDriver=atol10', ''].join('\r\n');
}

export async function startHostSimulator(options: HostSimulatorOptions): Promise<HostSimulator> {
  const usbDevicesDir = path.join(options.dir, 'sys', 'bus', 'usb', 'devices');
  const ppdDir = path.join(options.dir, 'cups', 'ppd');
  const configFile = path.join(options.dir, 'pos', SIM_CONFIG_FILE);
  await mkdir(usbDevicesDir, { recursive: true });
  await mkdir(ppdDir, { recursive: true });
  await mkdir(path.dirname(configFile), { recursive: true });
  await writeRootHub(usbDevicesDir);
  const binDir = path.join(options.dir, 'bin');
  await mkdir(binDir, { recursive: true });
  const lpstatPath = path.join(binDir, 'lpstat');
  const systemctlPath = path.join(binDir, 'systemctl');
  await writeFile(lpstatPath, lpstatScript(binDir));
  await writeFile(path.join(binDir, 'lpstat-l-p.out'), idleQueueBlock(ppdDir));
  await writeFile(systemctlPath, systemctlScript(binDir));
  await Promise.all([chmod(lpstatPath, 0o755), chmod(systemctlPath, 0o755)]);
  let cupsRunning = true;
  const setCupsRunning = async (running: boolean) => {
    await writeWhole(path.join(binDir, 'state'), running ? 'running' : 'stopped');
    cupsRunning = running;
  };
  await setCupsRunning(true);
  const attached = new Map<SimUsbDevice['name'], boolean>();
  let driverVersion = SIM_DRIVER_VERSION;
  let configVersion = '1';

  const setAttached = async (name: SimUsbDevice['name'], value: boolean) => {
    const device = DEVICES.find((d) => d.name === name);
    if (!device) throw new Error(`no simulated USB device "${name}"`);
    if (value) await writeDevice(usbDevicesDir, device);
    else await removeDevice(usbDevicesDir, device);
    attached.set(name, value);
  };
  const setDriverVersion = async (version: string) => {
    await writeWhole(path.join(ppdDir, `${SIM_PRINTER_QUEUE}.ppd`), ppdText(version));
    driverVersion = version;
  };
  const setConfigVersion = async (version: string) => {
    await writeWhole(configFile, configText(version));
    configVersion = version;
  };
  for (const device of DEVICES) await setAttached(device.name, true);
  await setDriverVersion(SIM_DRIVER_VERSION);
  await setConfigVersion(configVersion);

  const Version = z.string().regex(/^[0-9A-Za-z.-]{1,32}$/);
  const routes: JsonRoute[] = [
    {
      method: 'GET',
      path: '/state',
      handle: () => ({
        status: 200,
        body: { usb: DEVICES.map((d) => ({ name: d.name, attached: attached.get(d.name) ?? false })), driver: { queue: SIM_PRINTER_QUEUE, version: driverVersion }, configVersion, cupsRunning },
      }),
    },
    putRoute('/usb', z.strictObject({ device: z.enum(['printer', 'usb-serial']), attached: z.boolean() }), 'usb change', async ({ device, attached: value }) => {
      await setAttached(device, value);
      return { device, attached: value };
    }),
    putRoute('/driver', z.strictObject({ version: Version }), 'driver version', async ({ version }) => {
      await setDriverVersion(version);
      return { queue: SIM_PRINTER_QUEUE, version: driverVersion };
    }),
    putRoute('/config', z.strictObject({ version: Version }), 'config version', async ({ version }) => {
      await setConfigVersion(version);
      return { configVersion };
    }),
    putRoute('/cups', z.strictObject({ running: z.boolean() }), 'cups change', async ({ running }) => {
      await setCupsRunning(running);
      return { cupsRunning };
    }),
  ];
  const server = await startJsonRoutes(routes, { host: '127.0.0.1', port: options.port ?? 0 });
  const probeOptions = { 'host-print': { ppdDir, lpstat: lpstatPath, systemctl: systemctlPath }, 'host-peripherals': { usbDevicesDir } };
  return { url: `http://127.0.0.1:${server.port}`, usbDevicesDir, ppdDir, configFile, lpstatPath, systemctlPath, probeOptions, setCupsRunning, setAttached, setDriverVersion, setConfigVersion, close: () => server.close() };
}
